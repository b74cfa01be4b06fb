/** The swarm's event module: its migration, event types and projection. */
import { EventModule } from "@waggle/primitives"
import * as Events from "./events.js"
import { migration } from "./migrations/0001_swarm.js"
import { swarmProjection } from "./projection.js"

export const SwarmModule = EventModule.make({
  name: "swarm",
  migrations: [migration],
  events: [
    Events.SubtaskSpawned,
    Events.ProgressReported,
    Events.CheckpointSaved,
    Events.ReviewRecorded,
    Events.CompletionStarted,
    Events.CompletionStepDone,
    Events.CompletionFinished,
    Events.CompletionAbandoned
  ],
  projections: [swarmProjection]
})
