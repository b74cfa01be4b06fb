/**
 * The alternative the memory did not take, measured in the same run for comparison: libSQL's own
 * DiskANN index (`libsql_vector_idx` with `compress_neighbors=float8, max_neighbors=32`, the
 * settings that insert fastest) over the same vectors: insert rate, top-10 latency, recall@10
 * against exact search on the same table.
 *
 * (`WHERE ? = 1`: the native binding reads a statement's only argument, when it is a BLOB, as an
 * object of named parameters and panics; a second argument avoids that.)
 */
import { Effect } from "effect"
import { Storage, statement } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import { toBlob } from "../src/internal/vector.js"

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export const libsqlIndexFigures = (
  vectors: ReadonlyArray<Float32Array>,
  queries: ReadonlyArray<Float32Array>
): Effect.Effect<ReadonlyArray<Record<string, unknown>>, StorageError, Storage> =>
  Effect.gen(function*() {
    const storage = yield* Storage
    const dim = vectors[0]!.length
    yield* storage.write((tx) =>
      tx.script(`
        CREATE TABLE bench_vidx (id INTEGER PRIMARY KEY, embedding F32_BLOB(${dim}));
        CREATE INDEX bench_vidx_ann ON bench_vidx (libsql_vector_idx(embedding, 'compress_neighbors=float8', 'max_neighbors=32'));`)
    )
    const t0 = performance.now()
    for (let i = 0; i < vectors.length; i += 100) {
      const chunk = vectors.slice(i, i + 100)
      yield* storage.write((tx) =>
        tx.runAll(chunk.map((v, j) => statement("INSERT INTO bench_vidx (id, embedding) VALUES (?, ?)", [i + j + 1, toBlob(v)])))
      )
    }
    const insertRate = Math.round((vectors.length / (performance.now() - t0)) * 1000)
    const latencies: Array<number> = []
    const exactLatencies: Array<number> = []
    let found = 0
    let total = 0
    for (const q of queries) {
      const blob = toBlob(q)
      const t = performance.now()
      const ann = yield* storage.query<{ id: number }>(statement("SELECT id FROM vector_top_k('bench_vidx_ann', ?, 10) WHERE ? = 1", [blob, 1]))
      latencies.push(performance.now() - t)
      const te = performance.now()
      const exact = yield* storage.query<{ id: number; d: number }>(statement(
        "SELECT id, vector_distance_cos(embedding, ?) AS d FROM bench_vidx WHERE ? = 1 ORDER BY d LIMIT 10",
        [blob, 1]
      ))
      exactLatencies.push(performance.now() - te)
      const got = new Set(ann.map((r) => r.id))
      const tenth = exact[exact.length - 1]?.d ?? 0
      for (const e of exact) {
        total++
        if (got.has(e.id) || Math.abs(e.d - tenth) < 1e-6) found++
      }
    }
    const p50 = percentile(latencies, 50)
    const base = percentile(exactLatencies, 50)
    yield* storage.write((tx) => tx.script("DROP TABLE bench_vidx"))
    return [
      { op: "alt_libsql_vector_idx_insert", memories: vectors.length, ops_per_s: insertRate },
      {
        op: "alt_libsql_vector_idx_top10",
        memories: vectors.length,
        p50_ms: Number(p50.toFixed(3)),
        p99_ms: Number(percentile(latencies, 99).toFixed(3)),
        baseline_p50_ms: Number(base.toFixed(3)),
        ratio: Number((p50 / base).toFixed(3)),
        recall_at_10: Number((found / total).toFixed(3))
      }
    ]
  })
