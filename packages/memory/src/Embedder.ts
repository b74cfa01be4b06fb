/**
 * Embedders turn texts into unit vectors. The memory records each memory's embedder name (and the
 * vector's dimension), compares vectors only between memories of the same embedder, and re-embeds
 * a collection on request when the model changes (`Memory.reembed`).
 *
 * - `Embedder.layerHashed`: the default; offline, no weights, deterministic, fast (hashed words and
 *   character trigrams).
 * - `Embedder.layerTransformers({ modelDir })`: a local `@huggingface/transformers` model directory.
 * - `Embedder.layerOllama({ url, model })`: an Ollama server's `/api/embed`.
 */
import { Context, Effect, Layer } from "effect"
import type { EmbedderError } from "./Errors.js"
import { checkVectors, inBatches } from "./internal/embedders/check.js"
import { hashedEmbedding } from "./internal/embedders/hashed.js"
import { ollamaRequest } from "./internal/embedders/ollama.js"
import type { OllamaOptions } from "./internal/embedders/ollama.js"
import { loadTransformers } from "./internal/embedders/transformers.js"
import type { TransformersOptions } from "./internal/embedders/transformers.js"

export type { OllamaOptions } from "./internal/embedders/ollama.js"
export type { TransformersOptions } from "./internal/embedders/transformers.js"

export interface EmbedderService {
  /** Recorded with every memory; vectors of different names are never compared. */
  readonly name: string
  readonly dimension: number
  /** One unit-length vector per text, in order. */
  readonly embed: (texts: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Float32Array>, EmbedderError>
}

export interface HashedOptions {
  /** Vector length (default 256). Changing it changes the embedder's name. */
  readonly dimension?: number
}

export const DEFAULT_HASHED_DIMENSION = 256

/** The offline hashed embedder as a plain service (also usable outside a layer, e.g. in benchmarks). */
export const hashed = (options: HashedOptions = {}): EmbedderService => {
  const dimension = options.dimension ?? DEFAULT_HASHED_DIMENSION
  if (!Number.isInteger(dimension) || dimension < 16 || dimension > 4096) {
    throw new RangeError(`hashed embedder dimension must be an integer in 16..4096, got ${dimension}`)
  }
  return {
    name: `hashed-ngram-v1-${dimension}`,
    dimension,
    embed: (texts) => Effect.sync(() => texts.map((t) => hashedEmbedding(t, dimension)))
  }
}

/** An adapter's raw `embed` wrapped with batching and output checks (count, dimension, finite, unit length). */
export const checked = (
  name: string,
  dimension: number,
  embed: (texts: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Float32Array>, EmbedderError>,
  batchSize = 32
): EmbedderService => ({
  name,
  dimension,
  embed: (texts) =>
    inBatches(texts, batchSize, (batch) => Effect.flatMap(embed(batch), (vs) => checkVectors(name, dimension, batch.length, vs)))
})

export class Embedder extends Context.Tag("@waggle/memory/Embedder")<Embedder, EmbedderService>() {
  /** The default embedder: hashed n-grams, 256 dimensions, offline. */
  static readonly layerHashed: Layer.Layer<Embedder> = Layer.sync(Embedder, () => hashed())

  /** The hashed embedder with another dimension. */
  static readonly layerHashedWith = (options: HashedOptions): Layer.Layer<Embedder> =>
    Layer.sync(Embedder, () => hashed(options))

  /**
   * A local transformers.js model. Fails to build with `EmbedderError` naming the directory when it
   * (or the package, or the model files) is missing; never downloads.
   */
  static readonly layerTransformers = (options: TransformersOptions): Layer.Layer<Embedder, EmbedderError> =>
    Layer.effect(
      Embedder,
      Effect.map(loadTransformers(options), (model) => checked(model.name, model.dimension, model.embed, 16))
    )

  /**
   * An Ollama server. Without `dimension`, one probe request at startup finds it (and an unreachable
   * server fails the layer fast); with it, the layer builds offline and each call fails on its own.
   */
  static readonly layerOllama = (options: OllamaOptions): Layer.Layer<Embedder, EmbedderError> =>
    Layer.effect(
      Embedder,
      Effect.gen(function*() {
        const name = `ollama:${options.model}`
        const request = ollamaRequest(options, name)
        const dimension = options.dimension ?? (yield* Effect.map(request(["dimension probe"]), (vs) => vs[0]?.length ?? 0))
        return checked(name, dimension, request)
      })
    )

  /** Any embedder service, e.g. a custom adapter. */
  static readonly layerOf = (service: EmbedderService): Layer.Layer<Embedder> => Layer.succeed(Embedder, service)
}
