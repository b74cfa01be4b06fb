/**
 * The consume loops of a durable cursor. Both read a batch of matching events outside any
 * transaction, then:
 *
 * - transactional: run the handler on each event of the batch inside ONE `EventStore.transact`,
 *   whose first step re-reads the checkpoint and whose last step advances it. If the checkpoint
 *   moved since the batch was read (another instance of the consumer, a rewind), nothing is done
 *   and the loop reads again from where it now is. Handler writes and checkpoint commit together,
 *   or neither does: exactly-once effects on the database.
 * - at-least-once: run the handler outside any transaction, then advance the checkpoint by
 *   compare-and-set from where the batch started. A crash before that re-delivers the batch.
 *
 * A batch that comes back short means every matching event up to the head read before it has been
 * seen, so the checkpoint advances to that head (not only to the last matching event): later
 * reads do not scan the skipped, non-matching part of the log again.
 */
import { Context, Duration, Effect, Queue } from "effect"
import type { RecordedEvent } from "../../Event.js"
import type { StorageError } from "../../Errors.js"
import type { EventStoreService, EventTx } from "../../EventStore.js"
import type { StorageService } from "../../Storage.js"
import type { CursorFilterValue, CursorKey } from "./checkpoints.js"
import { advanceFrom, moveForward, readPosition } from "./checkpoints.js"

/** Runs inside the transaction that advances the checkpoint: write with `tx` only (it may run again). */
export type TransactionalHandler<E, R> = (event: RecordedEvent, tx: EventTx) => Effect.Effect<unknown, E, R>
/** Runs outside any transaction; the checkpoint advances after it succeeds. */
export type AtLeastOnceHandler<E, R> = (event: RecordedEvent) => Effect.Effect<unknown, E, R>

export interface ConsumeContext {
  readonly store: EventStoreService
  readonly storage: StorageService
  readonly key: CursorKey
  readonly filter: CursorFilterValue
}

interface Batch {
  /** The checkpoint the batch was read after. */
  readonly from: number
  /** Where the checkpoint goes once the batch is processed. */
  readonly to: number
  readonly events: ReadonlyArray<RecordedEvent>
  /** The batch was short: after it, the cursor is caught up with the head read before it. */
  readonly last: boolean
}

/** The next batch after the checkpoint, or `undefined` when the cursor is at the head of the log. */
const nextBatch = (ctx: ConsumeContext, batchSize: number): Effect.Effect<Batch | undefined, StorageError> =>
  Effect.gen(function*() {
    const from = yield* readPosition(ctx.storage, ctx.key)
    const head = yield* ctx.store.head
    if (head <= from) return undefined
    const options = { after: from, to: head, limit: batchSize, ...ctx.filter }
    const events = yield* ctx.store.readAll(options).pipe(
      Effect.catchTag("InvalidInput", (e) => Effect.dieMessage(`cursor read options were decoded already: ${e.message}`))
    )
    const last = events.length < batchSize
    return { from, to: last ? head : events[events.length - 1]!.position, events, last }
  })

export const consumeTransactional = <E, R>(
  ctx: ConsumeContext,
  handler: TransactionalHandler<E, R>,
  batchSize: number
): Effect.Effect<number, E | StorageError, R> =>
  Effect.contextWithEffect((context: Context.Context<R>) =>
    Effect.gen(function*() {
      let total = 0
      while (true) {
        const batch = yield* nextBatch(ctx, batchSize)
        if (batch === undefined) return total
        const applied = yield* ctx.store.transact((tx) =>
          Effect.gen(function*() {
            if ((yield* readPosition(tx, ctx.key)) !== batch.from) return false
            for (const event of batch.events) yield* handler(event, tx)
            yield* moveForward(tx, ctx.key, batch.to, tx.now)
            return true
          }).pipe(Effect.provide(context))
        )
        if (!applied) continue
        total += batch.events.length
        if (batch.last) return total
      }
    })
  )

export const consumeAtLeastOnce = <E, R>(
  ctx: ConsumeContext,
  handler: AtLeastOnceHandler<E, R>,
  batchSize: number
): Effect.Effect<number, E | StorageError, R> =>
  Effect.gen(function*() {
    const advance = (from: number, to: number) => ctx.store.transact((tx) => advanceFrom(tx, ctx.key, from, to, tx.now))
    let total = 0
    while (true) {
      const batch = yield* nextBatch(ctx, batchSize)
      if (batch === undefined) return total
      let done = batch.from
      yield* Effect.forEach(batch.events, (event) =>
        Effect.map(handler(event), () => {
          done = event.position
          total++
        }), { discard: true }).pipe(
          // On failure or interruption, keep what was handled: only the rest is delivered again.
          Effect.onExit((exit) => (exit._tag === "Success" || done === batch.from ? Effect.void : Effect.ignore(advance(batch.from, done))))
        )
      // `false` (moved meanwhile) is fine: never backwards, and a rewind wins.
      yield* advance(batch.from, batch.to)
      if (batch.last) return total
    }
  })

/**
 * Consumes, then waits for the next change (here or in another process), forever. Subscribes
 * before the first read, so nothing appended in between is missed; the wait is capped so that a
 * lost tick only delays, never stalls.
 */
export const follow = <A, E, R>(
  storage: StorageService,
  consume: Effect.Effect<A, E, R>
): Effect.Effect<never, E, R> =>
  Effect.scoped(Effect.gen(function*() {
    const ticks = yield* storage.subscribe
    while (true) {
      yield* consume
      yield* Effect.timeoutOption(Queue.take(ticks), Duration.seconds(1))
    }
  }))
