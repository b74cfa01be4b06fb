/**
 * The swarm's typed errors. Inputs that do not match an operation's schema fail with the
 * primitives' `InvalidInput` (with the path of every bad field); the hive's, learning's and the
 * primitives' errors pass through unchanged (`CellNotFound`, `CellAlreadyClaimed`, `StorageError`, ...).
 */
import { Schema } from "effect"

export { InvalidInput } from "@waggle/primitives"

/** A verification command failed or timed out; the completion changed nothing. */
export class VerificationFailed extends Schema.TaggedError<VerificationFailed>()("VerificationFailed", {
  command: Schema.String,
  /** null when the command was killed (timeout) or could not start. */
  exitCode: Schema.NullOr(Schema.Number),
  timedOut: Schema.Boolean,
  /** The command's output, summarised (first and last lines). */
  output: Schema.String
}) {
  override get message(): string {
    const how = this.timedOut ? "timed out" : this.exitCode === null ? "could not run" : `exited with ${this.exitCode}`
    return `verification \`${this.command}\` ${how}; nothing was changed. Output:\n${this.output}`
  }
}

/** The agent does not hold the cell (it is assigned to `holder`, or to nobody). */
export class NotYourCell extends Schema.TaggedError<NotYourCell>()("NotYourCell", {
  cellId: Schema.String,
  agent: Schema.String,
  holder: Schema.NullOr(Schema.String)
}) {
  override get message(): string {
    return `${this.agent} does not hold cell ${this.cellId}` +
      (this.holder === null ? " (it is assigned to nobody)" : ` (it is assigned to ${this.holder})`)
  }
}

/** The subtask was rejected `limit` times already; it is blocked until the coordinator decides. */
export class ReviewLimitReached extends Schema.TaggedError<ReviewLimitReached>()("ReviewLimitReached", {
  cellId: Schema.String,
  rejections: Schema.Number,
  limit: Schema.Number
}) {
  override get message(): string {
    return `cell ${this.cellId} was rejected ${this.rejections} times (limit ${this.limit}); it is blocked: ` +
      "reassign or rescope it instead of reviewing again"
  }
}

/** Another call is completing this cell right now (or a completion of it stopped half-way for another agent). */
export class CompletionInProgress extends Schema.TaggedError<CompletionInProgress>()("CompletionInProgress", {
  cellId: Schema.String,
  agent: Schema.String
}) {
  override get message(): string {
    return `a completion of cell ${this.cellId} by ${this.agent} is in progress`
  }
}

/**
 * The completion's commit point (the cell's close) passed but a later step failed. The steps done
 * stay done; calling `swarm_complete` again (same agent, same cell) resumes the pending ones.
 */
export class CompletionIncomplete extends Schema.TaggedError<CompletionIncomplete>()("CompletionIncomplete", {
  cellId: Schema.String,
  done: Schema.Array(Schema.String),
  pending: Schema.Array(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return `completion of cell ${this.cellId} stopped at ${this.pending[0] ?? "?"} (${this.reason}); ` +
      `done: ${this.done.join(", ") || "nothing"}. Call swarm_complete again to resume.`
  }
}

/** Two reviews of one cell were recorded at the same time; this one was not recorded. */
export class ReviewConflict extends Schema.TaggedError<ReviewConflict>()("ReviewConflict", {
  cellId: Schema.String
}) {
  override get message(): string {
    return `another review of cell ${this.cellId} was recorded meanwhile; look at swarm_status and retry`
  }
}

/** The coordinator awaited a subtask that was spawned without a completion deferred. */
export class NoCompletionDeferred extends Schema.TaggedError<NoCompletionDeferred>()("NoCompletionDeferred", {
  cellId: Schema.String
}) {
  override get message(): string {
    return `cell ${this.cellId} has no completion deferred: spawn it with create_deferred: true`
  }
}
