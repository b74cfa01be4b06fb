/** The SQL of the event log: append inside a transaction, and the read queries. */
import { Effect } from "effect"
import type { EventMetadata, RecordedEvent } from "../Event.js"
import type { ExpectedVersion, StorageError } from "../Errors.js"
import { StreamVersionConflict } from "../Errors.js"
import { placeholders, sql, statement } from "../Sql.js"
import * as SqlProgram from "../SqlProgram.js"
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
  readonly stream: string
  readonly version: number
  readonly type: string
  readonly data: string
  readonly metadata: string | null
  readonly created_at: number
}

/** The project a log query runs for: its key, and the small integer the log stores. */
export interface LogProject {
  readonly key: string
  readonly id: number
}

export const toRecorded = (project: string) => (row: EventRow): RecordedEvent => ({
  position: row.position,
  project,
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

/**
 * Inserts the first event of an append with its stream version computed, and the expected version
 * checked, by SQLite in the same statement; no row comes back when the check fails.
 */
const conditionalInsert = (expected: ExpectedVersion): string => {
  const check = expected === "any" ? "" : expected === "stream_exists" ? "WHERE head > 0" : "WHERE head = ?7"
  return `INSERT INTO events (project, stream, version, type, data, metadata, created_at)
    SELECT ?1, ?2, head + 1, ?3, ?4, ?5, ?6
    FROM (SELECT coalesce(max(version), 0) AS head FROM events WHERE project = ?1 AND stream = ?2) ${check}
    RETURNING position, version`
}
const CONDITIONAL_INSERT = {
  any: conditionalInsert("any"),
  stream_exists: conditionalInsert("stream_exists"),
  exact: conditionalInsert(0)
}

const headStatement = (project: LogProject, stream: string) =>
  sql`SELECT version FROM events WHERE project = ${project.id} AND stream = ${stream} ORDER BY version DESC LIMIT 1`

export const streamVersion = (tx: Pick<Tx, "queryOne">, project: LogProject, stream: string) =>
  Effect.map(tx.queryOne<{ version: number }>(headStatement(project, stream)), (row) => row?.version ?? 0)

function* streamVersionProgram(project: LogProject, stream: string): SqlProgram.SqlProgram<number> {
  const row = yield* SqlProgram.queryOne<{ version: number }>(headStatement(project, stream))
  return row?.version ?? 0
}

const insertStatement = (project: LogProject, stream: string, version: number, e: CheckedEvent, now: number) =>
  sql`INSERT INTO events (project, stream, version, type, data, metadata, created_at)
      VALUES (${project.id}, ${stream}, ${version}, ${e.type}, ${e.json}, ${e.metadataJson}, ${now})`

/**
 * Appends checked events to a stream and applies every projection handler, inside the caller's
 * transaction. A version mismatch fails before anything is written.
 */
export function* appendProgram(
  project: LogProject,
  now: number,
  stream: string,
  events: ReadonlyArray<CheckedEvent>,
  expected: ExpectedVersion,
  /** Fold the version check into the insert (for servers, where each statement is a round trip). */
  oneStatement: boolean
): SqlProgram.SqlProgram<AppendResult, StreamVersionConflict> {
  const recorded: Array<RecordedEvent> = []
  let version = 0
  let position = 0
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    if (i > 0) {
      version++
      position = (yield* SqlProgram.run(insertStatement(project, stream, version, e, now))).lastInsertRowid
    } else if (oneStatement) {
      // one round trip: SQLite computes the version and checks the expectation
      const text = expected === "any" || expected === "stream_exists"
        ? CONDITIONAL_INSERT[expected]
        : CONDITIONAL_INSERT.exact
      const args = [project.id, stream, e.type, e.json, e.metadataJson, now]
      if (text === CONDITIONAL_INSERT.exact) args.push(expected === "no_stream" ? 0 : (expected as number))
      const [row] = yield* SqlProgram.query<{ position: number; version: number }>(statement(text, args))
      if (row === undefined) {
        const actual = yield* streamVersionProgram(project, stream)
        return yield* SqlProgram.fail(new StreamVersionConflict({ stream, expected, actual }))
      }
      version = row.version
      position = row.position
    } else {
      // embedded: two cheap native calls beat the conditional INSERT ... SELECT
      const current = yield* streamVersionProgram(project, stream)
      if (!matches(expected, current)) {
        return yield* SqlProgram.fail(new StreamVersionConflict({ stream, expected, actual: current }))
      }
      version = current + 1
      position = (yield* SqlProgram.run(insertStatement(project, stream, version, e, now))).lastInsertRowid
    }
    const base = { position, project: project.key, stream, version, type: e.type, metadata: e.metadata, createdAt: now }
    const handlers = e.registered.handlers
    if (handlers.length === 1) {
      yield* SqlProgram.runBatch(handlers[0]!.handler({ ...base, data: e.data }))
    } else if (handlers.length > 1) {
      const event = { ...base, data: e.data }
      yield* SqlProgram.runBatch(handlers.flatMap(({ handler }) => handler(event)))
    }
    recorded.push({ ...base, data: e.encoded })
  }
  return { stream, version, position, events: recorded }
}

const COLUMNS = "position, stream, version, type, data, metadata, created_at"

export const readStreamStatement = (
  project: number,
  stream: string,
  fromVersion: number,
  limit: number,
  backward: boolean
): Statement =>
  backward
    ? sql`SELECT position, stream, version, type, data, metadata, created_at FROM events
          WHERE project = ${project} AND stream = ${stream} AND version <= ${fromVersion}
          ORDER BY version DESC LIMIT ${limit}`
    : sql`SELECT position, stream, version, type, data, metadata, created_at FROM events
          WHERE project = ${project} AND stream = ${stream} AND version >= ${fromVersion}
          ORDER BY version LIMIT ${limit}`

export interface LogQuery {
  readonly after: number
  readonly to: number | undefined
  readonly types: ReadonlyArray<string> | undefined
  readonly stream: string | undefined
  readonly limit: number
}

export const readLogStatement = (project: number, q: LogQuery): Statement => {
  // `+project` keeps the planner off the stream index: a project's log is read by walking the rowid
  // (position) order; through events_by_stream it would sort the whole log on every read.
  const where = ["position > ?", q.stream === undefined ? "+project = ?" : "project = ?"]
  const args: Array<string | number> = [q.after, project]
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

/** The project's small integer id in the log, created on first use. */
export const projectId = (tx: Tx, key: string): Effect.Effect<number, StorageError> =>
  Effect.gen(function*() {
    yield* tx.run(sql`INSERT INTO projects (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`)
    const row = yield* tx.queryOne<{ id: number }>(sql`SELECT id FROM projects WHERE key = ${key}`)
    return row!.id
  })
