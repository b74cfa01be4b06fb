/**
 * "Something may have changed": ticks after every local commit and, while anyone listens, after
 * commits by other processes. For an embedded file, a watch on its directory (inotify) wakes the
 * listeners within a fraction of a millisecond of another process's commit, confirmed by
 * `PRAGMA data_version` (a few microseconds a look); polling remains as a slow safety net. Drivers
 * without a data version tick on a timer and listeners re-run their queries.
 */
import { Duration, Effect, Fiber, PubSub, Queue, Stream } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
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

/** Wakes `poke` whenever the database file or its WAL changes; closed with the scope. */
const watchDatabase = (file: string, poke: () => void) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const name = path.basename(file)
      try {
        const watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, changed) => {
          if (changed === null || changed.startsWith(name)) poke()
        })
        watcher.on("error", () => watcher.close())
        return watcher
      } catch {
        return undefined // no watch (e.g. inotify limits): the poll still finds every change
      }
    }),
    (watcher) => Effect.sync(() => watcher?.close())
  )

export const makeChangeFeed = (
  dataVersion: Effect.Effect<number | undefined, StorageError>,
  pollIntervalMs: number,
  /** The embedded database file, watched for other processes' commits. */
  watchFile?: string
): Effect.Effect<ChangeFeed, never, Scope.Scope> =>
  Effect.gen(function*() {
    const hub = yield* PubSub.sliding<void>(1)
    const scope = yield* Effect.scope
    let listeners = 0
    let poller: Fiber.RuntimeFiber<void, never> | undefined

    const poll = Effect.scoped(Effect.gen(function*() {
      const pokes = yield* Queue.sliding<void>(1)
      const watching = watchFile === undefined
        ? undefined
        : yield* watchDatabase(watchFile, () => void pokes.unsafeOffer(undefined))
      // With a watch, polling is only a safety net; without one, it is how changes are found.
      const interval = Duration.millis(watching === undefined ? pollIntervalMs : Math.max(pollIntervalMs, 100))
      let last = yield* Effect.orElseSucceed(dataVersion, () => undefined)
      while (true) {
        yield* Effect.raceFirst(Queue.take(pokes), Effect.sleep(interval))
        const now = yield* Effect.orElseSucceed(dataVersion, () => undefined)
        if (now === undefined || now !== last) yield* PubSub.publish(hub, undefined)
        last = now
      }
    }))

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
