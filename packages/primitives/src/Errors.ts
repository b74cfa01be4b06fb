/**
 * The typed errors of the durable primitives. Every expected failure of a public operation is one of
 * these, in the error channel; defects are reserved for bugs.
 */
import { Schema } from "effect"

export const Issue = Schema.Struct({ path: Schema.String, message: Schema.String })
export type Issue = typeof Issue.Type

/** Input that does not match an operation's schema. Nothing was changed. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  operation: Schema.String,
  issues: Schema.Array(Issue)
}) {
  override get message(): string {
    const details = this.issues.map((i) => `${i.path === "" ? "(input)" : i.path}: ${i.message}`).join("; ")
    return `invalid input to ${this.operation}: ${details}`
  }
}

/** The database could not be opened: bad path, no permission, not a database, unreachable server. */
export class DatabaseOpenError extends Schema.TaggedError<DatabaseOpenError>()("DatabaseOpenError", {
  url: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot open database ${this.url}: ${this.reason}`
  }
}

/** A statement or transaction failed in the database (I/O, busy past the timeout, constraint). */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  url: Schema.String,
  operation: Schema.String,
  code: Schema.optional(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.operation} failed on ${this.url}${this.code === undefined ? "" : ` (${this.code})`}: ${this.reason}`
  }
}

/** A migration could not be applied; the database is left at the previous version. */
export class MigrationError extends Schema.TaggedError<MigrationError>()("MigrationError", {
  module: Schema.String,
  version: Schema.Number,
  name: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `migration ${this.module}/${String(this.version).padStart(4, "0")}_${this.name} failed: ${this.reason}`
  }
}

export const ExpectedVersion = Schema.Union(
  Schema.Int.pipe(Schema.nonNegative()),
  Schema.Literal("any", "no_stream", "stream_exists")
)
export type ExpectedVersion = typeof ExpectedVersion.Type

/** An append expected the stream at another version. Nothing was stored. */
export class StreamVersionConflict extends Schema.TaggedError<StreamVersionConflict>()("StreamVersionConflict", {
  stream: Schema.String,
  expected: ExpectedVersion,
  actual: Schema.Number
}) {
  override get message(): string {
    return `stream ${this.stream} is at version ${this.actual}, expected ${this.expected}`
  }
}

/** An event type that no installed module declares. Nothing was stored. */
export class UnknownEventType extends Schema.TaggedError<UnknownEventType>()("UnknownEventType", {
  type: Schema.String
}) {
  override get message(): string {
    return `unknown event type "${this.type}": no installed module declares it`
  }
}

/** The lock is held by another holder whose lease has not expired. */
export class LockHeld extends Schema.TaggedError<LockHeld>()("LockHeld", {
  resource: Schema.String,
  holder: Schema.String,
  expiresAt: Schema.Number
}) {
  override get message(): string {
    return `lock ${this.resource} is held by ${this.holder} until ${new Date(this.expiresAt).toISOString()}`
  }
}

/** The caller does not hold the lock (never did, released it, or lost it to expiry). Nothing changed. */
export class LockNotHeld extends Schema.TaggedError<LockNotHeld>()("LockNotHeld", {
  resource: Schema.String,
  holder: Schema.String,
  currentHolder: Schema.NullOr(Schema.String)
}) {
  override get message(): string {
    return `${this.holder} does not hold lock ${this.resource}` +
      (this.currentHolder === null ? " (it is free)" : ` (held by ${this.currentHolder})`)
  }
}

/** Waited for a lock past the acquisition timeout. */
export class LockTimeout extends Schema.TaggedError<LockTimeout>()("LockTimeout", {
  resource: Schema.String,
  holder: Schema.String,
  waitedMs: Schema.Number
}) {
  override get message(): string {
    return `${this.holder} gave up on lock ${this.resource} after ${this.waitedMs} ms`
  }
}

export const ReservationConflictDetail = Schema.Struct({
  /** The agent holding the conflicting reservation. */
  holder: Schema.String,
  /** The pattern that agent reserved. */
  pattern: Schema.String,
  /** The requested path or pattern that overlaps it. */
  path: Schema.String,
  exclusive: Schema.Boolean,
  expiresAt: Schema.Number
})
export type ReservationConflictDetail = typeof ReservationConflictDetail.Type

/** Some requested paths overlap other agents' reservations; nothing was reserved. */
export class ReservationConflict extends Schema.TaggedError<ReservationConflict>()("ReservationConflict", {
  agent: Schema.String,
  conflicts: Schema.Array(ReservationConflictDetail)
}) {
  override get message(): string {
    const list = this.conflicts.map((c) => `${c.path} overlaps ${c.pattern} (held by ${c.holder})`).join("; ")
    return `${this.agent} cannot reserve: ${list}`
  }
}

/** No such message in the agent's mailbox. */
export class MessageNotFound extends Schema.TaggedError<MessageNotFound>()("MessageNotFound", {
  messageId: Schema.String,
  agent: Schema.String
}) {
  override get message(): string {
    return `no message ${this.messageId} for ${this.agent}`
  }
}

/** The message was already acknowledged by this recipient; the second ack changed nothing. */
export class AlreadyAcked extends Schema.TaggedError<AlreadyAcked>()("AlreadyAcked", {
  messageId: Schema.String,
  agent: Schema.String,
  ackedAt: Schema.Number
}) {
  override get message(): string {
    return `message ${this.messageId} was already acknowledged by ${this.agent}`
  }
}

/** The receipt no longer matches the message's lease (it expired and was redelivered). */
export class LeaseLost extends Schema.TaggedError<LeaseLost>()("LeaseLost", {
  messageId: Schema.String,
  receipt: Schema.String
}) {
  override get message(): string {
    return `the lease ${this.receipt} on message ${this.messageId} expired and was given to another consumer`
  }
}

/** No deferred with that token in this project. */
export class DeferredNotFound extends Schema.TaggedError<DeferredNotFound>()("DeferredNotFound", {
  token: Schema.String
}) {
  override get message(): string {
    return `no deferred ${this.token}`
  }
}

/** The deferred was already resolved, rejected or expired; the first completion stands. */
export class AlreadyCompleted extends Schema.TaggedError<AlreadyCompleted>()("AlreadyCompleted", {
  token: Schema.String,
  state: Schema.Literal("resolved", "rejected", "expired")
}) {
  override get message(): string {
    return `deferred ${this.token} is already ${this.state}`
  }
}

/** The deferred was rejected; `reason` is what the rejecting process gave. */
export class DeferredRejected extends Schema.TaggedError<DeferredRejected>()("DeferredRejected", {
  token: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `deferred ${this.token} was rejected: ${this.reason}`
  }
}

/** Nobody completed the deferred in time: the await timed out, or the deferred itself expired. */
export class DeferredTimeout extends Schema.TaggedError<DeferredTimeout>()("DeferredTimeout", {
  token: Schema.String,
  waitedMs: Schema.Number,
  expired: Schema.Boolean
}) {
  override get message(): string {
    return this.expired
      ? `deferred ${this.token} expired before anyone completed it`
      : `gave up awaiting deferred ${this.token} after ${this.waitedMs} ms`
  }
}

/** A checkpoint may not move a cursor backwards; use `rewind` to do that on purpose. */
export class CheckpointBehind extends Schema.TaggedError<CheckpointBehind>()("CheckpointBehind", {
  cursor: Schema.String,
  current: Schema.Number,
  attempted: Schema.Number
}) {
  override get message(): string {
    return `cursor ${this.cursor} is at ${this.current}; refusing to move it back to ${this.attempted}`
  }
}
