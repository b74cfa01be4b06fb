/** The memory's event module: its migrations, event types and projection. */
import { EventModule } from "@waggle/primitives"
import * as Events from "./events.js"
import { migration } from "./migrations/0001_memories.js"
import { memoriesProjection } from "./projection.js"

export const MemoryModule = EventModule.make({
  name: "memory",
  migrations: [migration],
  events: [
    Events.MemoryStored,
    Events.MemorySuperseded,
    Events.MemoryRemoved,
    Events.MemoryValidated,
    Events.MemoryReembedded,
    Events.MemoryLinked,
    Events.MemoryUnlinked
  ],
  projections: [memoriesProjection]
})
