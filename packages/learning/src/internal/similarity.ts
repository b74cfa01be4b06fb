/** Words of a text, and word-overlap similarity for the built-in precedent source (Jaccard index). */

const STOP = new Set(["the", "and", "for", "with", "into", "from", "that", "this", "are", "was", "its", "not", "all", "use"])

/** The lower-case runs of letters and digits in `text`, in order. */
export const tokens = (text: string): Array<string> =>
  text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0)

/** Lower-case words of three or more letters or digits, without a few stop words. */
export const words = (text: string): Set<string> => new Set(tokens(text).filter((w) => w.length >= 3 && !STOP.has(w)))

/** |A ∩ B| / |A ∪ B| (0 when both are empty). */
export const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (a.size === 0 && b.size === 0) return 0
  let shared = 0
  for (const w of a) if (b.has(w)) shared++
  return shared / (a.size + b.size - shared)
}
