/** The lock's event module: its migration, event types and projection. */
import * as EventModule from "../../EventModule.js"
import { LeaseAcquired, LeaseReleased, LeaseRenewed } from "./events.js"
import { migration } from "./migrations/0001_locks.js"
import { locksProjection } from "./projection.js"

export const LockModule = EventModule.make({
  name: "locks",
  migrations: [migration],
  events: [LeaseAcquired, LeaseRenewed, LeaseReleased],
  projections: [locksProjection]
})
