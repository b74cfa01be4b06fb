/**
 * Group commit. Concurrent writers in one process queue their units of work; one fiber drains the
 * queue and runs everything that is waiting inside ONE write transaction (one fsync at FULL), each
 * unit in its own savepoint so that a unit that fails is undone alone and its caller gets its own
 * error while the others commit.
 */
import { Deferred, Effect, Exit, FiberId, Queue } from "effect"
import type { Scope } from "effect"
import { StorageError } from "../Errors.js"
import type { Driver, TransactionConnection } from "./Driver.js"

export type Unit<A, E> = (tx: TransactionConnection) => Effect.Effect<A, E>

interface Pending {
  readonly unit: Unit<unknown, unknown>
  readonly done: Deferred.Deferred<unknown, unknown>
  cancelled: boolean
}

const SAVEPOINT = { sql: "SAVEPOINT waggle_unit", args: [] }
const ROLLBACK_TO = { sql: "ROLLBACK TO waggle_unit", args: [] }
const RELEASE = { sql: "RELEASE waggle_unit", args: [] }

export interface WriteQueue {
  readonly submit: <A, E>(unit: Unit<A, E>) => Effect.Effect<A, E | StorageError>
}

export const makeWriteQueue = (
  driver: Driver,
  onCommit: Effect.Effect<void>,
  maxBatch = 512
): Effect.Effect<WriteQueue, never, Scope.Scope> =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<Pending>()
    const inFlight = new Set<Pending>()

    const runUnits = (tx: TransactionConnection, batch: ReadonlyArray<Pending>) =>
      Effect.gen(function*() {
        const savepoints = batch.length > 1
        const exits: Array<Exit.Exit<unknown, unknown>> = []
        for (const pending of batch) {
          if (savepoints) yield* tx.run(SAVEPOINT)
          const exit = yield* Effect.exit(pending.unit(tx))
          if (tx.busy()) return { value: exits, commit: false } // the driver retries the whole batch
          if (savepoints) {
            if (Exit.isFailure(exit)) yield* tx.run(ROLLBACK_TO)
            yield* tx.run(RELEASE)
          }
          exits.push(exit)
        }
        return { value: exits, commit: exits.some(Exit.isSuccess) }
      })

    const drainOnce = Effect.gen(function*() {
      const first = yield* Queue.take(queue)
      yield* Effect.yieldNow() // let writers that are about to queue join this transaction
      const rest = yield* Queue.takeUpTo(queue, maxBatch - 1)
      const taken = [first, ...rest]
      taken.forEach((pending) => inFlight.delete(pending))
      const batch = taken.filter((p) => !p.cancelled)
      if (batch.length === 0) return
      const result = yield* Effect.exit(driver.transaction((tx) => runUnits(tx, batch)))
      if (Exit.isSuccess(result)) {
        batch.forEach((pending, i) => Deferred.unsafeDone(pending.done, result.value[i]!))
        if (result.value.some(Exit.isSuccess)) yield* onCommit
      } else {
        batch.forEach((pending) => Deferred.unsafeDone(pending.done, result))
      }
    })

    yield* Effect.forkScoped(Effect.interruptible(Effect.forever(drainOnce)))
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const pending of inFlight) Deferred.unsafeDone(pending.done, Exit.interrupt(FiberId.none))
      }).pipe(Effect.zipRight(Queue.shutdown(queue)))
    )

    const submit = <A, E>(unit: Unit<A, E>): Effect.Effect<A, E | StorageError> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const done = yield* Deferred.make<unknown, unknown>()
          const pending: Pending = { unit: unit as Unit<unknown, unknown>, done, cancelled: false }
          inFlight.add(pending)
          yield* Queue.offer(queue, pending)
          return yield* restore(Deferred.await(done)).pipe(
            Effect.onInterrupt(() => Effect.sync(() => (pending.cancelled = true)))
          ) as Effect.Effect<A, E | StorageError>
        })
      )

    return { submit }
  })
