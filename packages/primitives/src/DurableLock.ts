/**
 * Durable, fenced leases on named resources, shared by every process on one database.
 *
 * A lock is a lease: `acquire` gives the holder the resource until `expiresAt` (now + ttl), with a
 * **fencing token** that is strictly greater than every token issued for that resource before,
 * forever: across release, re-acquisition and takeover (the `locks` row keeps the last token when
 * the lock is released, and a rebuild replays it from the log). Pass the token along with every
 * write the lock protects, and have the protected store refuse tokens lower than the highest it has
 * seen: a holder that stalled past its expiry then cannot overwrite its successor's work.
 *
 * Every decision (acquire, take over, renew, release) is one compare-and-set transaction in the
 * event store (`BEGIN IMMEDIATE`, serialised across processes), timed by `tx.now`; an expired lease
 * is taken over by exactly one contender, the first to commit.
 *
 * Semantics decided here:
 * - **Re-entry**: the holder acquiring a lock it holds gets the same lease and fence back, extended
 *   to `max(expiresAt, now + ttl)` (`reentered: true`). It is not a counting lock: one `release`
 *   frees it. `withLock` nested in `withLock` with the same holder does not release at the inner
 *   exit, so nesting is safe there. An acquisition after the holder's own lease expired is a new
 *   lease with a new fence.
 * - **Renew**: only the holder of a live lease; after expiry it is `LockNotHeld` even if nobody took
 *   the lock over (acquire again for a new fence). Renewal sets `expiresAt` to `now + ttl`.
 * - **Release**: by the holder recorded on the lock, live or expired (cleanup after a stall), as
 *   long as nobody took it over. Anyone else gets `LockNotHeld` and nothing changes.
 * - **Waiting**: without `wait` or `retry`, a lock held by someone else fails at once with
 *   `LockHeld`. With them, the caller waits (see `internal/lock/wait.ts`) until it wins, the `wait`
 *   budget is spent or the `retry` schedule ends: then `LockTimeout`.
 * - **Clocks**: expiry compares the deciding process's clock with `expiresAt` written by another
 *   process's clock; keep TTLs well above the clock skew between your machines.
 */
import { Clock, Context, Duration, Effect, Exit, Layer, Schedule } from "effect"
import { identity } from "effect/Function"
import { LockHeld } from "./Errors.js"
import type { InvalidInput, LockNotHeld, LockTimeout, MigrationError, StorageError } from "./Errors.js"
import { EventStore } from "./EventStore.js"
import { Storage } from "./Storage.js"
import { decoderFor } from "./internal/decode.js"
import { acquireIn, liveHolder, readLock, releaseIn, renewIn, statusOf } from "./internal/lock/commands.js"
import { AcquireArgs, InspectArgs, ReleaseArgs, RenewArgs, WithLockArgs } from "./internal/lock/inputs.js"
import { LockModule } from "./internal/lock/module.js"
import { acquireWaiting } from "./internal/lock/wait.js"
import type { Restore } from "./internal/lock/wait.js"

export { LockModule } from "./internal/lock/module.js"
export { LeaseAcquired, LeaseReleased, LeaseRenewed } from "./internal/lock/events.js"

/** A live lease. */
export interface Lease {
  readonly resource: string
  readonly holder: string
  /** The fencing token: strictly increasing per resource, never reused. */
  readonly fence: number
  readonly acquiredAt: number
  readonly expiresAt: number
}

/** What `acquire` returns. */
export interface Acquired extends Lease {
  /** The holder whose expired lease this acquisition took over; null when the lock was free or re-entered. */
  readonly previousHolder: string | null
  /** True when the holder already held this live lease: same fence, extended. */
  readonly reentered: boolean
}

export interface LockStatus {
  readonly resource: string
  /** The last fencing token issued for the resource, 0 if it was never acquired. */
  readonly fence: number
  /** `held`: a live lease; `expired`: the last lease ran out and nobody released it; `free`: no lease. */
  readonly state: "free" | "held" | "expired"
  /** The current (held) or last (expired) lease; null when free. */
  readonly lease: Lease | null
}

export interface AcquireOptions {
  /** How long the lease lasts unless renewed (1 second .. 24 hours). */
  readonly ttl: Duration.DurationInput
  /** Keep trying this long while someone else holds the lock (0 .. 24 hours), then `LockTimeout`. */
  readonly wait?: Duration.DurationInput
  /**
   * The pause between attempts while waiting (default: exponential from 1 ms, capped at 1 s,
   * jittered); change ticks wake the waiter earlier. A schedule that ends ends the wait
   * (`LockTimeout`). Giving `retry` without `wait` waits until the schedule ends.
   */
  readonly retry?: Schedule.Schedule<unknown, LockHeld>
}

export interface WithLockOptions extends AcquireOptions {
  /**
   * Renew the lease every ttl/3 while the effect runs (default true), so work may outlast the TTL
   * while the process is alive. If a renewal finds the lease lost (`LockNotHeld`), or storage keeps
   * failing past three retries (`StorageError`), the effect is interrupted and `withLock` fails with
   * that error. Without keep-alive, a lease that ran out during the effect and was taken over is
   * reported as `LockNotHeld` when `withLock` tries to release it.
   */
  readonly keepAlive?: boolean
}

export type AcquireError = LockHeld | LockTimeout | InvalidInput | StorageError

export interface DurableLockService {
  /** Takes the lock for `holder`, or fails with `LockHeld` (at once) / `LockTimeout` (after waiting). */
  readonly acquire: (resource: string, holder: string, options: AcquireOptions) => Effect.Effect<Acquired, AcquireError>
  /** Extends the holder's live lease to now + ttl (same fence). */
  readonly renew: (
    resource: string,
    holder: string,
    options: { readonly ttl: Duration.DurationInput }
  ) => Effect.Effect<Lease, LockNotHeld | InvalidInput | StorageError>
  /** Gives the lock up; the resource keeps its fence. */
  readonly release: (resource: string, holder: string) => Effect.Effect<void, LockNotHeld | InvalidInput | StorageError>
  /** The lock as it is now (a plain read). */
  readonly inspect: (resource: string) => Effect.Effect<LockStatus, InvalidInput | StorageError>
  /**
   * Runs `use` while holding the lock: acquired first, released when `use` ends, fails or is
   * interrupted (a re-entered lock is left to the outer holder), kept alive meanwhile (see
   * `keepAlive`).
   */
  readonly withLock: <A, E, R>(
    resource: string,
    holder: string,
    options: WithLockOptions,
    use: (lease: Acquired) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | AcquireError | LockNotHeld, R>
}

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  yield* store.install(LockModule)
  const project = store.project
  const decodeAcquire = decoderFor(AcquireArgs, "DurableLock.acquire")
  const decodeWithLock = decoderFor(WithLockArgs, "DurableLock.withLock")
  const decodeRenew = decoderFor(RenewArgs, "DurableLock.renew")
  const decodeRelease = decoderFor(ReleaseArgs, "DurableLock.release")
  const decodeInspect = decoderFor(InspectArgs, "DurableLock.inspect")

  const peek = (resource: string) =>
    Effect.gen(function*() {
      const row = yield* readLock(storage, project, resource)
      const now = yield* Clock.currentTimeMillis
      const holder = liveHolder(row, now)
      return holder === null ? undefined : new LockHeld({ resource, holder, expiresAt: row!.expires_at! })
    })

  const acquireDecoded = (
    resource: string,
    holder: string,
    o: { readonly ttl: number; readonly wait?: number | undefined; readonly retry?: Schedule.Schedule<unknown, any> | undefined },
    restore: Restore = identity
  ): Effect.Effect<Acquired, LockHeld | LockTimeout | StorageError> => {
    const attempt = store.transactProgram((tx) => acquireIn(tx, resource, holder, o.ttl))
    if (o.wait === undefined && o.retry === undefined) return attempt
    return acquireWaiting({
      resource,
      holder,
      attempt,
      peek: peek(resource),
      subscribe: storage.subscribe,
      waitMs: o.wait,
      retry: o.retry,
      restore
    })
  }

  const renewDecoded = (resource: string, holder: string, ttl: number) =>
    store.transactProgram((tx) => renewIn(tx, resource, holder, ttl))

  const release: DurableLockService["release"] = (resource, holder) =>
    Effect.flatMap(decodeRelease({ resource, holder }), (a) => store.transactProgram((tx) => releaseIn(tx, a.resource, a.holder)))

  /** Renews every ttl/3 until interrupted; fails only when the lease is lost. */
  const keepAlive = (lease: Acquired, ttl: number): Effect.Effect<never, LockNotHeld | StorageError> => {
    const interval = Duration.millis(Math.max(1, Math.floor(ttl / 3)))
    const renewOnce = renewDecoded(lease.resource, lease.holder, ttl).pipe(
      // A storage hiccup is retried a few times within the interval; a lost lease is final.
      Effect.retry({
        while: (e) => e._tag === "StorageError",
        schedule: Schedule.spaced(Duration.millis(Math.max(1, Math.floor(ttl / 12)))).pipe(Schedule.intersect(Schedule.recurs(3)))
      })
    )
    return Effect.forever(Effect.zipRight(Effect.sleep(interval), renewOnce))
  }

  /** After `use` failed or was interrupted: release if we still can; the original outcome stands. */
  const releaseQuietly = (lease: Acquired) =>
    store.transactProgram((tx) => releaseIn(tx, lease.resource, lease.holder)).pipe(
      Effect.catchAll((e) => e._tag === "LockNotHeld" ? Effect.void : Effect.logWarning("DurableLock: release failed", e))
    )

  const withLock: DurableLockService["withLock"] = (resource, holder, options, use) =>
    Effect.flatMap(decodeWithLock({ resource, holder, options }), (a) =>
      // Acquisition is uninterruptible except while waiting, so a lease that was taken is always
      // handed to the code that releases it.
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(acquireDecoded(a.resource, a.holder, a.options, restore), (lease) => {
          if (lease.reentered) return restore(use(lease))
          const body = a.options.keepAlive === false ? use(lease) : Effect.raceFirst(use(lease), keepAlive(lease, a.options.ttl))
          return restore(body).pipe(
            Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : releaseQuietly(lease))),
            // After success a failed release is reported: `LockNotHeld` here means the lease ran out
            // during `use` and someone else took the lock over.
            Effect.tap(() => store.transactProgram((tx) => releaseIn(tx, lease.resource, lease.holder)))
          )
        })
      ))

  const service: DurableLockService = {
    acquire: (resource, holder, options) =>
      Effect.flatMap(decodeAcquire({ resource, holder, options }), (a) => acquireDecoded(a.resource, a.holder, a.options)),
    renew: (resource, holder, options) =>
      Effect.flatMap(decodeRenew({ resource, holder, options }), (a) => renewDecoded(a.resource, a.holder, a.options.ttl)),
    release,
    inspect: (resource) =>
      Effect.gen(function*() {
        const a = yield* decodeInspect({ resource })
        const row = yield* readLock(storage, project, a.resource)
        return statusOf(a.resource, row, yield* Clock.currentTimeMillis)
      }),
    withLock
  }
  return service
})

export class DurableLock extends Context.Tag("@waggle/primitives/DurableLock")<DurableLock, DurableLockService>() {
  /** The locks of the `EventStore`'s project; installs the lock module (migration, events, projection). */
  static readonly layer: Layer.Layer<DurableLock, MigrationError | StorageError, EventStore | Storage> = Layer.effect(
    DurableLock,
    make
  )
}
