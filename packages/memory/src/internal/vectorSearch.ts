/**
 * Vector retrieval: candidates from the in-process index (sketch scan, then int8 ranking), the
 * best `exact` of them re-ranked exactly in SQL with `vector_distance_cos` under the full filter
 * (tags included). When the filter leaves fewer hits
 * than asked although more memories were eligible than the pool held, it falls back to the exact
 * scan (`vector_distance_cos` over every memory the filter selects).
 */
import { Effect } from "effect"
import type { StorageError } from "@waggle/primitives"
import { statement } from "@waggle/primitives"
import type { MemoryContext } from "./context.js"
import type { SearchFilter } from "./rows.js"
import { filterSql } from "./rows.js"
import { toBlob } from "./vector.js"

export interface VectorHit {
  readonly seq: number
  /** Cosine similarity, -1..1. */
  readonly similarity: number
}

interface DistanceRow {
  readonly seq: number
  readonly d: number
}

const isZero = (v: Float32Array) => v.every((x) => x === 0)

const toHits = (rows: ReadonlyArray<DistanceRow>): Array<VectorHit> =>
  rows.map((r) => ({ seq: r.seq, similarity: 1 - r.d }))

/** Exact search: every memory of the current embedder that the filter selects, nearest first. */
const exactVectorSearch = (
  ctx: MemoryContext,
  query: Float32Array,
  filter: SearchFilter,
  limit: number
): Effect.Effect<Array<VectorHit>, StorageError> => {
  const f = filterSql(filter)
  return Effect.map(
    ctx.storage.query<DistanceRow>(statement(
      `SELECT m.seq AS seq, vector_distance_cos(m.embedding, ?) AS d FROM memories m
       WHERE m.embedder = ? AND ${f.where} ORDER BY d, m.seq LIMIT ?`,
      [toBlob(query), ctx.embedder.name, ...f.args, limit]
    )),
    toHits
  )
}

/** The `limit` memories of the current embedder nearest to `query` under `filter`, with the context's pool sizes. */
export const vectorSearch = (
  ctx: MemoryContext,
  query: Float32Array,
  filter: SearchFilter,
  limit: number
): Effect.Effect<Array<VectorHit>, StorageError> =>
  Effect.gen(function*() {
    if (isZero(query)) return []
    const { eligible, seqs } = yield* ctx.index.candidates(
      query,
      { collection: filter.collection, asOf: filter.asOf, includeSuperseded: filter.includeSuperseded },
      Math.max(ctx.config.candidates, limit),
      Math.max(ctx.config.exactRerank, limit)
    )
    if (seqs.length === 0) return []
    const f = filterSql(filter, true)
    const rows = yield* ctx.storage.query<DistanceRow>(statement(
      `SELECT m.seq AS seq, vector_distance_cos(m.embedding, ?) AS d FROM memories m
       WHERE m.seq IN (SELECT value FROM json_each(?)) AND +m.embedder = ? AND ${f.where}
       ORDER BY d, m.seq LIMIT ?`,
      [toBlob(query), JSON.stringify(seqs), ctx.embedder.name, ...f.args, limit]
    ))
    if (rows.length < limit && eligible > seqs.length) return yield* exactVectorSearch(ctx, query, filter, limit)
    return toHits(rows)
  })
