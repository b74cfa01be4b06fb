/**
 * The lock's events, one stream per resource (`lock:<resource>`). Each carries the lease's fencing
 * token, so the log alone says who held the resource under which token, and the projection can be
 * rebuilt from it exactly.
 */
import { Schema } from "effect"
import * as Event from "../../Event.js"

/**
 * A new lease with a new fencing token (`fence`, one more than the last token ever issued for the
 * resource). `previousHolder` names the holder whose expired lease this one took over, or is null
 * when the lock was free. The lease starts at the event's `createdAt`.
 */
export const LeaseAcquired = Event.define("lease_acquired", {
  resource: Schema.String,
  holder: Schema.String,
  fence: Schema.Number,
  expiresAt: Schema.Number,
  previousHolder: Schema.NullOr(Schema.String)
})

/** The holder extended its live lease (same fencing token) to `expiresAt`. */
export const LeaseRenewed = Event.define("lease_renewed", {
  resource: Schema.String,
  holder: Schema.String,
  fence: Schema.Number,
  expiresAt: Schema.Number
})

/** The holder gave the lock up; the resource keeps its last fencing token. */
export const LeaseReleased = Event.define("lease_released", {
  resource: Schema.String,
  holder: Schema.String,
  fence: Schema.Number
})

export const streamOf = (resource: string) => `lock:${resource}`
