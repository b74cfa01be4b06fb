/** The `locks` table from the lock events: the current lease and the last fencing token per resource. */
import * as Projection from "../../Projection.js"
import { sql } from "../../Sql.js"
import { LeaseAcquired, LeaseReleased, LeaseRenewed } from "./events.js"

export const locksProjection = Projection.make("locks", ["locks"])
  .on(LeaseAcquired, (e) => [
    sql`INSERT INTO locks (project, resource, holder, fence, acquired_at, expires_at)
        VALUES (${e.project}, ${e.data.resource}, ${e.data.holder}, ${e.data.fence}, ${e.createdAt}, ${e.data.expiresAt})
        ON CONFLICT (project, resource) DO UPDATE SET
          holder = excluded.holder, fence = excluded.fence,
          acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`
  ])
  .on(LeaseRenewed, (e) => [
    sql`UPDATE locks SET expires_at = ${e.data.expiresAt}
        WHERE project = ${e.project} AND resource = ${e.data.resource} AND fence = ${e.data.fence}`
  ])
  .on(LeaseReleased, (e) => [
    sql`UPDATE locks SET holder = NULL, acquired_at = NULL, expires_at = NULL
        WHERE project = ${e.project} AND resource = ${e.data.resource} AND fence = ${e.data.fence}`
  ])
