/**
 * The `deferreds` table: one row per deferred and its state. Uses only the events (their data and
 * `createdAt`), never the clock: expiry is not stored but decided by readers from `expires_at`.
 * A completion only applies to a pending row, so a rebuild reproduces exactly the first one.
 */
import { make } from "../../Projection.js"
import { sql } from "../../Sql.js"
import { DeferredCreated, DeferredRejected, DeferredResolved } from "./events.js"

export const deferredsProjection = make("deferreds", ["deferreds"])
  .on(DeferredCreated, (e) => [
    sql`INSERT INTO deferreds (project, id, state, created_at, expires_at)
        VALUES (${e.project}, ${e.data.id}, 'pending', ${e.createdAt}, ${e.data.expiresAt})`
  ])
  .on(DeferredResolved, (e) => [
    sql`UPDATE deferreds SET state = 'resolved', value = ${JSON.stringify(e.data.value)}, completed_at = ${e.createdAt}
        WHERE project = ${e.project} AND id = ${e.data.id} AND state = 'pending'`
  ])
  .on(DeferredRejected, (e) => [
    sql`UPDATE deferreds SET state = 'rejected', reason = ${e.data.reason}, completed_at = ${e.createdAt}
        WHERE project = ${e.project} AND id = ${e.data.id} AND state = 'pending'`
  ])
