/** The schemas of the lock's public inputs, decoded at the boundary (see `DurableLock`). */
import { Duration, Schedule, Schema } from "effect"
import { Name } from "../../Text.js"
import { Millis } from "../millis.js"

export const Resource = Name(256)
export const Holder = Name(200)
export const MIN_TTL = Duration.seconds(1)
export const MAX_TTL = Duration.hours(24)
export const Ttl = Millis(MIN_TTL, MAX_TTL)
export const Wait = Millis(Duration.zero, Duration.hours(24))

/** Any `Schedule`; its input is the `LockHeld` of the attempt that failed. */
const AnySchedule = Schema.declare(
  (u: unknown): u is Schedule.Schedule<unknown, any> => Schedule.isSchedule(u),
  { message: () => "must be a Schedule" }
)

const AcquireOptions = Schema.Struct({
  ttl: Ttl,
  wait: Schema.optionalWith(Wait, { exact: true }),
  retry: Schema.optionalWith(AnySchedule, { exact: true })
})

/** The arguments of each operation as one struct, so one decode reports every bad field by path. */
export const AcquireArgs = Schema.Struct({ resource: Resource, holder: Holder, options: AcquireOptions })
export const WithLockArgs = Schema.Struct({
  resource: Resource,
  holder: Holder,
  options: Schema.Struct({ ...AcquireOptions.fields, keepAlive: Schema.optionalWith(Schema.Boolean, { exact: true }) })
})
export const RenewArgs = Schema.Struct({ resource: Resource, holder: Holder, options: Schema.Struct({ ttl: Ttl }) })
export const ReleaseArgs = Schema.Struct({ resource: Resource, holder: Holder })
export const InspectArgs = Schema.Struct({ resource: Resource })
