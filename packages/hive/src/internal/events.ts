/**
 * The hive's events. Payloads are already validated by the operation that appends them; every
 * event carries `at`, the time the projection writes (the transaction's clock for local changes,
 * the original timestamps for imported ones), so a rebuild reproduces the same rows.
 */
import { Schema } from "effect"
import { Event } from "@waggle/primitives"

const Nullable = Schema.NullOr(Schema.String)

export const CellCreated = Event.define("cell_created", {
  id: Schema.String,
  title: Schema.String,
  description: Schema.String,
  type: Schema.String,
  priority: Schema.Number,
  assignee: Nullable,
  labels: Schema.Array(Schema.String),
  files: Schema.Array(Schema.String),
  parent: Nullable,
  at: Schema.Number
})

export const CellChanges = Schema.Struct({
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  priority: Schema.optional(Schema.Number),
  assignee: Schema.optional(Nullable),
  files: Schema.optional(Schema.Array(Schema.String)),
  parent: Schema.optional(Nullable),
  status: Schema.optional(Schema.String)
})
export type CellChanges = typeof CellChanges.Type

export const CellUpdated = Event.define("cell_updated", { id: Schema.String, changes: CellChanges, at: Schema.Number })

/** Status `in_progress`; with an agent, the agent becomes the assignee (a claim). */
export const CellStarted = Event.define("cell_started", { id: Schema.String, agent: Nullable, at: Schema.Number })

export const CellClosed = Event.define("cell_closed", {
  id: Schema.String,
  reason: Schema.String,
  result: Nullable,
  at: Schema.Number
})

export const CellReopened = Event.define("cell_reopened", { id: Schema.String, at: Schema.Number })

/** Soft delete: the cell stays as a tombstone (exported, so that deletions sync). */
export const CellDeleted = Event.define("cell_deleted", { id: Schema.String, at: Schema.Number })

export const CellCommented = Event.define("cell_commented", {
  id: Schema.String,
  comment: Schema.String,
  author: Schema.String,
  body: Schema.String,
  at: Schema.Number
})

export const CellLabeled = Event.define("cell_labeled", {
  id: Schema.String,
  add: Schema.Array(Schema.String),
  remove: Schema.Array(Schema.String),
  at: Schema.Number
})

export const DependencyAdded = Event.define("dependency_added", {
  from: Schema.String,
  to: Schema.String,
  kind: Schema.String,
  at: Schema.Number
})

export const DependencyRemoved = Event.define("dependency_removed", {
  from: Schema.String,
  to: Schema.String,
  kind: Schema.String,
  at: Schema.Number
})

/** The whole state of a cell's own fields, as merged by an import (insert or replace). */
export const CellSnapshot = Schema.Struct({
  title: Schema.String,
  description: Schema.String,
  type: Schema.String,
  status: Schema.String,
  priority: Schema.Number,
  assignee: Nullable,
  labels: Schema.Array(Schema.String),
  files: Schema.Array(Schema.String),
  parent: Nullable,
  created_at: Schema.Number,
  updated_at: Schema.Number,
  closed_at: Schema.NullOr(Schema.Number),
  closed_reason: Nullable,
  result: Nullable,
  deleted_at: Schema.NullOr(Schema.Number)
})
export type CellSnapshot = typeof CellSnapshot.Type

/**
 * `fresh`: the cell did not exist when this was appended, so no link can point at it yet and the
 * projection skips recounting its dependents.
 */
export const CellMerged = Event.define("cell_merged", {
  id: Schema.String,
  cell: CellSnapshot,
  fresh: Schema.optional(Schema.Boolean)
})

/** An id collision found by an import: the local cell moves to a new id (with its links). */
export const CellRenamed = Event.define("cell_renamed", { from: Schema.String, to: Schema.String, at: Schema.Number })

export const SessionStarted = Event.define("session_started", {
  id: Schema.String,
  agent: Schema.String,
  cell: Nullable,
  at: Schema.Number
})

export const SessionEnded = Event.define("session_ended", {
  id: Schema.String,
  agent: Schema.String,
  handoff: Nullable,
  at: Schema.Number
})

export const cellStream = (id: string) => `hive/cell/${id}`
export const sessionStream = (agent: string) => `hive/session/${agent}`
