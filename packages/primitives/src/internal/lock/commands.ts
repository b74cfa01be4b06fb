/**
 * The lock's decisions, each inside one event-store transaction (`BEGIN IMMEDIATE`, serialised
 * against every writer in every process): read the resource's row, decide with `tx.now`, append.
 * Two contenders for one expired lease are two transactions, one after the other: the second
 * reads the first one's lease and fails with `LockHeld`. Nothing is written when a call fails.
 */
import { Effect } from "effect"
import type { Acquired, Lease, LockStatus } from "../../DurableLock.js"
import { LockHeld, LockNotHeld } from "../../Errors.js"
import type { StorageError } from "../../Errors.js"
import type { EventInput } from "../../Event.js"
import type { EventTx } from "../../EventStore.js"
import { sql } from "../../Sql.js"
import type { Tx } from "../../Storage.js"
import { LeaseAcquired, LeaseReleased, LeaseRenewed, streamOf } from "./events.js"

export interface LockRow {
  readonly holder: string | null
  readonly fence: number
  readonly acquired_at: number | null
  readonly expires_at: number | null
}

export const readLock = (tx: Pick<Tx, "queryOne">, project: string, resource: string) =>
  tx.queryOne<LockRow>(
    sql`SELECT holder, fence, acquired_at, expires_at FROM locks WHERE project = ${project} AND resource = ${resource}`
  )

/** The holder of a lease that is still live at `now`, or null. */
export const liveHolder = (row: LockRow | undefined, now: number): string | null =>
  row !== undefined && row.holder !== null && row.expires_at !== null && row.expires_at > now ? row.holder : null

/** Appends one of the lock's own events; the module is installed, so only storage can fail. */
const append = (tx: EventTx, resource: string, event: EventInput): Effect.Effect<void, StorageError> =>
  tx.append(streamOf(resource), event).pipe(
    Effect.catchTags({ InvalidInput: Effect.die, UnknownEventType: Effect.die, StreamVersionConflict: Effect.die }),
    Effect.asVoid
  )

export const acquireIn = (
  tx: EventTx,
  resource: string,
  holder: string,
  ttlMs: number
): Effect.Effect<Acquired, LockHeld | StorageError> =>
  Effect.gen(function*() {
    const row = yield* readLock(tx, tx.project, resource)
    const now = tx.now
    const current = liveHolder(row, now)
    if (current !== null && row !== undefined) {
      if (current !== holder) return yield* new LockHeld({ resource, holder: current, expiresAt: row.expires_at! })
      // Re-entry: the same lease, extended (never shortened), same fence.
      const expiresAt = Math.max(row.expires_at!, now + ttlMs)
      if (expiresAt !== row.expires_at) {
        yield* append(tx, resource, LeaseRenewed.make({ resource, holder, fence: row.fence, expiresAt }))
      }
      return { resource, holder, fence: row.fence, acquiredAt: row.acquired_at!, expiresAt, previousHolder: null, reentered: true }
    }
    const fence = (row?.fence ?? 0) + 1
    const expiresAt = now + ttlMs
    const previousHolder = row?.holder ?? null
    yield* append(tx, resource, LeaseAcquired.make({ resource, holder, fence, expiresAt, previousHolder }))
    return { resource, holder, fence, acquiredAt: now, expiresAt, previousHolder, reentered: false }
  })

export const renewIn = (
  tx: EventTx,
  resource: string,
  holder: string,
  ttlMs: number
): Effect.Effect<Lease, LockNotHeld | StorageError> =>
  Effect.gen(function*() {
    const row = yield* readLock(tx, tx.project, resource)
    const current = liveHolder(row, tx.now)
    if (current !== holder || row === undefined) return yield* new LockNotHeld({ resource, holder, currentHolder: current })
    const expiresAt = tx.now + ttlMs
    yield* append(tx, resource, LeaseRenewed.make({ resource, holder, fence: row.fence, expiresAt }))
    return { resource, holder, fence: row.fence, acquiredAt: row.acquired_at!, expiresAt }
  })

export const releaseIn = (
  tx: EventTx,
  resource: string,
  holder: string
): Effect.Effect<void, LockNotHeld | StorageError> =>
  Effect.gen(function*() {
    const row = yield* readLock(tx, tx.project, resource)
    if (row === undefined || row.holder !== holder) {
      return yield* new LockNotHeld({ resource, holder, currentHolder: liveHolder(row, tx.now) })
    }
    yield* append(tx, resource, LeaseReleased.make({ resource, holder, fence: row.fence }))
  })

export const statusOf = (resource: string, row: LockRow | undefined, now: number): LockStatus => {
  if (row === undefined || row.holder === null) {
    return { resource, fence: row?.fence ?? 0, state: "free", lease: null }
  }
  return {
    resource,
    fence: row.fence,
    state: row.expires_at! > now ? "held" : "expired",
    lease: { resource, holder: row.holder, fence: row.fence, acquiredAt: row.acquired_at!, expiresAt: row.expires_at! }
  }
}
