/** The deferred module: its events, the `deferreds` projection and its migration. */
import { make } from "../../EventModule.js"
import { DeferredCreated, DeferredRejected, DeferredResolved } from "./events.js"
import { migration } from "./migrations/0001_deferreds.js"
import { deferredsProjection } from "./projection.js"

export const DeferredModule = make({
  name: "primitives/deferred",
  migrations: [migration],
  events: [DeferredCreated, DeferredResolved, DeferredRejected],
  projections: [deferredsProjection]
})
