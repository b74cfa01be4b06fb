/**
 * Readiness, maintained incrementally in SQL by the projection handlers.
 *
 * A cell is blocked when one of its `blocks` dependencies is on a cell that is neither closed nor
 * deleted (`open_blockers > 0`), or when its parent epic is blocked and not deleted (blocking
 * flows down the epic tree: the children of a blocked epic cannot start either). After an event
 * changes a blocker's state or a link, the handler recounts `open_blockers` for the cells whose
 * count may have changed and recomputes `blocked` over their subtrees.
 */
import { sql, statement } from "@waggle/primitives"
import type { Statement } from "@waggle/primitives"

const OPEN_BLOCKERS = `(SELECT count(*) FROM hive_deps d JOIN hive_cells b ON b.project = d.project AND b.id = d.to_id
  WHERE d.project = hive_cells.project AND d.from_id = hive_cells.id AND d.kind = 'blocks'
    AND b.status <> 'closed' AND b.deleted_at IS NULL)`

const DEPENDENTS = `SELECT from_id FROM hive_deps WHERE project = ?1 AND to_id = ?2 AND kind = 'blocks'`
const LISTED = `SELECT value FROM json_each(?2)`

/**
 * Recomputes `blocked` for the seeds and all their descendants. Each seed starts from its parent's
 * current value; a node reached from several seeds takes the value from the highest one (the
 * longest walk), whose parent lies outside the changed subtrees and is therefore up to date
 * (SQLite takes a bare column from the row that holds the `max`).
 */
const subtree = (seeds: string) =>
  `WITH RECURSIVE sub(id, b, del, depth) AS (
  SELECT c.id,
         (c.open_blockers > 0 OR coalesce((SELECT p.blocked AND p.deleted_at IS NULL FROM hive_cells p
                                           WHERE p.project = c.project AND p.id = c.parent), 0)),
         c.deleted_at, 0
  FROM hive_cells c WHERE c.project = ?1 AND c.id IN (${seeds})
  UNION ALL
  SELECT k.id, (k.open_blockers > 0 OR (s.b AND s.del IS NULL)), k.deleted_at, s.depth + 1
  FROM sub s CROSS JOIN hive_cells k INDEXED BY hive_cells_parent ON k.project = ?1 AND k.parent = s.id
  WHERE s.depth < 64
),
best(id, b, depth) AS (SELECT id, b, max(depth) FROM sub GROUP BY id)
UPDATE hive_cells SET blocked = (SELECT b FROM best WHERE best.id = hive_cells.id)
WHERE project = ?1 AND id IN (SELECT id FROM best)`

const RECOUNT_LISTED = `UPDATE hive_cells SET open_blockers = ${OPEN_BLOCKERS} WHERE project = ?1 AND id IN (${LISTED})`
const RECOUNT_DEPENDENTS = `UPDATE hive_cells SET open_blockers = ${OPEN_BLOCKERS} WHERE project = ?1 AND id IN (${DEPENDENTS})`
const SUBTREE_LISTED = subtree(LISTED)
const SUBTREE_DEPENDENTS = subtree(DEPENDENTS)

/** After the cell's own `blocks` links changed: its count, then its subtree. */
export const refreshCells = (project: string, ids: ReadonlyArray<string>): ReadonlyArray<Statement> => {
  const list = JSON.stringify(ids)
  return [statement(RECOUNT_LISTED, [project, list]), statement(SUBTREE_LISTED, [project, list])]
}

/** After the cell's parent changed, or it was deleted: its subtree (children stop inheriting). */
export const refreshSubtree = (project: string, id: string): Statement =>
  statement(SUBTREE_LISTED, [project, JSON.stringify([id])])

/** After the cell closed, reopened or was deleted: the cells it blocks, and their subtrees. */
export const refreshDependents = (project: string, id: string): ReadonlyArray<Statement> => [
  statement(RECOUNT_DEPENDENTS, [project, id]),
  statement(SUBTREE_DEPENDENTS, [project, id])
]

/** Bumps `updated_at` (never backwards: imported links may be older than the cell). */
export const touch = (project: string, id: string, at: number): Statement =>
  sql`UPDATE hive_cells SET updated_at = max(updated_at, ${at}) WHERE project = ${project} AND id = ${id}`
