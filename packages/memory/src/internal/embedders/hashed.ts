/**
 * The offline embedder: signed feature hashing of words and character trigrams.
 *
 * Features of a text (stopwords dropped):
 * - every word, weight 1;
 * - every character trigram of every word padded with boundary marks (`<token>` → `<to`, `tok`,
 *   `oke`, `ken`, `en>`), weight `TRIGRAM_WEIGHT`: this is what makes `retries` close to `retry`,
 *   `postgress` close to `postgres` and `timezone` close to `time zone`;
 * - every pair of adjacent words, weight `BIGRAM_WEIGHT`: a little word order.
 *
 * A feature's value is its weight × (1 + ln tf) (sublinear term frequency). Each feature is hashed
 * (FNV-1a then a murmur3 finaliser) to a dimension and a sign, so collisions cancel on average
 * instead of piling up; the vector is L2-normalised, so a dot product is the cosine similarity.
 * Deterministic: the same text always gives the same vector, on every machine.
 */
import { contentWordsOf } from "../words.js"

export const TRIGRAM_WEIGHT = 0.3
export const BIGRAM_WEIGHT = 0.5

const fnv1a = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // murmur3 fmix32: spreads FNV's weak low bits over the whole word.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const addFeature = (features: Map<string, number>, key: string, weight: number) =>
  features.set(key, (features.get(key) ?? 0) + weight)

/** The weighted features of a text, before hashing: feature → summed weight. */
export const featuresOf = (text: string): Map<string, number> => {
  const words = contentWordsOf(text)
  const counts = new Map<string, number>()
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    addFeature(counts, `w ${word}`, 1)
    const padded = `<${word}>`
    for (let j = 0; j + 3 <= padded.length; j++) addFeature(counts, `t ${padded.slice(j, j + 3)}`, 1)
    if (i + 1 < words.length) addFeature(counts, `b ${word} ${words[i + 1]}`, 1)
  }
  const features = new Map<string, number>()
  for (const [key, tf] of counts) {
    const weight = key.startsWith("w") ? 1 : key.startsWith("t") ? TRIGRAM_WEIGHT : BIGRAM_WEIGHT
    features.set(key, weight * (1 + Math.log(tf)))
  }
  return features
}

/** The hashed, L2-normalised embedding of `text` in `dimension` dimensions. */
export const hashedEmbedding = (text: string, dimension: number): Float32Array => {
  const v = new Float32Array(dimension)
  for (const [key, value] of featuresOf(text)) {
    const h = fnv1a(key)
    const index = h % dimension
    v[index] = v[index]! + ((h & 0x80000000) === 0 ? value : -value)
  }
  let norm = 0
  for (let i = 0; i < dimension; i++) norm += v[i]! * v[i]!
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < dimension; i++) v[i] = v[i]! * scale
  }
  return v
}
