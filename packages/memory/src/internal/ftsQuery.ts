/**
 * Full-text queries built from tokens, never from user text: whatever the user typed (quotes,
 * `NEAR(`, `*`, `col:`, `AND`, unbalanced parentheses), the FTS5 expression contains only quoted
 * strings of letters and digits joined by `AND`/`OR`, so it cannot be a syntax error.
 *
 * - `"a quoted phrase"` in the query is required: every hit contains it, word for word.
 * - A hyphenated or punctuated term (`rate-limit`, `v1.2`, `user_id`) is a phrase of its parts,
 *   matched literally (adjacent, in order), but optional like a single word.
 * - Single words are optional (OR): BM25 ranks documents by how many and how rare.
 * - Stopwords are dropped from the optional words (unless nothing else is left).
 */
import { STOPWORDS, wordsOf } from "./words.js"

export interface ParsedQuery {
  /** Phrases every hit must contain (from quotes). */
  readonly required: ReadonlyArray<ReadonlyArray<string>>
  /** Optional terms: one word, or the words of a hyphenated term as a phrase. */
  readonly optional: ReadonlyArray<ReadonlyArray<string>>
}

const QUOTED = /"([^"]*)"/g

export const parseQuery = (text: string): ParsedQuery => {
  const required: Array<ReadonlyArray<string>> = []
  const rest = text.replace(QUOTED, (_, inner: string) => {
    const words = wordsOf(inner)
    if (words.length > 0) required.push(words)
    return " "
  })
  const optional: Array<ReadonlyArray<string>> = []
  const seen = new Set<string>()
  for (const chunk of rest.split(/\s+/)) {
    const words = wordsOf(chunk)
    if (words.length === 0) continue
    const key = words.join(" ")
    if (seen.has(key)) continue
    seen.add(key)
    optional.push(words)
  }
  const meaningful = optional.filter((t) => t.length > 1 || !STOPWORDS.has(t[0]!))
  return { required, optional: meaningful.length > 0 || required.length > 0 ? meaningful : optional }
}

/** One FTS5 string token: the words in double quotes (a phrase if several), quotes doubled. */
export const quote = (words: ReadonlyArray<string>): string => `"${words.join(" ").replaceAll("\"", "\"\"")}"`

/**
 * The FTS5 expression for `required` phrases and the `optional` terms kept: required phrases are
 * ANDed; optional terms are ORed and, next to required phrases, only add to the ranking
 * (`r1 AND (r1 OR o1 OR o2)`). `undefined` when there is nothing to search for.
 */
export const ftsExpression = (
  required: ReadonlyArray<ReadonlyArray<string>>,
  optional: ReadonlyArray<ReadonlyArray<string>>
): string | undefined => {
  const req = required.map(quote)
  const opt = optional.map(quote)
  if (req.length === 0) return opt.length === 0 ? undefined : opt.join(" OR ")
  const all = req.join(" AND ")
  return opt.length === 0 ? all : `${all} AND (${[req[0]!, ...opt].join(" OR ")})`
}

/**
 * Keeps the optional terms whose postings fit in `budget` (rarest first; the rarest is always
 * kept). Phrases always stay; words the index has never seen are dropped (they cannot match).
 * Very common words cost the most to rank and add the least to BM25 (low IDF), so a large index
 * leaves them out instead of scoring most of the corpus.
 */
export const pruneOptional = (
  optional: ReadonlyArray<ReadonlyArray<string>>,
  documentFrequency: ReadonlyMap<string, number>,
  budget: number
): ReadonlyArray<ReadonlyArray<string>> => {
  const phrases = optional.filter((t) => t.length > 1)
  const words = optional
    .filter((t) => t.length === 1 && (documentFrequency.get(t[0]!) ?? 0) > 0)
    .sort((a, b) => documentFrequency.get(a[0]!)! - documentFrequency.get(b[0]!)!)
  const kept: Array<ReadonlyArray<string>> = []
  let total = 0
  for (const w of words) {
    const df = documentFrequency.get(w[0]!)!
    if (kept.length > 0 && total + df > budget) break
    kept.push(w)
    total += df
  }
  return [...phrases, ...kept]
}
