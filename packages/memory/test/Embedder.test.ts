import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { freePort, tempDir } from "@waggle/test-support"
import { Embedder, hashed } from "../src/index.js"
import { hashedEmbedding } from "../src/internal/embedders/hashed.js"
import { cosine, dot } from "../src/internal/vector.js"
import { startFakeOllama } from "./support/ollamaServer.js"

const embedWith = <E>(layer: Layer.Layer<Embedder, E>, texts: ReadonlyArray<string>) =>
  Effect.flatMap(Embedder, (e) => e.embed(texts)).pipe(Effect.provide(layer))

describe("Embedder.layerHashed (offline default)", () => {
  it.effect("deterministic unit vectors of the configured dimension; the name records the dimension", () =>
    Effect.gen(function*() {
      const embedder = yield* Embedder.pipe(Effect.provide(Embedder.layerHashed))
      expect(embedder).toMatchObject({ name: "hashed-ngram-v1-256", dimension: 256 })
      const [a, b] = yield* embedder.embed(["Retry with backoff", "Retry with backoff"])
      expect(a).toEqual(b)
      expect(a).toHaveLength(256)
      expect(dot(a!, a!)).toBeCloseTo(1, 5)
      const wide = yield* Embedder.pipe(Effect.provide(Embedder.layerHashedWith({ dimension: 512 })))
      expect(wide.name).toBe("hashed-ngram-v1-512")
      expect((yield* wide.embed(["x"]))[0]).toHaveLength(512)
      expect(yield* embedder.embed([])).toEqual([])
    }))

  it.effect("word forms and typos land closer than unrelated text", () =>
    Effect.gen(function*() {
      const [retry, retries, typo, unrelated] = yield* embedWith(Embedder.layerHashed, [
        "retry the postgres connection",
        "retries of postgres connections",
        "retry the postgress conection",
        "feature flags for the mobile app"
      ])
      expect(cosine(retry!, retries!)).toBeGreaterThan(0.4)
      expect(cosine(retry!, typo!)).toBeGreaterThan(0.4)
      expect(Math.abs(cosine(retry!, unrelated!))).toBeLessThan(0.2)
      // Text without words embeds to the zero vector instead of NaN.
      expect(Array.from(hashedEmbedding("!!! ???", 64)).every((x) => x === 0)).toBe(true)
    }))

  it("refuses an unusable dimension", () => {
    expect(() => hashed({ dimension: 3 })).toThrow(RangeError)
    expect(() => hashed({ dimension: 1.5 })).toThrow(RangeError)
  })
})

describe("Embedder.layerTransformers (local model directory, never downloads)", () => {
  it.scoped("a missing model directory is an EmbedderError naming it", () =>
    Effect.gen(function*() {
      const dir = path.join(yield* tempDir(), "all-MiniLM-L6-v2")
      const error = yield* Effect.flip(Layer.build(Embedder.layerTransformers({ modelDir: dir })))
      expect(error).toMatchObject({ _tag: "EmbedderError", embedder: "transformers:all-MiniLM-L6-v2" })
      expect(error.reason).toContain(dir)
      expect(error.reason).toMatch(/does not exist/)
    }))

  it.scoped("a directory that is not a model (no config.json) is an EmbedderError", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const error = yield* Effect.flip(Layer.build(Embedder.layerTransformers({ modelDir: dir })))
      expect(error.reason).toMatch(/no config\.json/)
    }))

  it.scoped("a model directory without weights fails inside @huggingface/transformers, as an EmbedderError naming the files", () =>
    Effect.gen(function*() {
      const dir = path.join(yield* tempDir(), "tiny-model")
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 8 }))
      const error = yield* Effect.flip(Layer.build(Embedder.layerTransformers({ modelDir: dir })))
      expect(error).toMatchObject({ _tag: "EmbedderError", embedder: "transformers:tiny-model" })
      expect(error.reason).toMatch(/cannot load the model/)
      expect(error.reason).toMatch(/not found locally at ".*tiny-model\//)
    }))
})

describe("Embedder.layerOllama (HTTP)", () => {
  it.scoped("embeds through the server's /api/embed, in batches, as unit vectors", () =>
    Effect.gen(function*() {
      const server = yield* startFakeOllama(64)
      const layer = Embedder.layerOllama({ url: server.url, model: "fake", dimension: 64 })
      const texts = Array.from({ length: 40 }, (_, i) => `learning number ${i}`)
      const vectors = yield* embedWith(layer, texts)
      expect(vectors).toHaveLength(40)
      expect(server.requests()).toBe(2) // batches of 32
      expect(Array.from(vectors[7]!)).toEqual(Array.from(hashedEmbedding(texts[7]!, 64)).map((x) => Math.fround(x)))
    }))

  it.scoped("without a dimension the layer asks the server once; an unreachable server fails the layer", () =>
    Effect.gen(function*() {
      const server = yield* startFakeOllama(48)
      const embedder = yield* Embedder.pipe(Effect.provide(Embedder.layerOllama({ url: server.url, model: "fake" })))
      expect(embedder).toMatchObject({ name: "ollama:fake", dimension: 48 })
      const port = yield* Effect.promise(() => freePort())
      const error = yield* Effect.flip(Layer.build(Embedder.layerOllama({ url: `http://127.0.0.1:${port}`, model: "fake" })))
      expect(error).toMatchObject({ _tag: "EmbedderError", embedder: "ollama:fake" })
    }))

  it.scoped("an unreachable server is a typed error at once (refused, not waited for)", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() => freePort())
      const layer = Embedder.layerOllama({ url: `http://127.0.0.1:${port}`, model: "fake", dimension: 8, timeoutMs: 60_000 })
      const error = yield* Effect.flip(embedWith(layer, ["hello"]))
      expect(error._tag).toBe("EmbedderError")
      expect(error.reason).toMatch(/cannot reach Ollama at http:\/\/127\.0\.0\.1:\d+: fetch failed: .*ECONNREFUSED/)
    }))

  it.scoped("a server that never answers fails at the timeout, with a typed error", () =>
    Effect.gen(function*() {
      const server = yield* startFakeOllama(8)
      server.setBehaviour("hang")
      const error = yield* Effect.flip(embedWith(Embedder.layerOllama({ url: server.url, model: "fake", dimension: 8, timeoutMs: 200 }), ["x"]))
      expect(error.reason).toMatch(/no answer from Ollama at .* within 200 ms/)
    }))

  it.scoped("HTTP errors, replies that are not JSON and vectors of the wrong dimension are typed errors", () =>
    Effect.gen(function*() {
      const server = yield* startFakeOllama(8)
      const layer = Embedder.layerOllama({ url: server.url, model: "fake", dimension: 8 })
      server.setBehaviour("error")
      expect((yield* Effect.flip(embedWith(layer, ["x"]))).reason).toMatch(/HTTP 500: .*model not loaded/)
      server.setBehaviour("not-json")
      expect((yield* Effect.flip(embedWith(layer, ["x"]))).reason).toMatch(/not JSON/)
      server.setBehaviour("wrong-dimension")
      expect((yield* Effect.flip(embedWith(layer, ["x"]))).reason).toMatch(/dimension 9, expected 8/)
    }))
})
