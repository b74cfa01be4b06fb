/**
 * Glob patterns over project-relative posix paths, and the question file reservations ask of them:
 * can two patterns match a common path?
 *
 * Syntax (a pattern is also a plain path: a path without special characters matches only itself):
 * - `*` any run of characters inside one segment (never `/`; it also matches dotfiles),
 * - `**` as a whole segment: any number of segments, including none (`src/**` matches `src`,
 *   `src/a`, `src/a/b`); `**` inside a longer segment (`a**b`) acts like `*`,
 * - `?` one character (never `/`),
 * - `[abc]`, `[a-z]`, `[!x]` / `[^x]`: one character from (or not from) a class; `]` first is literal,
 * - `{a,b}` alternatives, nested and spanning `/` allowed (`{src,lib}/**`, `a{,.ts}`); a group
 *   without a comma (`{a}`) is its single alternative.
 * There is no escape character. Matching is case-sensitive and by Unicode code point.
 *
 * Overlap is decided exactly, by searching the product of the two patterns' automata: over segments
 * (where `**` loops), and inside a segment over characters (where `*` loops). The search also yields
 * a witness: a path that both patterns match.
 */
import { Either } from "effect"
import { ANY, complement, intersect, normalizeRanges, pick } from "./charset.js"
import type { CharSet } from "./charset.js"

export type { CharSet } from "./charset.js"

export type Token =
  | { readonly _tag: "chars"; readonly set: CharSet }
  | { readonly _tag: "star" }

export type Segment =
  | { readonly _tag: "globstar" }
  | { readonly _tag: "segment"; readonly tokens: ReadonlyArray<Token> }

/** A parsed pattern: the alternatives its braces expand to, each a list of segments. */
export interface Glob {
  readonly source: string
  readonly alternatives: ReadonlyArray<ReadonlyArray<Segment>>
}

/** Brace expansion stops here: a pattern may stand for at most this many alternatives. */
export const MAX_ALTERNATIVES = 256

// ---------------------------------------------------------------------------------------------
// Parsing

const GLOBSTAR: Segment = { _tag: "globstar" }
const STAR: Token = { _tag: "star" }

/** Where a class that starts at `start` (at `[`) ends (the index of its `]`), or -1 if unclosed. */
const classEnd = (chars: ReadonlyArray<string>, start: number): number => {
  let i = start + 1
  if (chars[i] === "!" || chars[i] === "^") i++
  if (chars[i] === "]") i++
  while (i < chars.length && chars[i] !== "]") {
    if (chars[i] === "/") return -1
    i++
  }
  return i < chars.length ? i : -1
}

const parseClass = (body: ReadonlyArray<string>): Either.Either<CharSet, string> => {
  let i = 0
  let negated = false
  if (body[0] === "!" || body[0] === "^") {
    negated = true
    i = 1
  }
  const ranges: Array<readonly [number, number]> = []
  while (i < body.length) {
    const lo = body[i]!.codePointAt(0)!
    if (body[i + 1] === "-" && i + 2 < body.length) {
      const hi = body[i + 2]!.codePointAt(0)!
      if (hi < lo) return Either.left(`invalid range ${body[i]}-${body[i + 2]} in a character class`)
      ranges.push([lo, hi])
      i += 3
    } else {
      ranges.push([lo, lo])
      i++
    }
  }
  if (ranges.length === 0) return Either.left("empty character class []")
  const set = normalizeRanges(ranges)
  return Either.right(negated ? complement(set) : set)
}

const parseSegment = (text: string): Either.Either<Segment, string> => {
  if (text === "**") return Either.right(GLOBSTAR)
  const chars = [...text]
  const tokens: Array<Token> = []
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === "*") {
      if (tokens[tokens.length - 1]?._tag !== "star") tokens.push(STAR)
    } else if (c === "?") {
      tokens.push({ _tag: "chars", set: ANY })
    } else if (c === "[") {
      const end = classEnd(chars, i)
      if (end < 0) return Either.left("unclosed [ in a character class")
      const set = parseClass(chars.slice(i + 1, end))
      if (Either.isLeft(set)) return Either.left(set.left)
      tokens.push({ _tag: "chars", set: set.right })
      i = end
    } else {
      const code = c.codePointAt(0)!
      tokens.push({ _tag: "chars", set: [[code, code]] })
    }
  }
  return Either.right({ _tag: "segment", tokens })
}

/** Index of the `}` closing the group opened at `start`, skipping classes and nested groups; -1 if none. */
const braceEnd = (chars: ReadonlyArray<string>, start: number): number => {
  let depth = 0
  for (let i = start; i < chars.length; i++) {
    const c = chars[i]
    if (c === "[") {
      const end = classEnd(chars, i)
      if (end >= 0) i = end
    } else if (c === "{") depth++
    else if (c === "}") {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/** Splits a group's body on its top-level commas. */
const splitAlternatives = (chars: ReadonlyArray<string>): Array<string> => {
  const parts: Array<string> = []
  let depth = 0
  let current = ""
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === "[") {
      const end = classEnd(chars, i)
      if (end >= 0) {
        current += chars.slice(i, end + 1).join("")
        i = end
        continue
      }
    }
    if (c === "{") depth++
    if (c === "}") depth--
    if (c === "," && depth === 0) {
      parts.push(current)
      current = ""
    } else current += c
  }
  parts.push(current)
  return parts
}

class TooMany extends Error {}

const expandChars = (chars: ReadonlyArray<string>): Array<string> => {
  let open = -1
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "[") {
      const end = classEnd(chars, i)
      if (end >= 0) i = end
    } else if (chars[i] === "{") {
      open = i
      break
    }
  }
  if (open < 0) return [chars.join("")]
  const close = braceEnd(chars, open)
  if (close < 0) throw new Error("unclosed { in a brace group")
  const prefix = chars.slice(0, open).join("")
  const alternatives = splitAlternatives(chars.slice(open + 1, close)).flatMap((a) => expandChars([...a]))
  const suffixes = expandChars(chars.slice(close + 1))
  if (alternatives.length * suffixes.length > MAX_ALTERNATIVES) throw new TooMany()
  const out: Array<string> = []
  for (const a of alternatives) for (const s of suffixes) out.push(prefix + a + s)
  return out
}

/** Expands braces: `{src,lib}/*.{ts,tsx}` → four patterns without braces (duplicates removed). */
export const expandBraces = (pattern: string): Either.Either<ReadonlyArray<string>, string> => {
  try {
    return Either.right([...new Set(expandChars([...pattern]))])
  } catch (error) {
    return Either.left(
      error instanceof TooMany ? `braces expand to more than ${MAX_ALTERNATIVES} alternatives` : (error as Error).message
    )
  }
}

/** Whether the text uses any glob syntax (otherwise it is a plain path). */
export const hasGlobSyntax = (text: string): boolean => /[*?[{]/.test(text)

/**
 * Parses a normalised pattern (see `paths.ts`): `/`-separated, no empty, `.` or `..` segments once
 * braces are expanded. Empty segments produced by an empty alternative are dropped (`a/{,b/}c`).
 */
export const parse = (pattern: string): Either.Either<Glob, string> => {
  const expanded = expandBraces(pattern)
  if (Either.isLeft(expanded)) return Either.left(expanded.left)
  const alternatives: Array<ReadonlyArray<Segment>> = []
  for (const alternative of expanded.right) {
    const segments: Array<Segment> = []
    for (const text of alternative.split("/")) {
      if (text === "") continue
      if (text === "." || text === "..") return Either.left(`"${text}" inside braces is not supported`)
      const segment = parseSegment(text)
      if (Either.isLeft(segment)) return Either.left(segment.left)
      // `**/**` is the same as `**`.
      if (segment.right._tag === "globstar" && segments[segments.length - 1]?._tag === "globstar") continue
      segments.push(segment.right)
    }
    if (segments.length === 0) return Either.left("the pattern names no path")
    alternatives.push(segments)
  }
  return Either.right({ source: pattern, alternatives })
}

/** A concrete path as a pattern that matches only itself (no glob syntax is interpreted). */
export const literal = (path: string): Glob => ({
  source: path,
  alternatives: [
    path.split("/").filter((s) => s !== "").map((s): Segment => ({
      _tag: "segment",
      tokens: [...s].map((c): Token => {
        const code = c.codePointAt(0)!
        return { _tag: "chars", set: [[code, code]] }
      })
    }))
  ]
})

// ---------------------------------------------------------------------------------------------
// Overlap

const setOf = (token: Token): CharSet => (token._tag === "star" ? ANY : token.set)

/**
 * A non-empty segment that both segment patterns match, or undefined. Breadth-first search over
 * states (i, j, nonEmpty) of the product automaton: `*` may be skipped (ε) or consume a character
 * and stay; a character token consumes one character of its set and advances.
 */
export const segmentWitness = (a: ReadonlyArray<Token>, b: ReadonlyArray<Token>): string | undefined => {
  const width = b.length + 1
  const key = (i: number, j: number, ne: number) => (i * width + j) * 2 + ne
  const parent = new Map<number, { readonly from: number; readonly char: string }>()
  const start = key(0, 0, 0)
  const seen = new Set<number>([start])
  const queue: Array<readonly [number, number, number]> = [[0, 0, 0]]
  const visit = (from: number, i: number, j: number, ne: number, char: string) => {
    const k = key(i, j, ne)
    if (seen.has(k)) return
    seen.add(k)
    parent.set(k, { from, char })
    queue.push([i, j, ne])
  }
  for (let head = 0; head < queue.length; head++) {
    const [i, j, ne] = queue[head]!
    const here = key(i, j, ne)
    if (i === a.length && j === b.length && ne === 1) {
      let text = ""
      for (let k = here; k !== start;) {
        const step = parent.get(k)!
        text = step.char + text
        k = step.from
      }
      return text
    }
    const ta = a[i]
    const tb = b[j]
    if (ta?._tag === "star") visit(here, i + 1, j, ne, "")
    if (tb?._tag === "star") visit(here, i, j + 1, ne, "")
    if (ta !== undefined && tb !== undefined) {
      const common = intersect(setOf(ta), setOf(tb))
      if (common.length > 0) {
        visit(here, ta._tag === "star" ? i : i + 1, tb._tag === "star" ? j : j + 1, 1, pick(common))
      }
    }
  }
  return undefined
}

const ANY_SEGMENT: ReadonlyArray<Token> = [STAR]

/**
 * A path (its segments) that both alternatives match, or undefined. Breadth-first search over
 * states (i, j): a `**` may be skipped (ε) or consume a segment and stay; other segments consume
 * one segment both sides can match (see `segmentWitness`).
 */
const alternativeWitness = (p: ReadonlyArray<Segment>, q: ReadonlyArray<Segment>): Array<string> | undefined => {
  const width = q.length + 1
  const parent = new Map<number, { readonly from: number; readonly segment: string | undefined }>()
  const seen = new Set<number>([0])
  const queue: Array<readonly [number, number]> = [[0, 0]]
  const visit = (from: number, i: number, j: number, segment: string | undefined) => {
    const k = i * width + j
    if (seen.has(k)) return
    seen.add(k)
    parent.set(k, { from, segment })
    queue.push([i, j])
  }
  for (let head = 0; head < queue.length; head++) {
    const [i, j] = queue[head]!
    const here = i * width + j
    if (i === p.length && j === q.length) {
      const segments: Array<string> = []
      for (let k = here; k !== 0;) {
        const step = parent.get(k)!
        if (step.segment !== undefined) segments.unshift(step.segment)
        k = step.from
      }
      return segments
    }
    const sp = p[i]
    const sq = q[j]
    if (sp?._tag === "globstar") visit(here, i + 1, j, undefined)
    if (sq?._tag === "globstar") visit(here, i, j + 1, undefined)
    if (sp === undefined || sq === undefined) continue
    if (sp._tag === "globstar" && sq._tag === "globstar") continue // consuming keeps (i, j): nothing new
    const w = segmentWitness(
      sp._tag === "globstar" ? ANY_SEGMENT : sp.tokens,
      sq._tag === "globstar" ? ANY_SEGMENT : sq.tokens
    )
    if (w !== undefined) visit(here, sp._tag === "globstar" ? i : i + 1, sq._tag === "globstar" ? j : j + 1, w)
  }
  return undefined
}

/** A path both patterns match, or undefined when they cannot match a common path. */
export const overlapWitness = (p: Glob, q: Glob): string | undefined => {
  for (const a of p.alternatives) {
    for (const b of q.alternatives) {
      const segments = alternativeWitness(a, b)
      // Reached the end consuming nothing: both are all `**`, which match any path.
      if (segments !== undefined) return segments.length === 0 ? "a" : segments.join("/")
    }
  }
  return undefined
}

/** Whether some path matches both patterns. Symmetric. */
export const overlaps = (p: Glob, q: Glob): boolean => overlapWitness(p, q) !== undefined

/** Whether the pattern matches a concrete (normalised) path. */
export const matches = (pattern: Glob, path: string): boolean => overlaps(pattern, literal(path))
