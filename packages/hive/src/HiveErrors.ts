/**
 * The typed errors of the hive. Every expected failure of a public operation is one of these (or
 * `InvalidInput` / `StorageError` from the primitives), in the error channel.
 */
import { Schema } from "effect"

/** No live cell has this id (or the id resolves to nothing). */
export class CellNotFound extends Schema.TaggedError<CellNotFound>()("CellNotFound", {
  id: Schema.String
}) {
  override get message(): string {
    return `no cell ${this.id}`
  }
}

/** A partial id matches several cells; `candidates` lists them (at most 20). */
export class AmbiguousId extends Schema.TaggedError<AmbiguousId>()("AmbiguousId", {
  id: Schema.String,
  candidates: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `"${this.id}" matches several cells: ${this.candidates.join(", ")}`
  }
}

/** Another agent holds the cell (it is in progress, or assigned, to `holder`). Nothing changed. */
export class CellAlreadyClaimed extends Schema.TaggedError<CellAlreadyClaimed>()("CellAlreadyClaimed", {
  id: Schema.String,
  holder: Schema.String
}) {
  override get message(): string {
    return `cell ${this.id} is already claimed by ${this.holder}`
  }
}

/** The cell cannot start: `blockers` are open `blocks` dependencies of it or of an ancestor epic. */
export class CellBlocked extends Schema.TaggedError<CellBlocked>()("CellBlocked", {
  id: Schema.String,
  blockers: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `cell ${this.id} is blocked by ${this.blockers.join(", ")}`
  }
}

/** The dependency would close a cycle; `path` runs from the new edge's source back to itself. */
export class DependencyCycle extends Schema.TaggedError<DependencyCycle>()("DependencyCycle", {
  path: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `dependency cycle: ${this.path.join(" -> ")}`
  }
}

/** A cell cannot depend on itself (or be its own parent). */
export class SelfDependency extends Schema.TaggedError<SelfDependency>()("SelfDependency", {
  id: Schema.String
}) {
  override get message(): string {
    return `cell ${this.id} cannot depend on itself`
  }
}

/** The operation is not allowed from the cell's current state (close a closed cell, ...). */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  id: Schema.String,
  operation: Schema.String,
  status: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot ${this.operation} cell ${this.id} (${this.status}): ${this.reason}`
  }
}

/** The cell is not an epic (as a parent, or for epic progress). */
export class NotAnEpic extends Schema.TaggedError<NotAnEpic>()("NotAnEpic", {
  id: Schema.String,
  type: Schema.String
}) {
  override get message(): string {
    return `cell ${this.id} is a ${this.type}, not an epic`
  }
}

/** A line of an import file is not a valid cell record. Nothing was imported. */
export class ImportParseError extends Schema.TaggedError<ImportParseError>()("ImportParseError", {
  file: Schema.String,
  line: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}:${this.line}: ${this.reason}`
  }
}

/** A git step of `sync` failed; `step` names it (fetch, rebase, commit, push, ...). */
export class SyncError extends Schema.TaggedError<SyncError>()("SyncError", {
  step: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `sync failed at ${this.step}: ${this.reason}`
  }
}
