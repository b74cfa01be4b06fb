/**
 * Durable cursors: a named consumer's place in the event log, kept in the database, so that a
 * consumer that stops (crash, SIGKILL, deploy) resumes after the last event it processed.
 *
 * A cursor is identified by the project, the consumer's name and its filter (an optional stream,
 * optional event types). Two names never share a checkpoint; one name with two filters is two
 * cursors. The checkpoint is a global log position: every event of the project at or before it
 * that matches the filter has been processed. It only moves forward (`checkpoint` refuses to move
 * it back with `CheckpointBehind`), except through an explicit `rewind`.
 *
 * Checkpoints are NOT events. A checkpoint is a consumer's bookkeeping about the log, not a fact
 * of the domain: as events they would grow the log by one event per batch forever, a consumer
 * following the whole log would receive its own checkpoints (and checkpoint them again), and
 * `rebuildProjections` would reset every consumer. They are plain rows in the `cursors` table,
 * written only by this module and only inside `EventStore.transact` (compare-and-set), which is
 * what lets a handler's writes and the checkpoint commit in one transaction.
 *
 * `consume` processes the events available now and returns how many; `run` keeps consuming as new
 * events arrive, here or in other processes, until interrupted. Two modes:
 *
 * - transactional (default): the handler receives the event store's transaction; for each batch,
 *   the handler's writes (its own tables, `tx.append`) and the checkpoint advance commit together,
 *   or not at all. Effects on the database happen exactly once, even across crashes and with
 *   several instances of the same consumer running (they take turns batch by batch). The unit may
 *   run more than once (see `EventStore.transact`), so the handler must have no effects outside
 *   `tx`, and a handler failure undoes the whole batch and fails `consume` with that error.
 * - at-least-once (`transactional: false`): the handler runs outside any transaction and may do
 *   anything; the checkpoint advances after each batch, and after a failure or interruption up to
 *   the last event handled. A crash between a handler's effect and the checkpoint delivers the
 *   event again (at most one batch), so such handlers must be idempotent.
 */
import { Context, Effect, Layer, Schema } from "effect"
import type { MigrationError, StorageError } from "./Errors.js"
import { CheckpointBehind, InvalidInput } from "./Errors.js"
import { EventStore, StreamName } from "./EventStore.js"
import { Storage } from "./Storage.js"
import { BoundedText, Name } from "./Text.js"
import { decoderFor } from "./internal/decode.js"
import type { CursorKey } from "./internal/cursor/checkpoints.js"
import { filterKey, moveForward, moveTo, readPosition } from "./internal/cursor/checkpoints.js"
import type { AtLeastOnceHandler, ConsumeContext, TransactionalHandler } from "./internal/cursor/consume.js"
import { consumeAtLeastOnce, consumeTransactional, follow } from "./internal/cursor/consume.js"
import { CursorModule } from "./internal/cursor/module.js"

export type { AtLeastOnceHandler, TransactionalHandler } from "./internal/cursor/consume.js"
export { CursorModule } from "./internal/cursor/module.js"

/** Which events a cursor reads: one stream and/or some event types; omitted means all. */
export const CursorFilter = Schema.Struct({
  stream: Schema.optional(StreamName),
  types: Schema.optional(Schema.Array(BoundedText(128)).pipe(Schema.minItems(1), Schema.maxItems(500)))
})
export type CursorFilter = typeof CursorFilter.Encoded

const OpenInput = Schema.Struct({ name: Name(200), filter: CursorFilter })
const Position = Schema.Int.pipe(Schema.nonNegative())
const ConsumeInput = Schema.Struct({
  batchSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000))),
  transactional: Schema.optional(Schema.Boolean)
})

export interface CursorConsumeOptions {
  /** Events per batch: one transaction (transactional mode) or one checkpoint write each (default 100). */
  readonly batchSize?: number
}
export interface CursorTransactionalOptions extends CursorConsumeOptions {
  readonly transactional?: true
}
export interface CursorAtLeastOnceOptions extends CursorConsumeOptions {
  readonly transactional: false
}

/** `consume` and `run`: transactional by default, at-least-once with `transactional: false`. */
export interface CursorConsumeFunction<A> {
  <E = never, R = never>(
    handler: TransactionalHandler<E, R>,
    options?: CursorTransactionalOptions
  ): Effect.Effect<A, E | InvalidInput | StorageError, R>
  <E = never, R = never>(
    handler: AtLeastOnceHandler<E, R>,
    options: CursorAtLeastOnceOptions
  ): Effect.Effect<A, E | InvalidInput | StorageError, R>
}

export interface Cursor {
  readonly name: string
  readonly filter: { readonly stream: string | undefined; readonly types: ReadonlyArray<string> | undefined }
  /** The checkpoint: 0 before the first advance. */
  readonly position: Effect.Effect<number, StorageError>
  /**
   * Moves the checkpoint forward to `position` (at most the head of the log). The same position
   * again is a no-op; an earlier one fails with `CheckpointBehind` and changes nothing.
   */
  readonly checkpoint: (position: number) => Effect.Effect<void, CheckpointBehind | InvalidInput | StorageError>
  /**
   * Moves the checkpoint back to `position` on purpose (0 = replay from the start); returns the
   * previous checkpoint. A position ahead of the checkpoint is `InvalidInput`: use `checkpoint`.
   * A consumer running meanwhile notices at its next batch and continues from the new position.
   */
  readonly rewind: (position: number) => Effect.Effect<number, InvalidInput | StorageError>
  /**
   * Processes the matching events after the checkpoint, batch by batch, until a batch comes back
   * short (caught up); returns how many events the handler processed (in committed batches).
   */
  readonly consume: CursorConsumeFunction<number>
  /** `consume`, then again whenever the database changes, until interrupted or a handler fails. */
  readonly run: CursorConsumeFunction<never>
}

export interface DurableCursorService {
  /** The cursor of consumer `name` over `filter` (no database access: its row is made on first advance). */
  readonly open: (name: string, filter?: CursorFilter) => Effect.Effect<Cursor, InvalidInput>
}

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  yield* store.install(CursorModule)
  const decodeOpen = decoderFor(OpenInput, "DurableCursor.open")
  const decodeCheckpoint = decoderFor(Position, "DurableCursor.checkpoint")
  const decodeRewind = decoderFor(Position, "DurableCursor.rewind")
  const decodeConsume = decoderFor(ConsumeInput, "DurableCursor.consume")

  const cursorOf = (name: string, filter: typeof CursorFilter.Type): Cursor => {
    const key: CursorKey = { project: store.project, name, filter: filterKey(filter) }
    const label = filter.stream === undefined && filter.types === undefined ? name : `${name} ${key.filter}`
    const ctx: ConsumeContext = { store, storage, key, filter }

    const checkpoint = (input: number) =>
      Effect.gen(function*() {
        const position = yield* decodeCheckpoint(input)
        // The head only grows: checking against a head read before the transaction is enough.
        const head = yield* store.head
        if (position > head) {
          return yield* new InvalidInput({
            operation: "DurableCursor.checkpoint",
            issues: [{ path: "position", message: `is past the end of the log (head ${head})` }]
          })
        }
        yield* store.transact((tx) =>
          Effect.gen(function*() {
            const current = yield* readPosition(tx, key)
            if (position < current) return yield* new CheckpointBehind({ cursor: label, current, attempted: position })
            if (position > current) yield* moveForward(tx, key, position, tx.now)
          })
        )
      })

    const rewind = (input: number) =>
      Effect.gen(function*() {
        const position = yield* decodeRewind(input)
        return yield* store.transact((tx) =>
          Effect.gen(function*() {
            const current = yield* readPosition(tx, key)
            if (position > current) {
              return yield* new InvalidInput({
                operation: "DurableCursor.rewind",
                issues: [{
                  path: "position",
                  message: `is ahead of the checkpoint (${current}): rewind only moves back, checkpoint moves forward`
                }]
              })
            }
            if (position < current) yield* moveTo(tx, key, position, tx.now)
            return current
          })
        )
      })

    const consumeWith = (handler: TransactionalHandler<unknown, unknown> | AtLeastOnceHandler<unknown, unknown>, options: unknown) =>
      Effect.map(decodeConsume(options ?? {}), (o) => {
        const batchSize = o.batchSize ?? 100
        return o.transactional === false
          ? consumeAtLeastOnce(ctx, handler as AtLeastOnceHandler<unknown, unknown>, batchSize)
          : consumeTransactional(ctx, handler as TransactionalHandler<unknown, unknown>, batchSize)
      })

    return {
      name,
      filter: { stream: filter.stream, types: filter.types },
      position: readPosition(storage, key),
      checkpoint,
      rewind,
      consume: ((handler: never, options?: unknown) => Effect.flatten(consumeWith(handler, options))) as CursorConsumeFunction<number>,
      run: ((handler: never, options?: unknown) =>
        Effect.flatMap(consumeWith(handler, options), (consume) => follow(storage, consume))) as CursorConsumeFunction<never>
    }
  }

  const service: DurableCursorService = {
    open: (name, filter = {}) => Effect.map(decodeOpen({ name, filter }), (o) => cursorOf(o.name, o.filter))
  }
  return service
})

export class DurableCursor extends Context.Tag("@waggle/primitives/DurableCursor")<DurableCursor, DurableCursorService>() {
  /** Cursors on this process's event store; installs the `cursors` table on first use. */
  static readonly layer: Layer.Layer<DurableCursor, MigrationError | StorageError, EventStore | Storage> = Layer.effect(
    DurableCursor,
    make
  )
}
