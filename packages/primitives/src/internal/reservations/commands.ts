/**
 * Reservation decisions inside one event-store transaction (serialised against every writer in
 * every process): read the project's live reservations, decide with `tx.now`, append. The overlap
 * of patterns is decided here, in code (see `glob.ts`), against every live reservation of others.
 */
import { Effect, Either } from "effect"
import { ReservationConflict } from "../../Errors.js"
import type { ReservationConflictDetail, StorageError } from "../../Errors.js"
import type { EventInput } from "../../Event.js"
import type { EventTx } from "../../EventStore.js"
import type { Reservation } from "../../FileReservations.js"
import { sql, statement } from "../../Sql.js"
import type { Tx } from "../../Storage.js"
import { FilesReleased, FilesReserved, reservationId, streamOf } from "./events.js"
import { overlaps, parse } from "./glob.js"
import type { Glob } from "./glob.js"
import type { NormalizedPattern } from "./paths.js"

export interface ReservationRow {
  readonly id: string
  readonly agent: string
  readonly pattern: string
  readonly exclusive: number
  readonly reason: string | null
  readonly created_at: number
  readonly expires_at: number
}

const COLUMNS = "id, agent, pattern, exclusive, reason, created_at, expires_at"

export const toReservation = (row: ReservationRow): Reservation => ({
  id: row.id,
  agent: row.agent,
  pattern: row.pattern,
  exclusive: row.exclusive === 1,
  reason: row.reason,
  createdAt: row.created_at,
  expiresAt: row.expires_at
})

export const liveRows = (tx: Pick<Tx, "query">, project: string, now: number, agent?: string) =>
  agent === undefined
    ? tx.query<ReservationRow>(
      sql`SELECT id, agent, pattern, exclusive, reason, created_at, expires_at FROM file_reservations
          WHERE project = ${project} AND expires_at > ${now} ORDER BY agent, pattern`
    )
    : tx.query<ReservationRow>(
      sql`SELECT id, agent, pattern, exclusive, reason, created_at, expires_at FROM file_reservations
          WHERE project = ${project} AND agent = ${agent} AND expires_at > ${now} ORDER BY pattern`
    )

/** Parsed stored patterns (they were validated when reserved), bounded. */
const parsed = new Map<string, Glob>()
const globOf = (pattern: string): Glob => {
  let glob = parsed.get(pattern)
  if (glob === undefined) {
    glob = Either.getOrThrowWith(parse(pattern), (message) => new Error(`stored pattern ${pattern}: ${message}`))
    if (parsed.size >= 10_000) parsed.clear()
    parsed.set(pattern, glob)
  }
  return glob
}

/**
 * What stands in the way of `agent` holding `requested`: every live reservation of another agent
 * that overlaps a requested pattern, where either side is exclusive (shared only conflicts with
 * exclusive). An agent never conflicts with itself. In request order, then by holder and pattern.
 */
export const conflictsOf = (
  agent: string,
  requested: ReadonlyArray<NormalizedPattern>,
  exclusive: boolean,
  live: ReadonlyArray<ReservationRow>
): Array<ReservationConflictDetail> => {
  const others = live.filter((r) => r.agent !== agent && (exclusive || r.exclusive === 1))
  const conflicts: Array<ReservationConflictDetail> = []
  for (const want of requested) {
    for (const held of others) {
      if (overlaps(want.glob, globOf(held.pattern))) {
        conflicts.push({
          holder: held.agent,
          pattern: held.pattern,
          path: want.pattern,
          exclusive: held.exclusive === 1,
          expiresAt: held.expires_at
        })
      }
    }
  }
  return conflicts
}

const append = (tx: EventTx, stream: string, event: EventInput) =>
  tx.append(stream, event).pipe(
    Effect.catchTags({ InvalidInput: Effect.die, UnknownEventType: Effect.die, StreamVersionConflict: Effect.die })
  )

export interface ReserveRequest {
  readonly agent: string
  readonly patterns: ReadonlyArray<NormalizedPattern>
  readonly exclusive: boolean
  readonly ttlMs: number
  readonly reason: string | null
  readonly force: boolean
}

export const reserveIn = (
  tx: EventTx,
  r: ReserveRequest
): Effect.Effect<{ granted: Array<Reservation>; conflicts: Array<ReservationConflictDetail> }, ReservationConflict | StorageError> =>
  Effect.gen(function*() {
    const live = yield* liveRows(tx, tx.project, tx.now)
    const conflicts = conflictsOf(r.agent, r.patterns, r.exclusive, live)
    if (conflicts.length > 0 && !r.force) return yield* new ReservationConflict({ agent: r.agent, conflicts })
    const expiresAt = tx.now + r.ttlMs
    const reservations = r.patterns.map((p) => ({ pattern: p.pattern, exclusive: r.exclusive, reason: r.reason, expiresAt }))
    const appended = yield* append(tx, streamOf(r.agent), FilesReserved.make({ agent: r.agent, reservations, conflicts }))
    const mine = new Map(live.filter((row) => row.agent === r.agent).map((row) => [row.pattern, row]))
    const granted = reservations.map((res, i): Reservation => {
      const existing = mine.get(res.pattern)
      return {
        id: existing?.id ?? reservationId(appended.position, i),
        agent: r.agent,
        pattern: res.pattern,
        exclusive: res.exclusive,
        reason: res.reason,
        createdAt: existing?.created_at ?? tx.now,
        expiresAt
      }
    })
    return { granted, conflicts }
  })

export type ReleaseSelection =
  | { readonly _tag: "mine"; readonly agent: string; readonly patterns?: ReadonlyArray<string>; readonly ids?: ReadonlyArray<string> }
  | { readonly _tag: "agent"; readonly agent: string }
  | { readonly _tag: "all" }

/** Releases the selected reservations (live or expired); appends nothing when none match. */
export const releaseIn = (tx: EventTx, s: ReleaseSelection): Effect.Effect<Array<Reservation>, StorageError> =>
  Effect.gen(function*() {
    const rows = yield* tx.query<ReservationRow>(
      s._tag === "all"
        ? statement(`SELECT ${COLUMNS} FROM file_reservations WHERE project = ? ORDER BY agent, pattern`, [tx.project])
        : statement(`SELECT ${COLUMNS} FROM file_reservations WHERE project = ? AND agent = ? ORDER BY pattern`, [tx.project, s.agent])
    )
    const selected = s._tag === "mine" && (s.patterns !== undefined || s.ids !== undefined)
      ? rows.filter((row) => (s.patterns?.includes(row.pattern) ?? false) || (s.ids?.includes(row.id) ?? false))
      : rows
    if (selected.length === 0) return []
    const agent = s._tag === "all" ? null : s.agent
    yield* append(tx, streamOf(agent), FilesReleased.make({
      agent,
      ids: selected.map((row) => row.id),
      by: s._tag === "mine" ? "agent" : "coordinator"
    }))
    return selected.map(toReservation)
  })
