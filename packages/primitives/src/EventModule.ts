/**
 * What a package installs into the event store: its schema migrations, the event types it may
 * append, and the projections that keep its tables in step with the log.
 */
import type { EventDefinition } from "./Event.js"
import type { Migration } from "./Migration.js"
import type { Projection } from "./Projection.js"

export interface EventModule {
  /** Unique per package, e.g. "primitives", "hive"; also the migrations' namespace. */
  readonly name: string
  readonly migrations: ReadonlyArray<Migration>
  readonly events: ReadonlyArray<EventDefinition<string, any, any>>
  readonly projections: ReadonlyArray<Projection>
}

export const make = (module: EventModule): EventModule => module
