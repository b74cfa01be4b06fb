/**
 * The hive's projections: cells (with links, labels, comments and readiness) and sessions.
 * Handlers use only the event and existing rows; every statement filters on the project.
 */
import { Projection, sql } from "@waggle/primitives"
import type { Statement } from "@waggle/primitives"
import {
  CellClosed,
  CellCommented,
  CellCreated,
  CellDeleted,
  CellLabeled,
  CellMerged,
  CellRenamed,
  CellReopened,
  CellStarted,
  CellUpdated,
  DependencyAdded,
  DependencyRemoved,
  SessionEnded,
  SessionStarted
} from "./events.js"
import { refreshCells, refreshDependents, refreshSubtree, touch } from "./readiness.js"

/** `<parent>.<n>` children keep the parent's counter ahead of them, however they arrive. */
const bumpChildCounter = (project: string, id: string, parent: string | null): ReadonlyArray<Statement> => {
  if (parent === null || !id.startsWith(`${parent}.`)) return []
  const n = Number(id.slice(parent.length + 1))
  if (!Number.isSafeInteger(n) || n < 1) return []
  return [sql`UPDATE hive_cells SET next_child = max(next_child, ${n + 1}) WHERE project = ${project} AND id = ${parent}`]
}

const labelInserts = (project: string, id: string, labels: ReadonlyArray<string>) =>
  labels.map((label) =>
    sql`INSERT INTO hive_labels (project, cell_id, label) VALUES (${project}, ${id}, ${label}) ON CONFLICT DO NOTHING`
  )

const countCell = (project: string) =>
  sql`INSERT INTO hive_counters (project, name, value) VALUES (${project}, 'cells', 1)
      ON CONFLICT (project, name) DO UPDATE SET value = value + 1`

export const cellsProjection = Projection.make("hive_cells", [
  "hive_cells",
  "hive_deps",
  "hive_labels",
  "hive_comments",
  "hive_counters"
])
  .on(CellCreated, ({ data: d, project }) => [
    countCell(project),
    sql`INSERT INTO hive_cells (project, id, title, description, type, status, priority, assignee, files, parent,
          created_at, updated_at, blocked)
        VALUES (${project}, ${d.id}, ${d.title}, ${d.description}, ${d.type}, 'open', ${d.priority}, ${d.assignee},
          ${JSON.stringify(d.files)}, ${d.parent}, ${d.at}, ${d.at},
          coalesce((SELECT p.blocked AND p.deleted_at IS NULL FROM hive_cells p WHERE p.project = ${project} AND p.id = ${d.parent}), 0))`,
    ...labelInserts(project, d.id, d.labels),
    ...bumpChildCounter(project, d.id, d.parent)
  ])
  .on(CellUpdated, ({ data: { id, changes: c, at }, project }) => {
    const statements: Array<Statement> = []
    if (c.title !== undefined) statements.push(sql`UPDATE hive_cells SET title = ${c.title} WHERE project = ${project} AND id = ${id}`)
    if (c.description !== undefined) {
      statements.push(sql`UPDATE hive_cells SET description = ${c.description} WHERE project = ${project} AND id = ${id}`)
    }
    if (c.type !== undefined) statements.push(sql`UPDATE hive_cells SET type = ${c.type} WHERE project = ${project} AND id = ${id}`)
    if (c.priority !== undefined) {
      statements.push(sql`UPDATE hive_cells SET priority = ${c.priority} WHERE project = ${project} AND id = ${id}`)
    }
    if (c.assignee !== undefined) {
      statements.push(sql`UPDATE hive_cells SET assignee = ${c.assignee} WHERE project = ${project} AND id = ${id}`)
    }
    if (c.files !== undefined) {
      statements.push(sql`UPDATE hive_cells SET files = ${JSON.stringify(c.files)} WHERE project = ${project} AND id = ${id}`)
    }
    if (c.status !== undefined) statements.push(sql`UPDATE hive_cells SET status = ${c.status} WHERE project = ${project} AND id = ${id}`)
    statements.push(touch(project, id, at))
    if (c.parent !== undefined) {
      statements.push(sql`UPDATE hive_cells SET parent = ${c.parent} WHERE project = ${project} AND id = ${id}`)
      statements.push(...bumpChildCounter(project, id, c.parent), refreshSubtree(project, id))
    }
    return statements
  })
  .on(CellStarted, ({ data: d, project }) => [
    d.agent === null
      ? sql`UPDATE hive_cells SET status = 'in_progress' WHERE project = ${project} AND id = ${d.id}`
      : sql`UPDATE hive_cells SET status = 'in_progress', assignee = ${d.agent} WHERE project = ${project} AND id = ${d.id}`,
    touch(project, d.id, d.at)
  ])
  .on(CellClosed, ({ data: d, project }) => [
    sql`UPDATE hive_cells SET status = 'closed', closed_at = ${d.at}, closed_reason = ${d.reason}, result = ${d.result}
        WHERE project = ${project} AND id = ${d.id}`,
    touch(project, d.id, d.at),
    ...refreshDependents(project, d.id)
  ])
  .on(CellReopened, ({ data: d, project }) => [
    sql`UPDATE hive_cells SET status = 'open', closed_at = NULL, closed_reason = NULL, result = NULL
        WHERE project = ${project} AND id = ${d.id}`,
    touch(project, d.id, d.at),
    ...refreshDependents(project, d.id)
  ])
  .on(CellDeleted, ({ data: d, project }) => [
    sql`UPDATE hive_cells SET deleted_at = ${d.at} WHERE project = ${project} AND id = ${d.id}`,
    touch(project, d.id, d.at),
    ...refreshDependents(project, d.id),
    refreshSubtree(project, d.id)
  ])
  .on(CellCommented, ({ data: d, project }) => [
    sql`INSERT INTO hive_comments (project, cell_id, comment_id, author, body, created_at)
        VALUES (${project}, ${d.id}, ${d.comment}, ${d.author}, ${d.body}, ${d.at}) ON CONFLICT DO NOTHING`,
    touch(project, d.id, d.at)
  ])
  .on(CellLabeled, ({ data: d, project }) => [
    ...d.remove.map((label) => sql`DELETE FROM hive_labels WHERE project = ${project} AND cell_id = ${d.id} AND label = ${label}`),
    ...labelInserts(project, d.id, d.add),
    touch(project, d.id, d.at)
  ])
  .on(DependencyAdded, ({ data: d, project }) => [
    sql`INSERT INTO hive_deps (project, from_id, kind, to_id, created_at) VALUES (${project}, ${d.from}, ${d.kind}, ${d.to}, ${d.at})
        ON CONFLICT DO NOTHING`,
    touch(project, d.from, d.at),
    ...(d.kind === "blocks" ? refreshCells(project, [d.from]) : [])
  ])
  .on(DependencyRemoved, ({ data: d, project }) => [
    sql`DELETE FROM hive_deps WHERE project = ${project} AND from_id = ${d.from} AND kind = ${d.kind} AND to_id = ${d.to}`,
    touch(project, d.from, d.at),
    ...(d.kind === "blocks" ? refreshCells(project, [d.from]) : [])
  ])
  .on(CellMerged, ({ data: { id, cell: c, fresh }, project }) => [
    sql`INSERT INTO hive_counters (project, name, value)
        SELECT ${project}, 'cells', 1 WHERE NOT EXISTS (SELECT 1 FROM hive_cells WHERE project = ${project} AND id = ${id})
        ON CONFLICT (project, name) DO UPDATE SET value = value + 1`,
    sql`INSERT INTO hive_cells (project, id, title, description, type, status, priority, assignee, files, parent,
          created_at, updated_at, closed_at, closed_reason, result, deleted_at)
        VALUES (${project}, ${id}, ${c.title}, ${c.description}, ${c.type}, ${c.status}, ${c.priority}, ${c.assignee},
          ${JSON.stringify(c.files)}, ${c.parent}, ${c.created_at}, ${c.updated_at}, ${c.closed_at}, ${c.closed_reason},
          ${c.result}, ${c.deleted_at})
        ON CONFLICT (project, id) DO UPDATE SET title = excluded.title, description = excluded.description,
          type = excluded.type, status = excluded.status, priority = excluded.priority, assignee = excluded.assignee,
          files = excluded.files, parent = excluded.parent, created_at = excluded.created_at,
          updated_at = excluded.updated_at, closed_at = excluded.closed_at, closed_reason = excluded.closed_reason,
          result = excluded.result, deleted_at = excluded.deleted_at`,
    sql`DELETE FROM hive_labels WHERE project = ${project} AND cell_id = ${id}`,
    ...labelInserts(project, id, c.labels),
    ...bumpChildCounter(project, id, c.parent),
    ...(fresh === true ? [refreshSubtree(project, id)] : [...refreshCells(project, [id]), ...refreshDependents(project, id)])
  ])
  .on(CellRenamed, ({ data: { from, to, at }, project }) => [
    sql`UPDATE hive_cells SET id = ${to} WHERE project = ${project} AND id = ${from}`,
    sql`UPDATE hive_cells SET parent = ${to} WHERE project = ${project} AND parent = ${from}`,
    sql`UPDATE hive_deps SET from_id = ${to} WHERE project = ${project} AND from_id = ${from}`,
    sql`UPDATE hive_deps SET to_id = ${to} WHERE project = ${project} AND to_id = ${from}`,
    sql`UPDATE hive_labels SET cell_id = ${to} WHERE project = ${project} AND cell_id = ${from}`,
    sql`UPDATE hive_comments SET cell_id = ${to} WHERE project = ${project} AND cell_id = ${from}`,
    touch(project, to, at),
    ...refreshCells(project, [to]),
    ...refreshDependents(project, to)
  ])

export const sessionsProjection = Projection.make("hive_sessions", ["hive_sessions"])
  .on(SessionStarted, ({ data: d, project }) => [
    sql`INSERT INTO hive_sessions (project, id, agent, cell, started_at) VALUES (${project}, ${d.id}, ${d.agent}, ${d.cell}, ${d.at})`
  ])
  .on(SessionEnded, ({ data: d, project }) => [
    sql`UPDATE hive_sessions SET ended_at = ${d.at}, handoff = ${d.handoff} WHERE project = ${project} AND id = ${d.id}`
  ])
