/** Word-overlap similarity for the built-in precedent source: Jaccard index of the word sets. */

const STOP = new Set(["the", "and", "for", "with", "into", "from", "that", "this", "are", "was", "its", "not", "all", "use"])

/** Lower-case words of three or more letters or digits, without a few stop words. */
export const words = (text: string): Set<string> =>
  new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w)))

/** |A ∩ B| / |A ∪ B| (0 when both are empty). */
export const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (a.size === 0 && b.size === 0) return 0
  let shared = 0
  for (const w of a) if (b.has(w)) shared++
  return shared / (a.size + b.size - shared)
}
