/**
 * The memory's events: every change to a memory is one of these, in the memory's own stream
 * (`memory:<id>`; links live in their source's stream). Payloads are checked at the service
 * boundary with the stricter input schemas; these schemas describe what is stored.
 *
 * `memory_stored` carries the embedding (base64 of little-endian float32) and the embedder's
 * name, so a rebuild reproduces the vectors exactly without calling a model. Timestamps are in the
 * payloads (not taken from the event's `createdAt`) so that an import can keep a memory's original
 * validity times.
 */
import { Schema } from "effect"
import { Event } from "@waggle/primitives"

export const streamOf = (id: string): string => `memory:${id}`

export const LinkType = Schema.Literal("related", "refines", "contradicts", "supersedes", "derived_from")
export type LinkType = typeof LinkType.Type

export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type Metadata = typeof Metadata.Type

export const MemoryStored = Event.define("memory_stored", {
  id: Schema.String,
  content: Schema.String,
  tags: Schema.Array(Schema.String),
  collection: Schema.String,
  metadata: Metadata,
  confidence: Schema.Number,
  source: Schema.NullOr(Schema.String),
  validFrom: Schema.Number,
  embedder: Schema.String,
  embedding: Schema.String
})

/** The memory stopped being valid at `at`: replaced by `by` (an update) or by nothing (a delete). */
export const MemorySuperseded = Event.define("memory_superseded", {
  id: Schema.String,
  by: Schema.NullOr(Schema.String),
  reason: Schema.String,
  at: Schema.Number
})

/** The memory was erased: its row, full-text entry, tags and links are gone. */
export const MemoryRemoved = Event.define("memory_removed", {
  id: Schema.String
})

/** Someone confirmed the memory at `at`: its decay clock restarts; optionally a new confidence. */
export const MemoryValidated = Event.define("memory_validated", {
  id: Schema.String,
  at: Schema.Number,
  confidence: Schema.NullOr(Schema.Number)
})

/** The memory's vector was recomputed with another embedder (`Memory.reembed`). */
export const MemoryReembedded = Event.define("memory_reembedded", {
  id: Schema.String,
  embedder: Schema.String,
  embedding: Schema.String
})

export const MemoryLinked = Event.define("memory_linked", {
  source: Schema.String,
  target: Schema.String,
  type: LinkType,
  strength: Schema.Number
})

export const MemoryUnlinked = Event.define("memory_unlinked", {
  source: Schema.String,
  target: Schema.String,
  type: LinkType
})

/** The event types that change what the vector index sees. */
export const INDEX_EVENT_TYPES: ReadonlyArray<string> = [
  MemoryStored.type,
  MemorySuperseded.type,
  MemoryRemoved.type,
  MemoryReembedded.type
]
