/**
 * Reads: filtered queries, the ready queue, epic progress.
 *
 * The ready queue reads `queue` (the status of a live, unblocked, open or in-progress cell) through
 * partial indexes, so each part of it is one index range scan with LIMIT:
 * - priority: (queue, priority, created_at, id), P0 first, then oldest first;
 * - oldest: (queue, created_at, id);
 * - hybrid: cells created in the last 48 hours by priority, then older cells by age.
 * With an assignee filter (or unassigned) the (queue, assignee, priority, ...) index serves it.
 */
import { Effect } from "effect"
import { sql, statement } from "@waggle/primitives"
import type { SqlValue, StorageError } from "@waggle/primitives"
import type { CellStatus, EpicProgress } from "../Cell.js"
import type { QueryInput, ReadySort } from "./inputs.js"
import { CELL_COLUMNS } from "./rows.js"
import type { CellRow, Query } from "./rows.js"

const HYBRID_RECENT_MS = 48 * 60 * 60 * 1000

export interface QueryFilter extends Omit<QueryInput, "parent"> {
  readonly parent?: string
}

const ORDER = {
  priority: "priority, created_at, id",
  created: "created_at, id",
  updated: "updated_at DESC, id",
  id: "id"
} as const

export const queryRows = (query: Query, project: string, f: QueryFilter): Effect.Effect<ReadonlyArray<CellRow>, StorageError> => {
  const where = ["project = ?"]
  const args: Array<SqlValue> = [project]
  if (f.status !== undefined) {
    const statuses: ReadonlyArray<string> = typeof f.status === "string" ? [f.status] : f.status
    where.push(`status IN (SELECT value FROM json_each(?))`)
    args.push(JSON.stringify(statuses))
  }
  if (f.type !== undefined) {
    where.push("type = ?")
    args.push(f.type)
  }
  if (f.parent !== undefined) {
    where.push("parent = ?")
    args.push(f.parent)
  }
  if (f.assignee !== undefined) {
    where.push("assignee = ?")
    args.push(f.assignee)
  }
  if (f.unassigned === true) where.push("assignee IS NULL")
  if (f.label !== undefined) {
    where.push("id IN (SELECT cell_id FROM hive_labels WHERE project = ? AND label = ?)")
    args.push(project, f.label)
  }
  if (f.text !== undefined) {
    where.push("(instr(lower(title), lower(?)) > 0 OR instr(lower(description), lower(?)) > 0)")
    args.push(f.text, f.text)
  }
  if (f.includeDeleted !== true) where.push("deleted_at IS NULL")
  args.push(f.limit ?? 100)
  return query<CellRow>(statement(
    `SELECT ${CELL_COLUMNS} FROM hive_cells ${f.parent === undefined ? "" : "INDEXED BY hive_cells_parent"}
     WHERE ${where.join(" AND ")} ORDER BY ${ORDER[f.sort ?? "priority"]} LIMIT ?`,
    args
  ))
}

export interface ReadyFilter {
  readonly sort: ReadySort
  readonly queues: ReadonlyArray<"open" | "in_progress">
  /** A string: that assignee; null: unassigned; undefined: anyone. */
  readonly assignee: string | null | undefined
  readonly type: string | undefined
  readonly label: string | undefined
  readonly limit: number
  readonly now: number
  /** Leave epics out (claimNext: an epic is a container, not a unit of work) unless `type` asks for them. */
  readonly excludeEpics?: boolean
}

/** The order of the ready queue, as a comparator (used to merge the index scans). */
export const readyOrder = (sort: ReadySort, now: number) => {
  const cutoff = now - HYBRID_RECENT_MS
  const key = (r: CellRow): ReadonlyArray<number | string> =>
    sort === "priority"
      ? [r.priority, r.created_at, r.id]
      : sort === "oldest"
      ? [r.created_at, r.id]
      : r.created_at >= cutoff
      ? [0, r.priority, r.created_at, r.id]
      : [1, r.created_at, r.id]
  return (a: CellRow, b: CellRow): number => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i]! < kb[i]!) return -1
      if (ka[i]! > kb[i]!) return 1
    }
    return ka.length - kb.length
  }
}

const scan = (
  query: Query,
  project: string,
  f: ReadyFilter,
  queue: string,
  order: "priority" | "age",
  range: { readonly since?: number; readonly before?: number }
) => {
  const where = ["project = ?", "queue = ?"]
  const args: Array<SqlValue> = [project, queue]
  if (f.assignee === null) where.push("assignee IS NULL")
  else if (f.assignee !== undefined) {
    where.push("assignee = ?")
    args.push(f.assignee)
  }
  if (range.since !== undefined) {
    // Spelled out so that each priority is its own index range.
    where.push("priority IN (0, 1, 2, 3) AND created_at >= ?")
    args.push(range.since)
  }
  if (range.before !== undefined) {
    where.push("created_at < ?")
    args.push(range.before)
  }
  if (f.type !== undefined) {
    where.push("type = ?")
    args.push(f.type)
  } else if (f.excludeEpics === true) {
    where.push("type <> 'epic'")
  }
  if (f.label !== undefined) {
    where.push("id IN (SELECT cell_id FROM hive_labels WHERE project = ? AND label = ?)")
    args.push(project, f.label)
  }
  args.push(f.limit)
  const orderBy = order === "priority" ? "priority, created_at, id" : "created_at, id"
  return query<CellRow>(statement(
    `SELECT ${CELL_COLUMNS} FROM hive_cells WHERE ${where.join(" AND ")} ORDER BY ${orderBy} LIMIT ?`,
    args
  ))
}

/** The first `limit` ready rows in the filter's order. */
export const readyRows = (query: Query, project: string, f: ReadyFilter): Effect.Effect<Array<CellRow>, StorageError> =>
  Effect.gen(function*() {
    const compare = readyOrder(f.sort, f.now)
    const parts: Array<ReadonlyArray<CellRow>> = []
    for (const queue of f.queues) {
      if (f.sort === "priority") parts.push(yield* scan(query, project, f, queue, "priority", {}))
      else if (f.sort === "oldest") parts.push(yield* scan(query, project, f, queue, "age", {}))
      else {
        const cutoff = f.now - HYBRID_RECENT_MS
        parts.push(yield* scan(query, project, f, queue, "priority", { since: cutoff }))
        parts.push(yield* scan(query, project, f, queue, "age", { before: cutoff }))
      }
    }
    return parts.flat().sort(compare).slice(0, f.limit)
  })

export const epicProgress = (query: Query, project: string, epic: string): Effect.Effect<EpicProgress, StorageError> =>
  Effect.map(
    query<{ status: CellStatus; n: number }>(sql`
      SELECT status, count(*) AS n FROM hive_cells INDEXED BY hive_cells_parent
      WHERE project = ${project} AND parent = ${epic} AND deleted_at IS NULL GROUP BY status`),
    (rows) => {
      const byStatus = { open: 0, in_progress: 0, blocked: 0, closed: 0 }
      for (const r of rows) byStatus[r.status] = r.n
      const total = byStatus.open + byStatus.in_progress + byStatus.blocked + byStatus.closed
      return { id: epic, total, byStatus, closureEligible: total > 0 && byStatus.closed === total }
    }
  )

