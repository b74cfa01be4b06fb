/**
 * Full-text retrieval with FTS5 BM25. The expression is built from tokens (see `ftsQuery`). When
 * a query's optional words together appear in more documents than the postings budget, the most
 * common are left out (`pruneOptional`, document frequencies from the FTS vocabulary): ranking them
 * would mean scoring a large part of the corpus for the words that weigh least in BM25.
 *
 * The fast path ranks the whole index without the project filter (filtering every match on an
 * unindexed column costs more than ranking), keeps the best `4 × limit`, and filters those. If that
 * leaves fewer than `limit` hits, the filtered query runs instead, so a selective filter or a
 * database shared by many projects never loses results. (`CROSS JOIN` fixes the join order: left
 * to itself, the planner scans every memory of the project and probes the ranked matches.)
 */
import { Effect } from "effect"
import type { SqlValue, StorageError, StorageService } from "@waggle/primitives"
import { statement } from "@waggle/primitives"
import type { ParsedQuery } from "./ftsQuery.js"
import { ftsExpression, pruneOptional } from "./ftsQuery.js"
import type { SearchFilter } from "./rows.js"
import { filterSql } from "./rows.js"

export interface TextHit {
  readonly seq: number
  /** BM25 relevance, positive, larger is better. */
  readonly bm25: number
}

export interface TextSearchOptions {
  /** Postings a query's optional words may touch before the commonest are left out. */
  readonly postingsBudget: number
}

/** bm25 weights: content, tags, project (unindexed). */
const BM25 = "bm25(memories_fts, 1.0, 0.5, 0.0)"

const documentFrequencies = (storage: StorageService, words: ReadonlyArray<string>) =>
  Effect.map(
    storage.query<{ term: string; doc: number }>(statement(
      "SELECT term, doc FROM memories_fts_terms WHERE term IN (SELECT value FROM json_each(?))",
      [JSON.stringify(words)]
    )),
    (rows) => new Map(rows.map((r) => [r.term, r.doc]))
  )

/** The FTS5 expression for a query, its commonest words left out if they would exceed the budget. */
export const matchExpression = (
  storage: StorageService,
  parsed: ParsedQuery,
  options: TextSearchOptions
): Effect.Effect<string | undefined, StorageError> =>
  Effect.gen(function*() {
    let optional = parsed.optional
    const words = optional.filter((t) => t.length === 1).map((t) => t[0]!)
    if (words.length > 1) optional = pruneOptional(optional, yield* documentFrequencies(storage, words), options.postingsBudget)
    return ftsExpression(parsed.required, optional)
  })

interface RankRow {
  readonly seq: number
  readonly b: number
}

const toHits = (rows: ReadonlyArray<RankRow>): Array<TextHit> => rows.map((r) => ({ seq: r.seq, bm25: -r.b }))

export const textSearch = (
  storage: StorageService,
  expression: string,
  filter: SearchFilter,
  limit: number
): Effect.Effect<Array<TextHit>, StorageError> =>
  Effect.gen(function*() {
    const f = filterSql(filter)
    const fast = yield* storage.query<RankRow>(statement(
      `SELECT c.seq AS seq, c.b AS b FROM
         (SELECT rowid AS seq, ${BM25} AS b FROM memories_fts WHERE memories_fts MATCH ? ORDER BY b LIMIT ?) c
       CROSS JOIN memories m ON m.seq = c.seq WHERE ${f.where} ORDER BY c.b, c.seq LIMIT ?`,
      [expression, Math.max(100, limit * 4), ...f.args, limit]
    ))
    if (fast.length >= limit) return toHits(fast)
    const args: Array<SqlValue> = [expression, ...f.args, limit]
    return toHits(yield* storage.query<RankRow>(statement(
      `SELECT f.rowid AS seq, ${BM25} AS b FROM memories_fts f JOIN memories m ON m.seq = f.rowid
       WHERE memories_fts MATCH ? AND ${f.where} ORDER BY b, f.rowid LIMIT ?`,
      args
    )))
  })

/** Which of `seqs` contain every required phrase (for hybrid: quoted phrases constrain all hits). */
export const literalMatches = (
  storage: StorageService,
  required: ParsedQuery["required"],
  seqs: ReadonlyArray<number>
): Effect.Effect<ReadonlySet<number>, StorageError> => {
  const expression = ftsExpression(required, [])
  if (expression === undefined || seqs.length === 0) return Effect.succeed(new Set(seqs))
  return Effect.map(
    storage.query<{ seq: number }>(statement(
      "SELECT rowid AS seq FROM memories_fts WHERE memories_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
      [expression, JSON.stringify(seqs)]
    )),
    (rows) => new Set(rows.map((r) => r.seq))
  )
}
