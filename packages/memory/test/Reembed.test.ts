/**
 * A model change: memories keep the embedder that made their vectors; vectors of different
 * embedders are never compared; `reembed` moves a collection (or everything) to the current one.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Embedder, Memory, UpsertDecider } from "../src/index.js"

describe.each(backends)("Memory.reembed on $name", (backend) => {
  it.scoped("vectors of another embedder are not compared until re-embedded; full text still finds them", () =>
    Effect.gen(function*() {
      const shared = yield* Layer.build(Layer.provideMerge(EventStore.layer, backend.layer()))
      const withEmbedder = (embedder: Layer.Layer<Embedder>) => <A, E>(effect: Effect.Effect<A, E, Memory>) =>
        Effect.provide(
          effect,
          Memory.layer.pipe(Layer.provide(Layer.mergeAll(embedder, UpsertDecider.layerRules, Layer.succeedContext(shared))))
        )
      const small = withEmbedder(Embedder.layerHashedWith({ dimension: 128 }))
      const large = withEmbedder(Embedder.layerHashed)

      const ids = yield* small(Effect.gen(function*() {
        const memory = yield* Memory
        return [
          yield* memory.store("Elasticsearch mapping changes need a reindex", { collection: "search" }),
          yield* memory.store("The search indexer drops documents over 10 MB", { collection: "search" }),
          yield* memory.store("Kafka consumers rebalance after deploys", { collection: "streams" })
        ]
      }))
      yield* large(Effect.gen(function*() {
        const memory = yield* Memory
        expect((yield* memory.stats).byEmbedder).toEqual({ "hashed-ngram-v1-128": 3 })
        expect((yield* memory.find("elasticsearch reindex", { mode: "vector" })).hits).toEqual([])
        expect((yield* memory.find("elasticsearch reindex", { mode: "fulltext" })).hits.map((h) => h.id)).toEqual([ids[0]])
        expect(yield* memory.reembed({ collection: "search" })).toEqual({ embedder: "hashed-ngram-v1-256", reembedded: 2 })
        expect((yield* memory.stats).byEmbedder).toEqual({ "hashed-ngram-v1-128": 1, "hashed-ngram-v1-256": 2 })
        expect((yield* memory.find("elasticsearch reindex", { mode: "vector" })).hits[0]?.id).toBe(ids[0])
        expect((yield* memory.get(ids[0]!)).embedder).toBe("hashed-ngram-v1-256")
        expect(yield* memory.reembed()).toEqual({ embedder: "hashed-ngram-v1-256", reembedded: 1 })
        expect(yield* memory.reembed()).toEqual({ embedder: "hashed-ngram-v1-256", reembedded: 0 })
        expect((yield* memory.reembed({ force: true })).reembedded).toBe(3)
        expect((yield* memory.find("kafka rebalance", { mode: "vector" })).hits[0]?.id).toBe(ids[2])
      }))
      // The old embedder's process no longer sees them by vector (a different embedder name).
      yield* small(Effect.gen(function*() {
        const memory = yield* Memory
        expect((yield* memory.find("kafka rebalance", { mode: "vector" })).hits).toEqual([])
        expect((yield* Effect.flip(memory.reembed({ collection: "Bad Name" })))._tag).toBe("InvalidInput")
      }))
    }))
})
