/** What every embedder adapter's output must satisfy before a vector reaches the database. */
import { Effect } from "effect"
import { EmbedderError } from "../../Errors.js"
import { isFinite32, normalize } from "../vector.js"

/**
 * Checks a batch of vectors from an adapter: one per text, `dimension` long, finite; normalises each
 * to unit length (so a dot product is the cosine similarity everywhere).
 */
export const checkVectors = (
  embedder: string,
  dimension: number,
  expected: number,
  vectors: ReadonlyArray<Float32Array>
): Effect.Effect<ReadonlyArray<Float32Array>, EmbedderError> =>
  Effect.suspend(() => {
    if (vectors.length !== expected) {
      return new EmbedderError({ embedder, reason: `returned ${vectors.length} vectors for ${expected} texts` })
    }
    for (const v of vectors) {
      if (v.length !== dimension) {
        return new EmbedderError({ embedder, reason: `returned a vector of dimension ${v.length}, expected ${dimension}` })
      }
      if (!isFinite32(v)) return new EmbedderError({ embedder, reason: "returned a vector with non-finite values" })
      normalize(v)
    }
    return Effect.succeed(vectors)
  })

/** Runs `embed` over `texts` in batches of `size`, concatenating the results. */
export const inBatches = <E>(
  texts: ReadonlyArray<string>,
  size: number,
  embed: (batch: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Float32Array>, E>
): Effect.Effect<ReadonlyArray<Float32Array>, E> => {
  if (texts.length <= size) return texts.length === 0 ? Effect.succeed([]) : embed(texts)
  const batches: Array<ReadonlyArray<string>> = []
  for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size))
  return Effect.map(Effect.forEach(batches, embed), (parts) => parts.flat())
}
