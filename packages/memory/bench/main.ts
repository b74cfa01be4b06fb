/**
 * `pnpm bench` for the memory. One JSON line per figure:
 *   {"op","memories","ops_per_s"}                                   store rates
 *   {"op","memories","p50_ms","p99_ms","baseline_p50_ms","ratio","recall_at_10"}   finds
 * The database grows 1k → 10k → 100k (a fresh temporary directory per run; nothing cached between
 * runs). Stores use precomputed embeddings (the hashed embedder), so the rate excludes embedding
 * time. Every find is measured next to the brute-force SQL search (`ORDER BY vector_distance_cos
 * LIMIT 10` over every current memory) on the same data in the same run; recall@10 is against
 * that exact search (a result tied with the exact 10th distance counts as found).
 * Then, for comparison, libSQL's own vector index over the first `--libsql-index` vectors.
 * Flags: --sizes 1000,10000,100000 --queries 200 --concurrency 16 --libsql-index 5000 (0: skip)
 */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore, Project, Storage, statement } from "@waggle/primitives"
import { Embedder, hashed, Memory, UpsertDecider } from "../src/index.js"
import type { EmbedderService } from "../src/index.js"
import { toBlob } from "../src/internal/vector.js"
import { learnings, mulberry32, queryFor } from "./corpus.js"
import { libsqlIndexFigures } from "./libsqlIndex.js"

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const sizes = (arg("sizes") ?? "1000,10000,100000").split(",").map(Number)
const queryCount = Number(arg("queries") ?? 200)
const concurrency = Number(arg("concurrency") ?? 16)
const libsqlIndexSize = Number(arg("libsql-index") ?? 5000)

const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + "\n")
const round = (n: number, digits = 3) => Number(n.toFixed(digits))
const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** The hashed embedder, answering from vectors computed before the timed part. */
const precomputed = (base: EmbedderService, cache: Map<string, Float32Array>): EmbedderService => ({
  name: base.name,
  dimension: base.dimension,
  embed: (texts) =>
    Effect.flatMap(
      Effect.sync(() => texts.filter((t) => !cache.has(t))),
      (missing) =>
        Effect.map(base.embed(missing), (vs) => {
          missing.forEach((t, i) => cache.set(t, vs[i]!))
          return texts.map((t) => cache.get(t)!)
        })
    )
})

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.all([Effect.sync(() => performance.now()), effect]), ([t0, a]) => ({ value: a, ms: performance.now() - t0 }))

const program = (texts: ReadonlyArray<string>, embedder: EmbedderService) =>
  Effect.gen(function*() {
    const memory = yield* Memory
    const storage = yield* Storage
    const { project } = yield* EventStore
    let stored = 0
    for (const size of sizes) {
      // Store: half sequential, half with `concurrency` concurrent writers (group commit). The very
      // first 200 warm the JIT and the database up, untimed.
      if (stored === 0) {
        yield* Effect.forEach(texts.slice(0, 200), (t) => memory.store(t), { discard: true })
        stored = 200
      }
      const batch = texts.slice(stored, size)
      const half = Math.floor(batch.length / 2)
      const sequential = yield* timed(Effect.forEach(batch.slice(0, half), (t) => memory.store(t), { discard: true }))
      const concurrent = yield* timed(Effect.forEach(batch.slice(half), (t) => memory.store(t), { concurrency, discard: true }))
      stored = size
      print({ op: "store", memories: size, writers: 1, ops_per_s: Math.round((half / sequential.ms) * 1000) })
      print({ op: "store", memories: size, writers: concurrency, ops_per_s: Math.round(((batch.length - half) / concurrent.ms) * 1000) })

      // The first search loads this process's index.
      const load = yield* timed(memory.find("warm up the index", { mode: "vector" }))
      print({ op: "index_load", memories: size, ms: round(load.ms) })

      const rand = mulberry32(size)
      const queries = Array.from({ length: queryCount }, () => queryFor(texts[Math.floor(rand() * size)]!, rand))
      const baseline: Array<number> = []
      const exact: Array<ReadonlyArray<{ seq: number; d: number }>> = []
      for (const q of queries) {
        const [v] = yield* embedder.embed([q])
        const r = yield* timed(storage.query<{ seq: number; d: number }>(statement(
          `SELECT seq, vector_distance_cos(embedding, ?) AS d FROM memories
           WHERE project = ? AND embedder = ? AND valid_until IS NULL ORDER BY d LIMIT 10`,
          [toBlob(v!), project, embedder.name]
        )))
        baseline.push(r.ms)
        exact.push(r.value)
      }
      const baselineP50 = percentile(baseline, 50)
      print({ op: "baseline_bruteforce_sql", memories: size, p50_ms: round(baselineP50), p99_ms: round(percentile(baseline, 99)) })

      for (const mode of ["vector", "hybrid", "fulltext"] as const) {
        const latencies: Array<number> = []
        let found = 0
        for (const [i, q] of queries.entries()) {
          const r = yield* timed(memory.find(q, { mode, limit: 10 }))
          latencies.push(r.ms)
          if (mode !== "vector") continue
          const seqs = yield* storage.query<{ id: string; seq: number }>(statement(
            "SELECT id, seq FROM memories WHERE project = ? AND id IN (SELECT value FROM json_each(?))",
            [project, JSON.stringify(r.value.hits.map((h) => h.id))]
          ))
          const got = new Set(seqs.map((s) => s.seq))
          const truth = exact[i]!
          const tenth = truth[truth.length - 1]?.d ?? 0
          const gotDistances = r.value.hits.map((h) => 1 - (h.vectorScore ?? 0))
          for (const t of truth) {
            if (got.has(t.seq) || (Math.abs(t.d - tenth) < 1e-6 && gotDistances.some((d) => Math.abs(d - t.d) < 1e-6))) found++
          }
        }
        const p50 = percentile(latencies, 50)
        print({
          op: `find_${mode}`,
          memories: size,
          p50_ms: round(p50),
          p99_ms: round(percentile(latencies, 99)),
          baseline_p50_ms: round(baselineP50),
          ratio: round(p50 / baselineP50),
          ...(mode === "vector" ? { recall_at_10: round(found / exact.reduce((n, e) => n + e.length, 0)) } : {})
        })
      }
    }
    if (libsqlIndexSize > 0) {
      const n = Math.min(libsqlIndexSize, texts.length)
      const vectors = yield* embedder.embed(texts.slice(0, n))
      const rand = mulberry32(99)
      const queries = yield* embedder.embed(Array.from({ length: 100 }, () => queryFor(texts[Math.floor(rand() * n)]!, rand)))
      for (const line of yield* libsqlIndexFigures(vectors, queries)) print(line)
    }
  })

const main = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "waggle-memory-bench-"))
  try {
    const max = Math.max(...sizes)
    const texts = learnings(max)
    const base = hashed()
    const cache = new Map<string, Float32Array>()
    const t0 = performance.now()
    const vectors = await Effect.runPromise(base.embed(texts))
    texts.forEach((t, i) => cache.set(t, vectors[i]!))
    print({ op: "embed_hashed", memories: max, ops_per_s: Math.round((max / (performance.now() - t0)) * 1000) })
    const embedder = precomputed(base, cache)
    const layer = Layer.provideMerge(
      Memory.layer.pipe(Layer.provide(Layer.merge(Embedder.layerOf(embedder), UpsertDecider.layerRules))),
      Layer.provideMerge(
        EventStore.layer,
        Layer.merge(Storage.layer({ url: `file:${path.join(dir, "bench.db")}` }), Project.layerOf({ key: "bench", root: dir }))
      )
    )
    await Effect.runPromise(Effect.scoped(program(texts, embedder).pipe(Effect.provide(layer))))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
