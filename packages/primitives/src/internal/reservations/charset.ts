/**
 * Sets of characters (code points) for glob matching: sorted, disjoint, inclusive ranges that never
 * contain `/` (a path segment cannot). Intersection decides whether two pattern tokens can match a
 * common character; `pick` chooses a readable one for witness paths.
 */

/** A set of code points: sorted, disjoint, inclusive ranges; never contains `/`. */
export type CharSet = ReadonlyArray<readonly [number, number]>

const SLASH = 0x2f
const MAX_CODE_POINT = 0x10ffff

export const normalizeRanges = (ranges: ReadonlyArray<readonly [number, number]>): CharSet => {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi)
    else merged.push([lo, hi])
  }
  // A segment never contains `/`.
  const out: Array<readonly [number, number]> = []
  for (const [lo, hi] of merged) {
    if (lo <= SLASH && SLASH <= hi) {
      if (lo < SLASH) out.push([lo, SLASH - 1])
      if (SLASH < hi) out.push([SLASH + 1, hi])
    } else out.push([lo, hi])
  }
  return out
}

export const ANY: CharSet = normalizeRanges([[0, MAX_CODE_POINT]])

export const complement = (set: CharSet): CharSet => {
  const out: Array<readonly [number, number]> = []
  let next = 0
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1])
    next = hi + 1
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT])
  return normalizeRanges(out)
}

export const intersect = (a: CharSet, b: CharSet): CharSet => {
  const out: Array<readonly [number, number]> = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!
    const [blo, bhi] = b[j]!
    const lo = Math.max(alo, blo)
    const hi = Math.min(ahi, bhi)
    if (lo <= hi) out.push([lo, hi])
    if (ahi < bhi) i++
    else j++
  }
  return out
}

const contains = (set: CharSet, c: number) => set.some(([lo, hi]) => lo <= c && c <= hi)

const PREFERRED = [..."a0_x-"].map((c) => c.codePointAt(0)!)

/** A readable member of a non-empty set, for witness paths. */
export const pick = (set: CharSet): string => {
  const preferred = PREFERRED.find((c) => contains(set, c))
  if (preferred !== undefined) return String.fromCodePoint(preferred)
  const printable = set.find(([, hi]) => hi >= 0x21)
  const c = printable === undefined ? set[0]![0] : Math.max(printable[0], 0x21)
  return String.fromCodePoint(c)
}
