/** The memory's event module: its migrations, event types and projection. */
import { EventModule } from "@waggle/primitives"
import {
  MemoryLinked,
  MemoryReembedded,
  MemoryRemoved,
  MemoryStored,
  MemorySuperseded,
  MemoryUnlinked,
  MemoryValidated
} from "./events.js"
import { migration } from "./migrations/0001_memories.js"
import { memoriesProjection } from "./projection.js"

export const MemoryModule = EventModule.make({
  name: "memory",
  migrations: [migration],
  events: [MemoryStored, MemorySuperseded, MemoryRemoved, MemoryValidated, MemoryReembedded, MemoryLinked, MemoryUnlinked],
  projections: [memoriesProjection]
})
