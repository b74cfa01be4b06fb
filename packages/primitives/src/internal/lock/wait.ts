/**
 * Waiting for a lock. The waiter subscribes to the database's change ticks BEFORE its first attempt
 * (so a release between the attempt and the wait is not missed), then sleeps until the first of:
 * a change tick (a commit here or in another process), the next step of the retry schedule
 * (backoff, in case a tick is late or lost), the moment the current lease expires (expiry commits
 * nothing, so no tick announces it), or the deadline. Before the first attempt and after every wake
 * it peeks at the row with a plain read, and only starts a write transaction (which competes for
 * the database's write lock with every other process) when the lock looks free or expired.
 */
import { Clock, Duration, Effect, Either, Queue, Schedule } from "effect"
import type { Scope } from "effect"
import type { Acquired } from "../../DurableLock.js"
import { LockTimeout } from "../../Errors.js"
import type { LockHeld } from "../../Errors.js"
import type { StorageError } from "../../Errors.js"

/**
 * Exponential from 1 ms, at most 1 s apart, jittered so that waiters in many processes spread out.
 * Each step is only a plain read (a peek); change ticks usually wake the waiter first.
 */
export const defaultRetry: Schedule.Schedule<unknown, unknown> = Schedule.exponential(Duration.millis(1), 2).pipe(
  Schedule.union(Schedule.spaced(Duration.seconds(1))),
  Schedule.jittered
)

/** Makes a region interruptible again inside an uninterruptible one (see `Effect.uninterruptibleMask`). */
export type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

export interface WaitingAcquisition {
  readonly resource: string
  readonly holder: string
  /** One attempt, in its own transaction. */
  readonly attempt: Effect.Effect<Acquired, LockHeld | StorageError>
  /** The live lease of someone else as a plain read, or undefined when the lock looks free. */
  readonly peek: Effect.Effect<LockHeld | undefined, StorageError>
  readonly subscribe: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
  readonly waitMs: number | undefined
  readonly retry: Schedule.Schedule<unknown, LockHeld> | undefined
  /** Applied to the waits (and only to them): attempts themselves run as the caller runs them. */
  readonly restore: Restore
}

export const acquireWaiting = (w: WaitingAcquisition): Effect.Effect<Acquired, LockTimeout | StorageError> =>
  Effect.scoped(Effect.gen(function*() {
    const ticks = yield* w.subscribe
    const start = yield* Clock.currentTimeMillis
    const deadline = w.waitMs === undefined ? Number.POSITIVE_INFINITY : start + w.waitMs
    const driver = yield* Schedule.driver(w.retry ?? defaultRetry)
    const timeout = (now: number) => new LockTimeout({ resource: w.resource, holder: w.holder, waitedMs: now - start })
    // Look before taking the write lock: under contention most attempts would only fail.
    let held: LockHeld | undefined = yield* w.restore(w.peek)
    while (true) {
      if (held === undefined) {
        const result = yield* Effect.either(w.attempt)
        if (Either.isRight(result)) return result.right
        if (result.left._tag !== "LockHeld") return yield* result.left
        held = result.left
      }
      const current: LockHeld = held
      const now = yield* Clock.currentTimeMillis
      if (now >= deadline) return yield* timeout(now)
      // Whole milliseconds, at least one: clocks may report fractions (the TestClock after jittered
      // sleeps), and a sub-millisecond sleep could leave `now` short of the deadline forever.
      const sleepMs = Math.max(1, Math.ceil(Math.min(current.expiresAt, deadline) - now))
      const woke = yield* w.restore(Effect.raceAll([
        Effect.as(Queue.take(ticks), "tick" as const),
        driver.next(current).pipe(Effect.as("backoff" as const), Effect.orElseSucceed(() => "exhausted" as const)),
        Effect.as(Effect.sleep(Duration.millis(sleepMs)), "timer" as const)
      ]))
      if (woke === "exhausted") return yield* timeout(yield* Clock.currentTimeMillis)
      held = yield* w.restore(w.peek)
    }
  }))
