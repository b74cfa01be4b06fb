/**
 * Work sessions: an agent starts a session (and gets the handoff notes the previous session left),
 * works, and ends it with handoff notes for whoever comes next. Sessions are events like the rest;
 * they stay in this database (they are not part of the git export).
 */
import { Context, Effect, Layer, Option, Random, Schema } from "effect"
import { decoderFor, EventStore, Project, sql, statement, Storage, Text } from "@waggle/primitives"
import type { InvalidInput, MigrationError, StorageError } from "@waggle/primitives"
import type { Session } from "./Cell.js"
import { Agent, CellRef } from "./Cell.js"
import type { AmbiguousId, CellNotFound } from "./HiveErrors.js"
import { appendTo } from "./internal/context.js"
import { SessionEnded, SessionStarted, sessionStream } from "./internal/events.js"
import { base36Hash, prefixFromRoot } from "./internal/ids.js"
import { HiveModule } from "./internal/module.js"
import { resolveId } from "./internal/resolve.js"
import type { Query } from "./internal/rows.js"

const StartInput = Schema.Struct({ agent: Agent, cell: Schema.optional(CellRef) })
const EndInput = Schema.Struct({ agent: Agent, handoff: Schema.optional(Text.pipe(Schema.maxLength(100_000))) })
const HistoryInput = Schema.Struct({
  agent: Schema.optional(Agent),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})

export interface SessionStart {
  readonly session: Session
  /** The agent's previous (ended) session, whose handoff notes this one starts from. */
  readonly previous: Option.Option<Session>
  /** Shortcut to `previous.handoff`. */
  readonly handoff: string | null
}

export interface HiveSessionsService {
  /** Starts a session for the agent (or returns the one already running), optionally on a cell. */
  readonly start: (
    agent: string,
    options?: { readonly cell?: string }
  ) => Effect.Effect<SessionStart, InvalidInput | CellNotFound | AmbiguousId | StorageError>
  /** Ends the agent's running session with handoff notes; none running: `Option.none()`. */
  readonly end: (
    agent: string,
    options?: { readonly handoff?: string }
  ) => Effect.Effect<Option.Option<Session>, InvalidInput | StorageError>
  readonly current: (agent: string) => Effect.Effect<Option.Option<Session>, InvalidInput | StorageError>
  /** Most recent first; every agent's unless one is given. */
  readonly history: (
    options?: { readonly agent?: string; readonly limit?: number }
  ) => Effect.Effect<ReadonlyArray<Session>, InvalidInput | StorageError>
}

interface SessionRow {
  readonly id: string
  readonly agent: string
  readonly cell: string | null
  readonly started_at: number
  readonly ended_at: number | null
  readonly handoff: string | null
}

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  agent: r.agent,
  cell: r.cell,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  handoff: r.handoff
})

const COLUMNS = "id, agent, cell, started_at, ended_at, handoff"

const running = (query: Query, project: string, agent: string) =>
  Effect.map(
    query<SessionRow>(sql`SELECT id, agent, cell, started_at, ended_at, handoff FROM hive_sessions
      WHERE project = ${project} AND agent = ${agent} AND ended_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1`),
    (rows) => Option.map(Option.fromNullable(rows[0]), toSession)
  )

const lastEnded = (query: Query, project: string, agent: string) =>
  Effect.map(
    query<SessionRow>(sql`SELECT id, agent, cell, started_at, ended_at, handoff FROM hive_sessions
      WHERE project = ${project} AND agent = ${agent} AND ended_at IS NOT NULL ORDER BY ended_at DESC, id DESC LIMIT 1`),
    (rows) => Option.map(Option.fromNullable(rows[0]), toSession)
  )

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  const { root } = yield* Project
  yield* store.install(HiveModule)
  const project = store.project
  const prefix = prefixFromRoot(root)
  const decodeStart = decoderFor(StartInput, "HiveSessions.start")
  const decodeEnd = decoderFor(EndInput, "HiveSessions.end")
  const decodeAgent = decoderFor(Agent, "HiveSessions.current")
  const decodeHistory = decoderFor(HistoryInput, "HiveSessions.history")

  const service: HiveSessionsService = {
    start: (agent, options = {}) =>
      Effect.flatMap(decodeStart({ agent, ...options }), (input) =>
        store.transact((tx) =>
          Effect.gen(function*() {
            const previous = yield* lastEnded(tx.query, project, input.agent)
            const handoff = Option.getOrNull(Option.flatMap(previous, (p) => Option.fromNullable(p.handoff)))
            const active = yield* running(tx.query, project, input.agent)
            if (Option.isSome(active)) return { session: active.value, previous, handoff }
            const cell = input.cell === undefined ? null : yield* resolveId(tx.query, project, prefix, input.cell)
            const random = yield* Random.nextIntBetween(0, 2 ** 31)
            const id = `s-${base36Hash(`${input.agent}:${random}:${tx.now}`, 10)}`
            yield* appendTo(tx, sessionStream(input.agent), SessionStarted.make({ id, agent: input.agent, cell, at: tx.now }))
            const session: Session = { id, agent: input.agent, cell, startedAt: tx.now, endedAt: null, handoff: null }
            return { session, previous, handoff }
          })
        )),
    end: (agent, options = {}) =>
      Effect.flatMap(decodeEnd({ agent, ...options }), (input) =>
        store.transact((tx) =>
          Effect.gen(function*() {
            const active = yield* running(tx.query, project, input.agent)
            if (Option.isNone(active)) return Option.none()
            const handoff = input.handoff ?? null
            yield* appendTo(tx, sessionStream(input.agent), SessionEnded.make({ id: active.value.id, agent: input.agent, handoff, at: tx.now }))
            return Option.some({ ...active.value, endedAt: tx.now, handoff })
          })
        )),
    current: (agent) => Effect.flatMap(decodeAgent(agent), (a) => running(storage.query, project, a)),
    history: (options = {}) =>
      Effect.gen(function*() {
        const o = yield* decodeHistory(options)
        const limit = o.limit ?? 50
        const rows = yield* storage.query<SessionRow>(
          o.agent === undefined
            ? statement(`SELECT ${COLUMNS} FROM hive_sessions WHERE project = ? ORDER BY started_at DESC, id DESC LIMIT ?`, [
              project,
              limit
            ])
            : statement(
              `SELECT ${COLUMNS} FROM hive_sessions WHERE project = ? AND agent = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
              [project, o.agent, limit]
            )
        )
        return rows.map(toSession)
      })
  }
  return service
})

export class HiveSessions extends Context.Tag("@waggle/hive/HiveSessions")<HiveSessions, HiveSessionsService>() {
  static readonly layer: Layer.Layer<HiveSessions, MigrationError | StorageError, EventStore | Storage | Project> = Layer
    .effect(HiveSessions, make)
}
