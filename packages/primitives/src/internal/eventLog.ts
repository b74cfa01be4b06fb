/** The SQL of the event log: append inside a transaction, and the read queries. */
import { Effect } from "effect"
import type { EventMetadata, RecordedEvent } from "../Event.js"
import type { ExpectedVersion, StorageError } from "../Errors.js"
import { StreamVersionConflict } from "../Errors.js"
import { placeholders, sql, statement } from "../Sql.js"
import type { Statement } from "../Sql.js"
import type { Tx } from "../Storage.js"
import type { RegisteredType } from "./eventRegistry.js"

/** An event checked against its schema, with its payload both typed (for projections) and as JSON. */
export interface CheckedEvent {
  readonly registered: RegisteredType
  readonly type: string
  readonly data: unknown
  readonly json: string
  readonly metadataJson: string | null
  readonly metadata: EventMetadata | undefined
  readonly encoded: unknown
}

export interface AppendResult {
  readonly stream: string
  /** The stream's version after the append (pass it as `expectedVersion` next time). */
  readonly version: number
  /** Global position of the last appended event. */
  readonly position: number
  readonly events: ReadonlyArray<RecordedEvent>
}

interface EventRow {
  readonly position: number
  readonly project: string
  readonly stream: string
  readonly version: number
  readonly type: string
  readonly data: string
  readonly metadata: string | null
  readonly created_at: number
}

export const toRecorded = (row: EventRow): RecordedEvent => ({
  position: row.position,
  project: row.project,
  stream: row.stream,
  version: row.version,
  type: row.type,
  data: JSON.parse(row.data),
  metadata: row.metadata === null ? undefined : JSON.parse(row.metadata),
  createdAt: row.created_at
})

const matches = (expected: ExpectedVersion, actual: number): boolean =>
  expected === "any" ||
  (expected === "no_stream" && actual === 0) ||
  (expected === "stream_exists" && actual > 0) ||
  expected === actual

export const streamVersion = (tx: Pick<Tx, "queryOne">, project: string, stream: string) =>
  Effect.map(
    tx.queryOne<{ version: number }>(
      sql`SELECT version FROM events WHERE project = ${project} AND stream = ${stream} ORDER BY version DESC LIMIT 1`
    ),
    (row) => row?.version ?? 0
  )

/**
 * Appends checked events to a stream and applies every projection handler, inside the caller's
 * transaction. A version mismatch fails before anything is written.
 */
export const appendChecked = (
  tx: Tx,
  project: string,
  now: number,
  stream: string,
  events: ReadonlyArray<CheckedEvent>,
  expected: ExpectedVersion
): Effect.Effect<AppendResult, StreamVersionConflict | StorageError> =>
  Effect.gen(function*() {
    const current = yield* streamVersion(tx, project, stream)
    if (!matches(expected, current)) {
      return yield* new StreamVersionConflict({ stream, expected, actual: current })
    }
    const recorded: Array<RecordedEvent> = []
    let position = 0
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      const version = current + i + 1
      const inserted = yield* tx.run(
        sql`INSERT INTO events (project, stream, version, type, data, metadata, created_at)
            VALUES (${project}, ${stream}, ${version}, ${e.type}, ${e.json}, ${e.metadataJson}, ${now})`
      )
      position = inserted.lastInsertRowid
      const base = { position, project, stream, version, type: e.type, metadata: e.metadata, createdAt: now }
      for (const { handler } of e.registered.handlers) {
        yield* tx.runAll(handler({ ...base, data: e.data }))
      }
      recorded.push({ ...base, data: e.encoded })
    }
    return { stream, version: current + events.length, position, events: recorded }
  })

const COLUMNS = "position, project, stream, version, type, data, metadata, created_at"

export const readStreamStatement = (
  project: string,
  stream: string,
  fromVersion: number,
  limit: number,
  backward: boolean
): Statement =>
  backward
    ? sql`SELECT position, project, stream, version, type, data, metadata, created_at FROM events
          WHERE project = ${project} AND stream = ${stream} AND version <= ${fromVersion}
          ORDER BY version DESC LIMIT ${limit}`
    : sql`SELECT position, project, stream, version, type, data, metadata, created_at FROM events
          WHERE project = ${project} AND stream = ${stream} AND version >= ${fromVersion}
          ORDER BY version LIMIT ${limit}`

export interface LogQuery {
  readonly after: number
  readonly to: number | undefined
  readonly types: ReadonlyArray<string> | undefined
  readonly stream: string | undefined
  readonly limit: number
}

export const readLogStatement = (project: string, q: LogQuery): Statement => {
  const where = ["project = ?", "position > ?"]
  const args: Array<string | number> = [project, q.after]
  if (q.to !== undefined) {
    where.push("position <= ?")
    args.push(q.to)
  }
  if (q.stream !== undefined) {
    where.push("stream = ?")
    args.push(q.stream)
  }
  if (q.types !== undefined) {
    where.push(`type IN (${placeholders(q.types.length)})`)
    args.push(...q.types)
  }
  args.push(q.limit)
  return statement(`SELECT ${COLUMNS} FROM events WHERE ${where.join(" AND ")} ORDER BY position LIMIT ?`, args)
}

export type { EventRow }
