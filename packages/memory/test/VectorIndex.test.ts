/**
 * The vector index: sketch candidates re-ranked exactly must agree with exact search; filters the
 * candidate pool cannot satisfy fall back to exact search; other processes' writes are seen.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { fileURLToPath } from "node:url"
import { EventStore, Storage, statement } from "@waggle/primitives"
import { backends, runWorker } from "@waggle/test-support"
import { Embedder, hashed, Memory, UpsertDecider } from "../src/index.js"
import { toBlob } from "../src/internal/vector.js"
import { learnings, mulberry32, queryFor } from "../bench/corpus.js"
import { memoryLayer } from "./fixtures.js"

const worker = fileURLToPath(new URL("./workers/storeMemories.ts", import.meta.url))

/**
 * A small candidate pool, so that searches go through the sketch scan rather than taking every
 * memory; no similarity floor, so that every positive similarity is a hit as in exact search.
 */
const smallPool = (backend: (typeof backends)[number]) =>
  memoryLayer(backend, Embedder.layerHashed, UpsertDecider.layerRules, { candidates: 100, exactRerank: 30, minSimilarity: 0 })

const embedder = hashed()

describe.each(backends)("vector index on $name", (backend) => {
  it.scoped("sketch candidates re-ranked exactly agree with exact search (recall@10 ≥ 0.95)", () =>
    Effect.gen(function*() {
      const memory = yield* Memory
      const storage = yield* Storage
      const { project } = yield* EventStore
      const texts = learnings(800, 3)
      yield* Effect.forEach(texts, (t) => memory.store(t), { concurrency: 8, discard: true })
      const rand = mulberry32(11)
      let found = 0
      let total = 0
      for (let q = 0; q < 40; q++) {
        const query = queryFor(texts[Math.floor(rand() * texts.length)]!, rand)
        const [v] = yield* embedder.embed([query])
        const exact = yield* storage.query<{ id: string; d: number }>(statement(
          `SELECT id, vector_distance_cos(embedding, ?) AS d FROM memories WHERE project = ? AND valid_until IS NULL
           ORDER BY d LIMIT 10`,
          [toBlob(v!), project]
        ))
        const { hits } = yield* memory.find(query, { mode: "vector", limit: 10 })
        const got = new Set(hits.map((h) => h.id))
        const tenth = exact[exact.length - 1]!.d
        for (const e of exact) {
          total++
          if (got.has(e.id) || Math.abs(e.d - tenth) < 1e-6) found++
        }
      }
      expect(found / total).toBeGreaterThanOrEqual(0.95)
    }).pipe(Effect.provide(smallPool(backend))))

  it.scoped("a filter the candidate pool cannot satisfy falls back to exact search", () =>
    Effect.gen(function*() {
      const memory = yield* Memory
      const storage = yield* Storage
      const { project } = yield* EventStore
      const texts = learnings(400, 5)
      const rare: Array<string> = []
      for (const [i, t] of texts.entries()) {
        const id = yield* memory.store(t, i % 80 === 7 ? { tags: ["rare"] } : {})
        if (i % 80 === 7) rare.push(id)
      }
      // The 100 nearest to texts[0] hold few or none of the 5 rare ones; the answer must still be exact.
      const [v] = yield* embedder.embed([texts[0]!])
      const exact = yield* storage.query<{ id: string; d: number }>(statement(
        `SELECT id, vector_distance_cos(embedding, ?) AS d FROM memories
         WHERE project = ? AND id IN (SELECT value FROM json_each(?)) AND vector_distance_cos(embedding, ?) < 1 ORDER BY d`,
        [toBlob(v!), project, JSON.stringify(rare), toBlob(v!)]
      ))
      expect(exact.length).toBeGreaterThan(0)
      const { hits } = yield* memory.find(texts[0]!, { mode: "vector", tags: ["rare"], limit: 10 })
      expect(hits.map((h) => h.id)).toEqual(exact.map((e) => e.id))
    }).pipe(Effect.provide(smallPool(backend))))

  it.scoped("memories stored by another process are found; removed and superseded ones leave the index", () =>
    Effect.gen(function*() {
      const memory = yield* Memory
      const storage = yield* Storage
      const { project } = yield* EventStore
      const own = yield* memory.store("Local learning: the blue cluster needs warm caches before traffic")
      expect((yield* memory.find("cluster warm caches", { mode: "vector" })).hits.map((h) => h.id)).toEqual([own])
      const result = yield* Effect.promise(() => runWorker(worker, [storage.url, project, "5", "green"]))
      const { ids } = result.messages[0] as { ids: Array<string> }
      const after = (yield* memory.find("green cluster warm caches", { mode: "vector", limit: 10 })).hits.map((h) => h.id)
      expect([...after].sort()).toEqual([...ids, own].sort())
      yield* memory.remove(ids[0]!)
      const update = yield* memory.upsert("green learning 1: the green cluster needs warm caches before traffic, 10 minutes")
      expect(update).toMatchObject({ action: "UPDATE", previous: ids[1] })
      const now = (yield* memory.find("green cluster warm caches", { mode: "vector", limit: 10 })).hits.map((h) => h.id)
      expect(now).not.toContain(ids[0])
      expect(now).not.toContain(ids[1])
      expect(now).toContain(update.id)
    }).pipe(Effect.provide(memoryLayer(backend))))
})
