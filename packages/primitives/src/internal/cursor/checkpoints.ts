/**
 * The SQL of the `cursors` table. Every write runs inside `EventStore.transact`, so a read of the
 * current position followed by a write is a compare-and-set: no other writer, in any process, runs
 * in between.
 */
import { Effect } from "effect"
import type { StorageError } from "../../Errors.js"
import { sql } from "../../Sql.js"
import type { Tx } from "../../Storage.js"

/** Which checkpoint: the project, the consumer's name and the canonical JSON of its filter. */
export interface CursorKey {
  readonly project: string
  readonly name: string
  readonly filter: string
}

/** The filter a cursor reads the log with: one stream and/or some event types (both optional). */
export interface CursorFilterValue {
  readonly stream?: string | undefined
  readonly types?: ReadonlyArray<string> | undefined
}

/**
 * The canonical form of a filter: the same set of types in any order or with repeats gives the
 * same key, so it names the same checkpoint.
 */
export const filterKey = (filter: CursorFilterValue): string =>
  JSON.stringify({
    stream: filter.stream ?? null,
    types: filter.types === undefined ? null : [...new Set(filter.types)].sort()
  })

/** The checkpoint, 0 when the cursor has never been advanced (read inside a transaction or not). */
export const readPosition = (db: Pick<Tx, "queryOne">, key: CursorKey): Effect.Effect<number, StorageError> =>
  Effect.map(
    db.queryOne<{ position: number }>(
      sql`SELECT position FROM cursors WHERE project = ${key.project} AND name = ${key.name} AND filter = ${key.filter}`
    ),
    (row) => row?.position ?? 0
  )

/**
 * Moves the checkpoint forward to `to`. The `WHERE` keeps the forward-only rule in SQL as well:
 * an older position never overwrites a newer one.
 */
export const moveForward = (tx: Tx, key: CursorKey, to: number, now: number) =>
  tx.run(
    sql`INSERT INTO cursors (project, name, filter, position, updated_at)
        VALUES (${key.project}, ${key.name}, ${key.filter}, ${to}, ${now})
        ON CONFLICT (project, name, filter) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
        WHERE cursors.position < excluded.position`
  )

/** Sets the checkpoint to `to`, backwards included: only for an explicit rewind. */
export const moveTo = (tx: Tx, key: CursorKey, to: number, now: number) =>
  tx.run(
    sql`INSERT INTO cursors (project, name, filter, position, updated_at)
        VALUES (${key.project}, ${key.name}, ${key.filter}, ${to}, ${now})
        ON CONFLICT (project, name, filter) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`
  )

/**
 * Compare-and-set: moves the checkpoint from `from` to `to` only if it is still at `from`; `false`
 * when someone moved it meanwhile (another instance of the consumer, or a rewind), and then nothing
 * is written.
 */
export const advanceFrom = (
  tx: Tx,
  key: CursorKey,
  from: number,
  to: number,
  now: number
): Effect.Effect<boolean, StorageError> =>
  Effect.gen(function*() {
    const current = yield* readPosition(tx, key)
    if (current !== from) return false
    if (to > from) yield* moveForward(tx, key, to, now)
    return true
  })
