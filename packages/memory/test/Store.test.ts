import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, TestClock } from "effect"
import { EventStore, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"

const nothingStored = Effect.gen(function*() {
  const memory = yield* Memory
  const events = yield* EventStore
  expect((yield* memory.stats).total).toBe(0)
  expect(yield* events.readAll({ types: ["memory_stored"] })).toEqual([])
})

describe.each(backends)("Memory store/get/list/remove on $name", (backend) => {
  const run = runOn(backend)

  it.scoped("stores a memory and gets it back, with the defaults filled in", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      yield* TestClock.setTime(1_700_000_000_000)
      const id = yield* memory.store("  OAuth refresh tokens need a 5-minute buffer  ", {
        tags: ["oauth", "auth", "oauth"],
        metadata: { ticket: "SEC-12", nested: { n: 1 } },
        source: "agent-7"
      })
      const m = yield* memory.get(id)
      expect(m).toMatchObject({
        id,
        content: "OAuth refresh tokens need a 5-minute buffer",
        tags: ["auth", "oauth"],
        collection: "default",
        metadata: { ticket: "SEC-12", nested: { n: 1 } },
        confidence: 0.7,
        source: "agent-7",
        validFrom: 1_700_000_000_000,
        validUntil: null,
        supersededBy: null,
        validatedAt: null,
        embedder: memory.embedder.name,
        dimension: 256,
        accessCount: 1,
        tier: "hot"
      })
      const other = yield* memory.store("Use pnpm in this repository", { collection: "tooling", confidence: 0.9 })
      expect(yield* memory.get(other)).toMatchObject({ collection: "tooling", confidence: 0.9, tags: [], source: null })
    })))

  it.scoped("collection and tags are stored as plain text (no JSON quotes), so filters and searches match", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const storage = yield* Storage
      const events = yield* EventStore
      const id = yield* memory.store("Deploys freeze on Fridays", { collection: "ops", tags: ["deploy"] })
      const row = yield* storage.queryOne<{ collection: string }>(
        sql`SELECT collection FROM memories WHERE project = ${events.project} AND id = ${id}`
      )
      expect(row?.collection).toBe("ops")
      const tag = yield* storage.queryOne<{ tag: string }>(sql`SELECT tag FROM memory_tags WHERE project = ${events.project}`)
      expect(tag?.tag).toBe("deploy")
      expect((yield* memory.list({ collection: "ops" })).map((m) => m.id)).toEqual([id])
      expect((yield* memory.list({ tags: ["deploy"] })).map((m) => m.id)).toEqual([id])
      expect((yield* memory.find("deploy", { collection: "ops" })).hits.map((h) => h.id)).toEqual([id])
      expect((yield* memory.find("fridays", { tags: ["deploy"], mode: "fulltext" })).hits.map((h) => h.id)).toEqual([id])
    })))

  it.scoped("bad input is a typed InvalidInput naming the field, and nothing is stored", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const bad: ReadonlyArray<[string, Parameters<typeof memory.store>[1], string]> = [
        ["", {}, "information"],
        ["   \n\t ", {}, "information"],
        ["x".repeat(32 * 1024 + 1), {}, "information"],
        ["é".repeat(16 * 1024 + 1), {}, "information"],
        ["nul \u0000 inside", {}, "information"],
        ["ok", { tags: ["Upper"] }, "options.tags[0]"],
        ["ok", { tags: ["has space"] }, "options.tags[0]"],
        ["ok", { tags: ["-leading"] }, "options.tags[0]"],
        ["ok", { tags: ["x".repeat(51)] }, "options.tags[0]"],
        ["ok", { tags: [""] }, "options.tags[0]"],
        ["ok", { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "options.tags"],
        ["ok", { collection: "Not A Slug" }, "options.collection"],
        ["ok", { confidence: 1.5 }, "options.confidence"],
        ["ok", { confidence: Number.NaN }, "options.confidence"],
        ["ok", { metadata: { big: "x".repeat(17 * 1024) } }, "options.metadata"],
        ["ok", { source: "" }, "options.source"],
        ["ok", { colection: "typo" } as never, "options.colection"]
      ]
      for (const [information, options, path] of bad) {
        const error = yield* Effect.flip(memory.store(information, options))
        expect(error._tag).toBe("InvalidInput")
        if (error._tag === "InvalidInput") {
          expect(error.operation).toBe("Memory.store")
          expect(error.issues.map((i) => i.path)).toContain(path)
        }
      }
      // Exactly at the limit is fine: 32 KiB of UTF-8.
      const upsertBad = yield* Effect.flip(memory.upsert("", {}))
      expect(upsertBad._tag).toBe("InvalidInput")
      yield* nothingStored
      const atLimit = yield* memory.store("y".repeat(32 * 1024))
      expect((yield* memory.get(atLimit)).content.length).toBe(32 * 1024)
    })))

  it.scoped("get and remove of an unknown id are MemoryNotFound; a malformed id is InvalidInput", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      expect(yield* Effect.flip(memory.get("mem_nope"))).toMatchObject({ _tag: "MemoryNotFound", id: "mem_nope" })
      expect(yield* Effect.flip(memory.remove("mem_nope"))).toMatchObject({ _tag: "MemoryNotFound", id: "mem_nope" })
      expect((yield* Effect.flip(memory.get("")))._tag).toBe("InvalidInput")
    })))

  it.scoped("list: newest first, by collection and by every given tag, superseded only when asked, limited", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const a = yield* memory.store("alpha fact about caching", { tags: ["cache", "perf"] })
      yield* TestClock.adjust("1 second")
      const b = yield* memory.store("beta fact about caching", { tags: ["cache"], collection: "ops" })
      yield* TestClock.adjust("1 second")
      const c = yield* memory.store("gamma fact about tracing", { tags: ["perf"] })
      expect((yield* memory.list()).map((m) => m.id)).toEqual([c, b, a])
      expect((yield* memory.list({ tags: ["cache", "perf"] })).map((m) => m.id)).toEqual([a])
      expect((yield* memory.list({ tags: ["perf"] })).map((m) => m.id)).toEqual([c, a])
      expect((yield* memory.list({ collection: "ops" })).map((m) => m.id)).toEqual([b])
      expect((yield* memory.list({ limit: 1 })).map((m) => m.id)).toEqual([c])
      const update = yield* memory.upsert("gamma fact about tracing with sampling at ten percent", { tags: ["perf"] })
      expect(update).toMatchObject({ action: "UPDATE", previous: c })
      expect((yield* memory.list()).map((m) => m.id)).not.toContain(c)
      expect((yield* memory.list({ includeSuperseded: true })).map((m) => m.id)).toContain(c)
      expect(Either.isLeft(yield* Effect.either(memory.list({ limit: 0 })))).toBe(true)
    })))

  it.scoped("remove erases the memory, its full-text entry, tags, links and access record", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const storage = yield* Storage
      const { project } = yield* EventStore
      const keep = yield* memory.store("Redis sessions expire after thirty minutes", { tags: ["redis"] })
      const gone = yield* memory.store("Redis keys need a namespace prefix per service", { tags: ["redis", "naming"] })
      yield* memory.link(keep, gone, { type: "related" })
      yield* memory.link(gone, keep, { type: "refines" })
      yield* memory.get(gone)
      yield* memory.remove(gone)
      expect(yield* Effect.flip(memory.get(gone))).toMatchObject({ _tag: "MemoryNotFound" })
      const count = (table: string) =>
        Effect.map(storage.queryOne<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${table} WHERE project = ?`, args: [project] }), (r) => r!.n)
      expect(yield* count("memories")).toBe(1)
      expect(yield* count("memories_fts")).toBe(1)
      expect(yield* count("memory_tags")).toBe(1)
      expect(yield* count("memory_links")).toBe(0)
      expect(yield* storage.query(sql`SELECT * FROM memory_access WHERE project = ${project} AND id = ${gone}`)).toEqual([])
      for (const mode of ["hybrid", "vector", "fulltext"] as const) {
        expect((yield* memory.find("redis namespace prefix", { mode })).hits.map((h) => h.id)).not.toContain(gone)
      }
      expect(yield* memory.linked(keep)).toEqual([])
    })))

  it.scoped("stats count current and superseded memories, collections, embedders, tiers and links", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const a = yield* memory.store("The CI runner needs 4 GB of memory", { collection: "ci" })
      const b = yield* memory.store("Playwright runs Chromium only")
      yield* memory.link(a, b, { type: "related", strength: 0.4 })
      const u = yield* memory.upsert("The CI runner needs 8 GB of memory", { collection: "ci" })
      expect(u).toMatchObject({ action: "UPDATE", previous: a })
      yield* TestClock.adjust("40 days")
      const c = yield* memory.store("Fresh learning")
      yield* TestClock.adjust("10 days")
      yield* memory.get(b)
      const stats = yield* memory.stats
      expect(stats).toMatchObject({
        total: 4,
        current: 3,
        superseded: 1,
        byCollection: { ci: 1, default: 2 },
        byEmbedder: { [memory.embedder.name]: 3 },
        links: 2,
        embedder: { name: memory.embedder.name, dimension: 256 }
      })
      // b was just read (hot), c was stored 10 days ago (warm), the update is 50 days old (cold).
      expect(stats.tiers).toEqual({ hot: 1, warm: 1, cold: 1 })
      expect((yield* memory.get(c)).tier).toBe("hot")
    })))
})
