import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Embedder, Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"
import { startFakeOllama } from "./support/ollamaServer.js"

const DAY = 86_400_000

describe.each(backends)("Memory.find on $name", (backend) => {
  const run = runOn(backend)

  it.scoped("hybrid hits come with both retrievers' scores, final scores descending in 0..1", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      for (
        const text of [
          "Postgres connection pool should be capped at 20 per instance",
          "Postgres autovacuum needs tuning on the events table",
          "The connection to Redis is pooled by the client library",
          "Kubernetes liveness probes must not hit the database",
          "Postgres read replicas lag up to five minutes"
        ]
      ) yield* memory.store(text)
      const result = yield* memory.find("postgres connection pool size")
      expect(result).toMatchObject({ mode: "hybrid", used: "hybrid", fallback: null })
      expect(result.hits[0]?.content).toBe("Postgres connection pool should be capped at 20 per instance")
      expect(result.hits[0]?.vectorScore).toBeGreaterThan(0)
      expect(result.hits[0]?.textScore).toBeGreaterThan(0)
      const scores = result.hits.map((h) => h.score)
      expect([...scores].sort((a, b) => b - a)).toEqual(scores)
      expect(scores.every((s) => s > 0 && s <= 1)).toBe(true)
      expect(result.hits[0]?.score).toBe(1) // first for both retrievers, no decay yet
    })))

  it.scoped("content is truncated in results unless expand", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ")
      yield* memory.store(`Truncation marker ${long}`)
      const [short] = (yield* memory.find("truncation marker")).hits
      expect(short?.truncated).toBe(true)
      expect(short!.content.length).toBeLessThanOrEqual(301)
      expect(short!.content.endsWith("…")).toBe(true)
      expect(short!.content.startsWith("Truncation marker word0")).toBe(true)
      const [full] = (yield* memory.find("truncation marker", { expand: true })).hits
      expect(full).toMatchObject({ truncated: false, content: `Truncation marker ${long}` })
    })))

  it.scoped("FTS syntax in user text never causes an error, in any mode", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      yield* memory.store("Quotes \"inside\" and parens (here) and a star* and col:on and NEAR things")
      const nasty = [
        "\"", "\"unbalanced quote", "\"\"", "NEAR(a b", "a AND OR NOT b", "NOT", "*", "^start", "col:on", "content:quotes",
        "(", ")", "-", "a - b", "'", "\\", "{}", "🐝", "'; DROP TABLE memories; --", "a\" OR \"b", "x*y", "+-*/",
        "quotes \"inside", "AND", "OR OR OR", "\"NEAR\"", "near/2", "ä-ö-ü", "   padded   "
      ]
      for (const query of nasty) {
        for (const mode of ["hybrid", "vector", "fulltext"] as const) {
          const result = yield* memory.find(query, { mode })
          expect(Array.isArray(result.hits)).toBe(true)
        }
      }
      expect((yield* memory.find("\"inside\" parens", { mode: "fulltext" })).hits).toHaveLength(1)
    })))

  it.scoped("a hyphenated term matches literally, as a phrase", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const phrase = yield* memory.store("Always rate-limit the public API")
      const apart = yield* memory.store("The limit on the rate of retries is three")
      const fulltext = yield* memory.find("rate-limit", { mode: "fulltext" })
      expect(fulltext.hits.map((h) => h.id)).toEqual([phrase])
      const hybrid = yield* memory.find("rate-limit", { mode: "hybrid" })
      expect(hybrid.hits[0]?.id).toBe(phrase)
      expect(hybrid.hits.map((h) => h.id)).toContain(apart) // the vector side still finds the related one
    })))

  it.scoped("a quoted phrase is required in hybrid and full-text results", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const pool = yield* memory.store("The connection pool times out after 30 seconds")
      yield* memory.store("The pool of workers times out; connection errors follow")
      yield* memory.store("Connection strings live in Vault")
      for (const mode of ["hybrid", "fulltext"] as const) {
        const result = yield* memory.find("\"connection pool\" timeout", { mode })
        expect(result.hits.map((h) => h.id)).toEqual([pool])
      }
    })))

  it.scoped("filters: collection, every tag, minScore and limit", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      for (let i = 0; i < 15; i++) {
        yield* memory.store(`Cache invalidation rule number ${i} for the product pages`, {
          collection: i % 3 === 0 ? "web" : "default",
          tags: i % 2 === 0 ? ["cache", "web"] : ["cache"]
        })
      }
      expect((yield* memory.find("cache invalidation", { limit: 5 })).hits).toHaveLength(5)
      const web = (yield* memory.find("cache invalidation", { collection: "web", limit: 20 })).hits
      expect(web).toHaveLength(5)
      expect(web.every((h) => h.collection === "web")).toBe(true)
      const tagged = (yield* memory.find("cache invalidation", { tags: ["cache", "web"], limit: 20 })).hits
      expect(tagged).toHaveLength(8)
      expect(tagged.every((h) => h.tags.includes("web"))).toBe(true)
      const strict = (yield* memory.find("cache invalidation", { minScore: 0.9, limit: 20 })).hits
      expect(strict.length).toBeGreaterThan(0)
      expect(strict.every((h) => h.score >= 0.9)).toBe(true)
      expect(strict.length).toBeLessThan(15)
      const badFilter = yield* Effect.flip(memory.find("x", { minScore: 2 }))
      expect(badFilter._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(memory.find("  "))) ._tag).toBe("InvalidInput")
    })))

  it.scoped("superseded memories are excluded by default; asOf answers what was known then", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      yield* TestClock.setTime(1_000)
      const old = yield* memory.store("The staging database resets nightly at 02:00 UTC")
      yield* TestClock.setTime(2_000)
      const update = yield* memory.upsert("The staging database resets nightly at 03:00 UTC")
      expect(update).toMatchObject({ action: "UPDATE", previous: old })
      const ids = (r: { hits: ReadonlyArray<{ id: string }> }) => r.hits.map((h) => h.id)
      for (const mode of ["hybrid", "vector", "fulltext"] as const) {
        expect(ids(yield* memory.find("staging database reset", { mode }))).toEqual([update.id])
        expect(ids(yield* memory.find("staging database reset", { mode, asOf: 1_500 }))).toEqual([old])
        expect(ids(yield* memory.find("staging database reset", { mode, asOf: 2_000 }))).toEqual([update.id])
        expect(ids(yield* memory.find("staging database reset", { mode, asOf: 500 }))).toEqual([])
        expect(ids(yield* memory.find("staging database reset", { mode, includeSuperseded: true })).sort()).toEqual(
          [old, update.id].sort()
        )
      }
      const [then] = (yield* memory.find("staging database reset", { asOf: 1_500 })).hits
      expect(then).toMatchObject({ validFrom: 1_000, validUntil: 2_000 })
    })))

  it.scoped("decay: 90 days at confidence 0.5 halves the score; confidence slows it; validate restarts the clock", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const half = yield* memory.store("Decay probe alpha about invoices", { confidence: 0.5 })
      const sure = yield* memory.store("Decay probe beta about invoices", { confidence: 1 })
      const unsure = yield* memory.store("Decay probe gamma about invoices", { confidence: 0 })
      const decayOf = (id: string) =>
        Effect.map(memory.find("decay probe invoices", { mode: "vector" }), (r) => r.hits.find((h) => h.id === id)!)
      expect((yield* decayOf(half)).decay).toBe(1)
      yield* TestClock.adjust(90 * DAY)
      const h = yield* decayOf(half)
      expect(h.decay).toBeCloseTo(0.5, 9)
      expect(h.score).toBeCloseTo(h.vectorScore! * 0.5, 9)
      expect((yield* decayOf(sure)).decay).toBeCloseTo(Math.SQRT1_2, 9) // half-life 180 days
      expect((yield* decayOf(unsure)).decay).toBeCloseTo(0.25, 9) // half-life 45 days
      const validated = yield* memory.validate(half)
      expect(validated.validatedAt).toBe(90 * DAY)
      expect((yield* decayOf(half)).decay).toBe(1)
      yield* TestClock.adjust(90 * DAY)
      expect((yield* decayOf(half)).decay).toBeCloseTo(0.5, 9)
      // A past asOf measures the age then.
      const past = yield* memory.find("decay probe invoices", { mode: "vector", asOf: 45 * DAY })
      expect(past.hits.find((x) => x.id === sure)?.decay).toBeCloseTo(Math.pow(0.5, 45 / 180), 9)
      // validate can also change the confidence.
      expect((yield* memory.validate(unsure, { confidence: 0.9 })).confidence).toBe(0.9)
    })))

  it.scoped("access tracking: find and get update the last access and count; tiers follow time", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const id = yield* memory.store("Access probe: the flaky checkout test needs a fresh mock")
      yield* TestClock.adjust(1_000)
      yield* memory.find("flaky checkout mock")
      const [listed] = yield* memory.list()
      expect(listed).toMatchObject({ id, accessCount: 1, lastAccessedAt: 1_000, tier: "hot" })
      yield* TestClock.adjust(8 * DAY)
      expect((yield* memory.list())[0]?.tier).toBe("warm")
      yield* TestClock.adjust(30 * DAY)
      expect((yield* memory.list())[0]?.tier).toBe("cold")
      const got = yield* memory.get(id)
      expect(got).toMatchObject({ accessCount: 2, tier: "hot" })
      expect((yield* memory.list())[0]).toMatchObject({ accessCount: 2, tier: "hot" })
    })))

  it.scoped("hybrid falls back to full text when the embedder fails; vector mode reports the error", () =>
    Effect.gen(function*() {
      const server = yield* startFakeOllama()
      const ollama = Embedder.layerOllama({ url: server.url, model: "fake", dimension: 256, timeoutMs: 2_000 })
      yield* runOn(backend, ollama)(Effect.gen(function*() {
        const memory = yield* Memory
        expect(memory.embedder.name).toBe("ollama:fake")
        const id = yield* memory.store("Stripe webhooks can arrive out of order")
        yield* memory.store("Terraform state is locked in DynamoDB")
        expect((yield* memory.find("stripe webhooks")).used).toBe("hybrid")
        yield* server.close
        const result = yield* memory.find("stripe webhooks")
        expect(result).toMatchObject({ mode: "hybrid", used: "fulltext" })
        expect(result.fallback).toMatch(/cannot reach Ollama/)
        expect(result.hits.map((h) => h.id)).toEqual([id])
        expect(result.hits[0]?.vectorScore).toBeNull()
        const vectorOnly = yield* Effect.flip(memory.find("stripe webhooks", { mode: "vector" }))
        expect(vectorOnly).toMatchObject({ _tag: "EmbedderError", embedder: "ollama:fake" })
        const events = yield* EventStore
        const before = yield* events.head
        expect((yield* Effect.flip(memory.store("Not stored while the embedder is down")))._tag).toBe("EmbedderError")
        expect(yield* events.head).toBe(before)
      }))
    }))
})
