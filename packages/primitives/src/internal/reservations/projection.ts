/** The `file_reservations` table from the reservation events. */
import * as Projection from "../../Projection.js"
import { sql } from "../../Sql.js"
import { FilesReleased, FilesReserved, reservationId } from "./events.js"

export const reservationsProjection = Projection.make("file_reservations", ["file_reservations"])
  .on(FilesReserved, (e) => [
    // Expired reservations are dropped as of this event's time (the event's, not the clock's, so a
    // rebuild drops the same rows).
    sql`DELETE FROM file_reservations WHERE project = ${e.project} AND expires_at <= ${e.createdAt}`,
    ...e.data.reservations.map((r, i) =>
      sql`INSERT INTO file_reservations (project, id, agent, pattern, exclusive, reason, created_at, expires_at)
          VALUES (${e.project}, ${reservationId(e.position, i)}, ${e.data.agent}, ${r.pattern}, ${r.exclusive ? 1 : 0},
                  ${r.reason}, ${e.createdAt}, ${r.expiresAt})
          ON CONFLICT (project, agent, pattern) DO UPDATE SET
            exclusive = excluded.exclusive, reason = excluded.reason, expires_at = excluded.expires_at`
    )
  ])
  .on(FilesReleased, (e) => [
    sql`DELETE FROM file_reservations
        WHERE project = ${e.project} AND id IN (SELECT value FROM json_each(${JSON.stringify(e.data.ids)}))`
  ])
