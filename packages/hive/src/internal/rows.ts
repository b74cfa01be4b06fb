/** Reading cells from the projections, with their labels, links and comments, in bulk. */
import { Effect } from "effect"
import { sql, statement } from "@waggle/primitives"
import type { Statement, StorageError } from "@waggle/primitives"
import type { Cell, CellStatus, CellType, Comment, Dependency } from "../Cell.js"

/** A read function: `Storage.query` outside a transaction, `tx.query` inside one. */
export type Query = <R>(statement: Statement) => Effect.Effect<ReadonlyArray<R>, StorageError>

export interface CellRow {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly type: string
  readonly status: string
  readonly priority: number
  readonly assignee: string | null
  readonly files: string
  readonly parent: string | null
  readonly created_at: number
  readonly updated_at: number
  readonly closed_at: number | null
  readonly closed_reason: string | null
  readonly result: string | null
  readonly deleted_at: number | null
  readonly blocked: number
  readonly next_child: number
}

export const CELL_COLUMNS = `id, title, description, type, status, priority, assignee, files, parent, created_at, updated_at,
  closed_at, closed_reason, result, deleted_at, blocked, next_child`

interface LabelRow {
  readonly cell_id: string
  readonly label: string
}
interface DepRow {
  readonly from_id: string
  readonly to_id: string
  readonly kind: string
  readonly created_at: number
}
interface CommentRow {
  readonly cell_id: string
  readonly comment_id: string
  readonly author: string
  readonly body: string
  readonly created_at: number
}

export interface Links {
  readonly labels: Map<string, Array<string>>
  readonly dependencies: Map<string, Array<Dependency>>
  readonly dependents: Map<string, Array<Dependency>>
  readonly comments: Map<string, Array<Comment>>
}

const push = <V>(map: Map<string, Array<V>>, key: string, value: V) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

const byIdKind = (a: Dependency, b: Dependency) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)

export const emptyLinks = (): Links => ({ labels: new Map(), dependencies: new Map(), dependents: new Map(), comments: new Map() })

/** Adds rows of the link tables to `links`. */
export const collectLinks = (
  links: Links,
  labels: ReadonlyArray<LabelRow>,
  deps: ReadonlyArray<DepRow>,
  comments: ReadonlyArray<CommentRow>,
  withDependents: boolean
) => {
  for (const r of labels) push(links.labels, r.cell_id, r.label)
  for (const r of deps) {
    const kind = r.kind as Dependency["kind"]
    push(links.dependencies, r.from_id, { id: r.to_id, kind, createdAt: r.created_at })
    if (withDependents) push(links.dependents, r.to_id, { id: r.from_id, kind, createdAt: r.created_at })
  }
  for (const r of comments) {
    push(links.comments, r.cell_id, { id: r.comment_id, author: r.author, body: r.body, createdAt: r.created_at })
  }
}

const CHUNK = 500

/** The labels, links (both ways) and comments of the given cells. */
export const loadLinks = (query: Query, project: string, ids: ReadonlyArray<string>): Effect.Effect<Links, StorageError> =>
  Effect.gen(function*() {
    const links = emptyLinks()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const list = JSON.stringify(ids.slice(i, i + CHUNK))
      const labels = yield* query<LabelRow>(statement(
        "SELECT cell_id, label FROM hive_labels WHERE project = ? AND cell_id IN (SELECT value FROM json_each(?))",
        [project, list]
      ))
      const deps = yield* query<DepRow>(statement(
        `SELECT from_id, to_id, kind, created_at FROM hive_deps WHERE project = ?1 AND from_id IN (SELECT value FROM json_each(?2))
         UNION
         SELECT from_id, to_id, kind, created_at FROM hive_deps INDEXED BY hive_deps_to
           WHERE project = ?1 AND to_id IN (SELECT value FROM json_each(?2))`,
        [project, list]
      ))
      const comments = yield* query<CommentRow>(statement(
        "SELECT cell_id, comment_id, author, body, created_at FROM hive_comments WHERE project = ? AND cell_id IN (SELECT value FROM json_each(?))",
        [project, list]
      ))
      collectLinks(links, labels, deps, comments, true)
    }
    return links
  })

const byCreated = (a: Comment, b: Comment) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const toCell = (row: CellRow, links: Links): Cell => ({
  id: row.id,
  title: row.title,
  description: row.description,
  type: row.type as CellType,
  status: row.status as CellStatus,
  priority: row.priority,
  assignee: row.assignee,
  labels: [...(links.labels.get(row.id) ?? [])].sort(),
  files: JSON.parse(row.files) as Array<string>,
  parent: row.parent,
  dependencies: [...(links.dependencies.get(row.id) ?? [])].sort(byIdKind),
  dependents: [...(links.dependents.get(row.id) ?? [])].sort(byIdKind),
  comments: [...(links.comments.get(row.id) ?? [])].sort(byCreated),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  closedAt: row.closed_at,
  closedReason: row.closed_reason,
  result: row.result,
  deletedAt: row.deleted_at,
  blocked: row.blocked !== 0
})

/** Full cells for rows, in the rows' order. */
export const hydrate = (query: Query, project: string, rows: ReadonlyArray<CellRow>): Effect.Effect<Array<Cell>, StorageError> =>
  Effect.map(loadLinks(query, project, rows.map((r) => r.id)), (links) => rows.map((r) => toCell(r, links)))

export const cellRow = (query: Query, project: string, id: string): Effect.Effect<CellRow | undefined, StorageError> =>
  Effect.map(
    query<CellRow>(statement(`SELECT ${CELL_COLUMNS} FROM hive_cells WHERE project = ? AND id = ?`, [project, id])),
    (rows) => rows[0]
  )

/** The full cell, or undefined. */
export const loadCell = (query: Query, project: string, id: string): Effect.Effect<Cell | undefined, StorageError> =>
  Effect.flatMap(cellRow(query, project, id), (row) =>
    row === undefined ? Effect.succeed(undefined) : Effect.map(hydrate(query, project, [row]), (cells) => cells[0]))

/** Open `blocks` dependencies of the cell and of its live ancestors (what keeps it from starting). */
export const openBlockers = (query: Query, project: string, id: string): Effect.Effect<Array<string>, StorageError> =>
  Effect.map(
    query<{ id: string }>(sql`
      WITH RECURSIVE up(id, depth) AS (
        SELECT ${id}, 0
        UNION ALL
        SELECT c.parent, up.depth + 1 FROM hive_cells c JOIN up ON c.project = ${project} AND c.id = up.id
        WHERE c.parent IS NOT NULL AND up.depth < 64
      )
      SELECT DISTINCT d.to_id AS id FROM up
      JOIN hive_deps d ON d.project = ${project} AND d.from_id = up.id AND d.kind = 'blocks'
      JOIN hive_cells b ON b.project = d.project AND b.id = d.to_id
      WHERE b.status <> 'closed' AND b.deleted_at IS NULL
      ORDER BY id`),
    (rows) => rows.map((r) => r.id)
  )
