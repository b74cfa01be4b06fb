/**
 * The file reservations' events: one stream per agent (`reservations:<agent>`), plus
 * `reservations` for the coordinator's release of everything.
 *
 * A reservation's id is derived from the log: `<position>-<index>` of the `files_reserved` event
 * that created it and its index in that event, so ids are unique, need no randomness, and a rebuild
 * gives every row the same id again. Re-reserving a pattern one already holds keeps its id.
 */
import { Schema } from "effect"
import * as Event from "../../Event.js"
import { ReservationConflictDetail } from "../../Errors.js"

export const ReservedPattern = Schema.Struct({
  pattern: Schema.String,
  exclusive: Schema.Boolean,
  reason: Schema.NullOr(Schema.String),
  expiresAt: Schema.Number
})

/**
 * `agent` was granted `reservations` (all of them, at once). `conflicts` lists what a `force`d grant
 * overrode (empty otherwise). Applying it also drops every reservation that had expired by then.
 */
export const FilesReserved = Event.define("files_reserved", {
  agent: Schema.String,
  reservations: Schema.Array(ReservedPattern),
  conflicts: Schema.Array(ReservationConflictDetail)
})

/** Reservations given up: by their agent (`by: "agent"`) or by a coordinator; `agent` is null for "everyone's". */
export const FilesReleased = Event.define("files_released", {
  agent: Schema.NullOr(Schema.String),
  ids: Schema.Array(Schema.String),
  by: Schema.Literal("agent", "coordinator")
})

export const streamOf = (agent: string | null) => (agent === null ? "reservations" : `reservations:${agent}`)

export const reservationId = (position: number, index: number) => `${position}-${index}`
