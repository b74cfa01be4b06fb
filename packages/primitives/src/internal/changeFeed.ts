/**
 * "Something may have changed": ticks after every local commit and, while anyone listens, after
 * commits by other processes (found by polling `PRAGMA data_version`, a few microseconds a look;
 * drivers without it tick on a timer and listeners re-run their queries).
 */
import { Duration, Effect, Fiber, PubSub, Stream } from "effect"
import type { Queue } from "effect"
import type { Scope } from "effect"
import type { StorageError } from "../Errors.js"

export interface ChangeFeed {
  /**
   * A queue that receives a tick after each change from now on (ticks coalesce). Subscribe BEFORE
   * querying, then wait on the queue whenever a query finds nothing new: no change is missed.
   */
  readonly subscribe: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
  /** The same ticks as an endless stream. */
  readonly changes: Stream.Stream<void>
  /** Announce a local commit. */
  readonly notify: Effect.Effect<void>
}

export const makeChangeFeed = (
  dataVersion: Effect.Effect<number | undefined, StorageError>,
  pollIntervalMs: number
): Effect.Effect<ChangeFeed, never, Scope.Scope> =>
  Effect.gen(function*() {
    const hub = yield* PubSub.sliding<void>(1)
    const scope = yield* Effect.scope
    let listeners = 0
    let poller: Fiber.RuntimeFiber<void, never> | undefined

    const poll = Effect.gen(function*() {
      let last = yield* Effect.orElseSucceed(dataVersion, () => undefined)
      while (true) {
        yield* Effect.sleep(Duration.millis(pollIntervalMs))
        const now = yield* Effect.orElseSucceed(dataVersion, () => undefined)
        if (now === undefined || now !== last) yield* PubSub.publish(hub, undefined)
        last = now
      }
    })

    const listen = Effect.acquireRelease(
      Effect.gen(function*() {
        listeners++
        // forked from an uninterruptible acquire: make the poller itself interruptible
        if (poller === undefined) poller = yield* Effect.forkIn(Effect.interruptible(poll), scope)
      }),
      () =>
        Effect.gen(function*() {
          listeners--
          if (listeners === 0 && poller !== undefined) {
            const fiber = poller
            poller = undefined
            yield* Fiber.interrupt(fiber)
          }
        })
    )

    const subscribe = Effect.gen(function*() {
      const subscription = yield* PubSub.subscribe(hub)
      yield* listen
      return subscription
    })
    const changes = Stream.unwrapScoped(Effect.map(subscribe, (queue) => Stream.fromQueue(queue)))

    return { subscribe, changes, notify: PubSub.publish(hub, undefined).pipe(Effect.asVoid) }
  })
