/**
 * The lock's decisions, each one event-store transaction (`BEGIN IMMEDIATE`, serialised against
 * every writer in every process) written as a program: read the resource's row, decide with
 * `tx.now`, append.
 * Two contenders for one expired lease are two transactions, one after the other: the second
 * reads the first one's lease and fails with `LockHeld`. Nothing is written when a call fails.
 */
import type { Acquired, Lease, LockStatus } from "../../DurableLock.js"
import { LockHeld, LockNotHeld } from "../../Errors.js"
import type { EventInput } from "../../Event.js"
import type { ProgramTx } from "../../EventStore.js"
import { sql } from "../../Sql.js"
import * as SqlProgram from "../../SqlProgram.js"
import type { Tx } from "../../Storage.js"
import { LeaseAcquired, LeaseReleased, LeaseRenewed, streamOf } from "./events.js"

export interface LockRow {
  readonly holder: string | null
  readonly fence: number
  readonly acquired_at: number | null
  readonly expires_at: number | null
}

const lockStatement = (project: string, resource: string) =>
  sql`SELECT holder, fence, acquired_at, expires_at FROM locks WHERE project = ${project} AND resource = ${resource}`

export const readLock = (tx: Pick<Tx, "queryOne">, project: string, resource: string) =>
  tx.queryOne<LockRow>(lockStatement(project, resource))

/** The holder of a lease that is still live at `now`, or null. */
export const liveHolder = (row: LockRow | undefined, now: number): string | null =>
  row !== undefined && row.holder !== null && row.expires_at !== null && row.expires_at > now ? row.holder : null

/** Appends one of the lock's own events (well-formed by construction: any failure is a bug). */
function* append(tx: ProgramTx, resource: string, event: EventInput): SqlProgram.SqlProgram<void> {
  yield* SqlProgram.orDie(tx.append(streamOf(resource), event))
}

function* row(tx: ProgramTx, resource: string) {
  return yield* SqlProgram.queryOne<LockRow>(lockStatement(tx.project, resource))
}

/** Acquires (or re-enters) a lease: a program, run synchronously on the embedded driver. */
export function* acquireIn(
  tx: ProgramTx,
  resource: string,
  holder: string,
  ttlMs: number
): SqlProgram.SqlProgram<Acquired, LockHeld> {
  const lock = yield* row(tx, resource)
  const now = tx.now
  const current = liveHolder(lock, now)
  if (current !== null && lock !== undefined) {
    if (current !== holder) return yield* SqlProgram.fail(new LockHeld({ resource, holder: current, expiresAt: lock.expires_at! }))
    // Re-entry: the same lease, extended (never shortened), same fence.
    const expiresAt = Math.max(lock.expires_at!, now + ttlMs)
    if (expiresAt !== lock.expires_at) {
      yield* append(tx, resource, LeaseRenewed.make({ resource, holder, fence: lock.fence, expiresAt }))
    }
    return { resource, holder, fence: lock.fence, acquiredAt: lock.acquired_at!, expiresAt, previousHolder: null, reentered: true }
  }
  const fence = (lock?.fence ?? 0) + 1
  const expiresAt = now + ttlMs
  const previousHolder = lock?.holder ?? null
  yield* append(tx, resource, LeaseAcquired.make({ resource, holder, fence, expiresAt, previousHolder }))
  return { resource, holder, fence, acquiredAt: now, expiresAt, previousHolder, reentered: false }
}

export function* renewIn(
  tx: ProgramTx,
  resource: string,
  holder: string,
  ttlMs: number
): SqlProgram.SqlProgram<Lease, LockNotHeld> {
  const lock = yield* row(tx, resource)
  const current = liveHolder(lock, tx.now)
  if (current !== holder || lock === undefined) {
    return yield* SqlProgram.fail(new LockNotHeld({ resource, holder, currentHolder: current }))
  }
  const expiresAt = tx.now + ttlMs
  yield* append(tx, resource, LeaseRenewed.make({ resource, holder, fence: lock.fence, expiresAt }))
  return { resource, holder, fence: lock.fence, acquiredAt: lock.acquired_at!, expiresAt }
}

export function* releaseIn(tx: ProgramTx, resource: string, holder: string): SqlProgram.SqlProgram<void, LockNotHeld> {
  const lock = yield* row(tx, resource)
  if (lock === undefined || lock.holder !== holder) {
    return yield* SqlProgram.fail(new LockNotHeld({ resource, holder, currentHolder: liveHolder(lock, tx.now) }))
  }
  yield* append(tx, resource, LeaseReleased.make({ resource, holder, fence: lock.fence }))
}

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
