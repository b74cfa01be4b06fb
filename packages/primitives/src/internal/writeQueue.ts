/**
 * Group commit with a leader. A writer that finds no transaction in progress leads: it yields once
 * (so writers that are ready to run can join), then runs its own unit and everything queued in ONE
 * write transaction (one fsync at FULL durability). Writers arriving while a transaction runs queue
 * up and wait; when the leader finishes it hands leadership to the first of them, which commits the
 * next batch. Each unit runs in its own savepoint: a unit that fails is undone alone, and its caller
 * gets its own error while the others commit.
 *
 * A lone writer pays one yield and no hand-off between fibers.
 */
import { Clock, Effect, Exit } from "effect"
import type { StorageError } from "../Errors.js"
import type { SyncExecutor } from "../SqlProgram.js"
import type { Driver, TransactionConnection } from "./Driver.js"

/** A unit of work: an Effect on the transaction, and optionally the same work as a synchronous run. */
export interface Unit<A, E> {
  (tx: TransactionConnection): Effect.Effect<A, E>
  /** Used instead on drivers with synchronous statements: no Effect runs per statement. */
  readonly sync?: (executor: SyncExecutor, now: number) => Exit.Exit<A, E>
}

type Signal =
  | { readonly _tag: "done"; readonly exit: Exit.Exit<unknown, unknown> }
  | { readonly _tag: "lead" }

interface Pending {
  readonly unit: Unit<unknown, unknown>
  /** Wakes a waiting writer (set once it waits); signals sent before that are kept in `early`. */
  wake: ((signal: Signal) => void) | undefined
  early: Signal | undefined
  cancelled: boolean
  promoted: boolean
}

const SAVEPOINT = { sql: "SAVEPOINT waggle_unit", args: [] }
const ROLLBACK_TO = { sql: "ROLLBACK TO waggle_unit", args: [] }
const RELEASE = { sql: "RELEASE waggle_unit", args: [] }
const LEAD: Signal = { _tag: "lead" }
const MAX_GATHER_YIELDS = 4
/** Marks a first pass that must be redone with savepoints. */
const RETRY_WITH_SAVEPOINTS: Array<Exit.Exit<unknown, unknown>> = []

export interface WriteQueue {
  readonly submit: <A, E>(unit: Unit<A, E>) => Effect.Effect<A, E | StorageError>
}

export const makeWriteQueue = (driver: Driver, onCommit: Effect.Effect<void>, maxBatch = 512): WriteQueue => {
  let leading = false
  const waiting: Array<Pending> = []

  /**
   * Runs the batch's units in order. Optimistic first pass: no savepoints (two native calls per unit
   * saved); if any unit fails, the transaction is rolled back and the batch runs again with a
   * savepoint per unit, so that only the failed units are undone. (Units may run more than once:
   * they have no effects outside `tx`.) A single unit needs no savepoint: its failure rolls back the
   * whole transaction.
   */
  const runUnits = (tx: TransactionConnection, batch: ReadonlyArray<Pending>, savepoints: boolean) =>
    Effect.gen(function*() {
      const exits: Array<Exit.Exit<unknown, unknown>> = []
      const now = yield* Clock.currentTimeMillis
      for (const pending of batch) {
        if (savepoints) yield* tx.run(SAVEPOINT)
        const sync = pending.unit.sync
        const exit = sync !== undefined && tx.sync !== undefined ? sync(tx.sync, now) : yield* Effect.exit(pending.unit(tx))
        if (tx.busy()) return { value: exits, commit: false } // the driver retries the whole batch
        if (savepoints) {
          if (Exit.isFailure(exit)) yield* tx.run(ROLLBACK_TO)
          yield* tx.run(RELEASE)
        } else if (Exit.isFailure(exit) && batch.length > 1) {
          return { value: RETRY_WITH_SAVEPOINTS, commit: false }
        }
        exits.push(exit)
      }
      return { value: exits, commit: exits.some(Exit.isSuccess) }
    })

  const runBatch = (batch: ReadonlyArray<Pending>) =>
    Effect.flatMap(driver.transaction((tx) => runUnits(tx, batch, false)), (exits) =>
      exits === RETRY_WITH_SAVEPOINTS
        ? driver.transaction((tx) => runUnits(tx, batch, true)) as Effect.Effect<Array<Exit.Exit<unknown, unknown>>, StorageError>
        : Effect.succeed(exits))

  const signal = (pending: Pending, s: Signal) => {
    if (pending.wake === undefined) pending.early = s
    else pending.wake(s)
  }

  /** Leadership passes to the first live waiter, or ends. */
  const handOff = () => {
    while (waiting.length > 0) {
      const next = waiting.shift()!
      if (next.cancelled) continue
      next.promoted = true
      signal(next, LEAD)
      return
    }
    leading = false
  }

  /** Runs `own` and up to `maxBatch - 1` waiters in one transaction; returns `own`'s exit. */
  const lead = (own: Pending): Effect.Effect<Exit.Exit<unknown, unknown>> =>
    Effect.gen(function*() {
      // Yield while writers keep arriving (at most a few times), so that concurrent writers share
      // this transaction; a lone writer pays one yield.
      let seen = -1
      for (let i = 0; i < MAX_GATHER_YIELDS && waiting.length !== seen && waiting.length < maxBatch - 1; i++) {
        seen = waiting.length
        yield* Effect.yieldNow()
      }
      const followers = waiting.splice(0, maxBatch - 1).filter((p) => !p.cancelled)
      const batch = [own, ...followers]
      const result = yield* Effect.exit(runBatch(batch))
      const exits: ReadonlyArray<Exit.Exit<unknown, unknown>> = Exit.isSuccess(result)
        ? result.value
        : batch.map(() => result)
      followers.forEach((p, i) => signal(p, { _tag: "done", exit: exits[i + 1]! }))
      if (exits.some(Exit.isSuccess)) yield* onCommit
      return exits[0]!
    }).pipe(Effect.ensuring(Effect.sync(handOff)), Effect.uninterruptible)

  const submit = <A, E>(unit: Unit<A, E>): Effect.Effect<A, E | StorageError> =>
    Effect.suspend(() => {
      if (!leading) {
        leading = true
        const own: Pending = { unit: unit as Unit<unknown, unknown>, wake: undefined, early: undefined, cancelled: false, promoted: false }
        return Effect.flatten(lead(own)) as Effect.Effect<A, E | StorageError>
      }
      return follow(unit as Unit<unknown, unknown>) as Effect.Effect<A, E | StorageError>
    })

  /** Waits for the leader to commit this unit, or to hand over leadership. */
  const follow = (unit: Unit<unknown, unknown>): Effect.Effect<unknown, unknown> =>
    Effect.uninterruptibleMask((restore) => {
      const own: Pending = { unit, wake: undefined, early: undefined, cancelled: false, promoted: false }
      waiting.push(own)
      const awaitSignal = Effect.async<Signal>((resume) => {
        if (own.early !== undefined) return resume(Effect.succeed(own.early))
        own.wake = (s) => resume(Effect.succeed(s))
      })
      return restore(awaitSignal).pipe(
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            own.cancelled = true
            // Interrupted just as leadership arrived: pass it on, so that nobody waits forever.
            if (own.promoted) handOff()
          })
        ),
        Effect.flatMap((signal) => (signal._tag === "done" ? signal.exit : Effect.flatten(lead(own))))
      )
    })

  return { submit }
}
