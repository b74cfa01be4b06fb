/**
 * Cycle checks, run inside the transaction that adds the link.
 *
 * A cell waits for its `blocks` targets and, through its parent, for everything its ancestors wait
 * for. Adding "X waits for Y" (X blocks-on Y, or Y becomes X's parent) deadlocks exactly when X is
 * reachable from Y over the edges n → parent(n) and n → blocks-target(n): then something in X's
 * subtree is, transitively, waited for by Y. A recursive CTE answers that; only when it does, a
 * breadth-first walk finds the path for the error.
 */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import { DependencyCycle } from "../HiveErrors.js"
import type { Query } from "./rows.js"

const reaches = (query: Query, project: string, from: string, target: string) =>
  Effect.map(
    query<{ hit: number }>(sql`
      WITH RECURSIVE reach(id) AS (
        SELECT ${from}
        UNION
        SELECT c.parent FROM reach r CROSS JOIN hive_cells c ON c.project = ${project} AND c.id = r.id WHERE c.parent IS NOT NULL
        UNION
        SELECT d.to_id FROM reach r CROSS JOIN hive_deps d ON d.project = ${project} AND d.from_id = r.id AND d.kind = 'blocks'
      )
      SELECT 1 AS hit FROM reach WHERE id = ${target} LIMIT 1`),
    (rows) => rows.length > 0
  )

const neighbours = (query: Query, project: string, ids: ReadonlyArray<string>) =>
  query<{ source: string; next: string }>(sql`
    SELECT id AS source, parent AS next FROM hive_cells
      WHERE project = ${project} AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) AND parent IS NOT NULL
    UNION ALL
    SELECT from_id AS source, to_id AS next FROM hive_deps
      WHERE project = ${project} AND kind = 'blocks' AND from_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    ORDER BY source, next`)

const pathBetween = (query: Query, project: string, from: string, target: string) =>
  Effect.gen(function*() {
    const previous = new Map<string, string | null>([[from, null]])
    let frontier = [from]
    while (frontier.length > 0 && !previous.has(target)) {
      const next: Array<string> = []
      for (const edge of yield* neighbours(query, project, frontier)) {
        if (previous.has(edge.next)) continue
        previous.set(edge.next, edge.source)
        next.push(edge.next)
      }
      frontier = next
    }
    const path: Array<string> = []
    for (let at: string | null | undefined = target; at !== null && at !== undefined; at = previous.get(at)) path.unshift(at)
    return path
  })

/**
 * Fails with `DependencyCycle` if making `waiter` wait for `target` closes a cycle. The path runs
 * `waiter → target → ... → waiter`.
 */
export const checkNoCycle = (
  query: Query,
  project: string,
  waiter: string,
  target: string
): Effect.Effect<void, DependencyCycle | StorageError> =>
  Effect.gen(function*() {
    if (!(yield* reaches(query, project, target, waiter))) return
    const path = yield* pathBetween(query, project, target, waiter)
    return yield* new DependencyCycle({ path: [waiter, ...path] })
  })
