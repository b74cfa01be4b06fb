/** The hive's event module: migrations, event types and projections, installed by every hive layer. */
import { EventModule } from "@waggle/primitives"
import * as E from "./events.js"
import { migration as hive0001 } from "./migrations/0001_hive.js"
import { cellsProjection, sessionsProjection } from "./projection.js"

export const HiveModule = EventModule.make({
  name: "hive",
  migrations: [hive0001],
  events: [
    E.CellCreated,
    E.CellUpdated,
    E.CellStarted,
    E.CellClosed,
    E.CellReopened,
    E.CellDeleted,
    E.CellCommented,
    E.CellLabeled,
    E.DependencyAdded,
    E.DependencyRemoved,
    E.CellMerged,
    E.CellRenamed,
    E.SessionStarted,
    E.SessionEnded
  ],
  projections: [cellsProjection, sessionsProjection]
})
