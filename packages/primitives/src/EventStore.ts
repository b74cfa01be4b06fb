/**
 * The append-only event log: streams with optimistic concurrency, a global order, projections
 * applied in the same transaction as each append, and a live feed of new events.
 */
import { Chunk, Clock, Context, Duration, Effect, Either, Layer, Option, Queue, Schema, Stream } from "effect"
import type { EventInput, EventMetadata, RecordedEvent } from "./Event.js"
import { isMadeByDefinition } from "./Event.js"
import type { EventModule } from "./EventModule.js"
import type { MigrationError, StorageError } from "./Errors.js"
import { ExpectedVersion, InvalidInput, UnknownEventType } from "./Errors.js"
import type { StreamVersionConflict } from "./Errors.js"
import { applyMigrations } from "./Migration.js"
import { Project } from "./Project.js"
import { Storage } from "./Storage.js"
import type { Tx } from "./Storage.js"
import { decoderFor, issuesOf, syncDecoderFor } from "./internal/decode.js"
import { BoundedText } from "./Text.js"
import type { AppendResult, CheckedEvent, EventRow } from "./internal/eventLog.js"
import { appendProgram, projectId, readLogStatement, readStreamStatement, streamVersion, toRecorded } from "./internal/eventLog.js"
import * as SqlProgram from "./SqlProgram.js"
import { EventRegistry } from "./internal/eventRegistry.js"
import { migration as eventLogMigration } from "./internal/migrations/0001_event_log.js"
import { rebuild } from "./internal/rebuild.js"
import type { RebuildReport } from "./internal/rebuild.js"

export type { AppendResult } from "./internal/eventLog.js"
export type { RebuildReport } from "./internal/rebuild.js"

export const StreamName = BoundedText(512)
const EventInputSchema = Schema.Struct({
  type: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  data: Schema.Unknown,
  metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
const AppendInput = Schema.Struct({
  stream: StreamName,
  events: Schema.Array(EventInputSchema).pipe(Schema.minItems(1), Schema.maxItems(10_000)),
  expectedVersion: ExpectedVersion
})
const ReadStreamOptions = Schema.Struct({
  fromVersion: Schema.optional(Schema.Int.pipe(Schema.positive())),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000))),
  direction: Schema.optional(Schema.Literal("forward", "backward"))
})
const ReadAllOptions = Schema.Struct({
  /** Events after this global position (exclusive); 0 = from the start. */
  after: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  /** Up to and including this position. */
  to: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  types: Schema.optional(Schema.Array(Schema.String).pipe(Schema.minItems(1), Schema.maxItems(500))),
  stream: Schema.optional(StreamName),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000)))
})
export type ReadStreamOptions = typeof ReadStreamOptions.Encoded
export type ReadAllOptions = typeof ReadAllOptions.Encoded
export type FollowOptions = Omit<ReadAllOptions, "to" | "limit"> & {
  /** How many events one query fetches (default 500). */
  readonly batchSize?: number
}

export interface AppendOptions {
  /** The stream version the caller last saw: a number, `no_stream`, `stream_exists` or `any` (default). */
  readonly expectedVersion?: ExpectedVersion
}

export type AppendError = InvalidInput | UnknownEventType | StreamVersionConflict | StorageError

interface CheckedAppend {
  readonly stream: string
  readonly checked: ReadonlyArray<CheckedEvent>
  readonly expected: ExpectedVersion
}

/** What every kind of append takes: a stream, one or many events, options. */
export type AppendArguments = [stream: string, events: EventInput | ReadonlyArray<EventInput>, options?: AppendOptions]

/** A write transaction of the event store: read projections, decide, append. All or nothing. */
export interface EventTx extends Tx {
  readonly project: string
  /** The clock when this unit started: use it for every timestamp the unit writes. */
  readonly now: number
  readonly append: (...args: AppendArguments) => Effect.Effect<AppendResult, AppendError>
}

/** A write transaction as a program (see `SqlProgram`): the fast path of the primitives. */
export interface ProgramTx {
  readonly project: string
  /** The clock when this unit started. */
  readonly now: number
  readonly append: (
    ...args: AppendArguments
  ) => SqlProgram.SqlProgram<AppendResult, InvalidInput | UnknownEventType | StreamVersionConflict>
}

export interface EventStoreService {
  readonly project: string
  /** Applies a module's migrations and registers its event types and projections (idempotent). */
  readonly install: (module: EventModule) => Effect.Effect<void, MigrationError | StorageError>
  /** Appends one or many events to a stream, atomically, with their projections. */
  readonly append: (...args: AppendArguments) => Effect.Effect<AppendResult, AppendError>
  /**
   * Runs `f` as one write transaction: reads inside see the latest state and nothing else writes
   * until it ends (compare-and-set). It may run more than once (see `Storage.write`): no effects
   * outside `tx`.
   */
  readonly transact: <A, E>(f: (tx: EventTx) => Effect.Effect<A, E>) => Effect.Effect<A, E | StorageError>
  /**
   * The same, with the transaction written as a program of SQL steps: run synchronously on the
   * embedded driver (a few microseconds of overhead instead of an Effect per statement).
   */
  readonly transactProgram: <A, E>(f: (tx: ProgramTx) => SqlProgram.SqlProgram<A, E>) => Effect.Effect<A, E | StorageError>
  readonly readStream: (
    stream: string,
    options?: ReadStreamOptions
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, InvalidInput | StorageError>
  /** The project's log in global order, optionally by type or stream, between positions. */
  readonly readAll: (options?: ReadAllOptions) => Effect.Effect<ReadonlyArray<RecordedEvent>, InvalidInput | StorageError>
  /** The stream's current version (0 when it has no events). */
  readonly streamVersion: (stream: string) => Effect.Effect<number, InvalidInput | StorageError>
  /** The position of the project's latest event (0 when the log is empty). */
  readonly head: Effect.Effect<number, StorageError>
  /** Every matching event after `after`, then new ones as they are appended here or in other processes. */
  readonly follow: (options?: FollowOptions) => Stream.Stream<RecordedEvent, InvalidInput | StorageError>
  /** Empties the projections' tables (this project's rows) and replays the log into them, in one transaction. */
  readonly rebuildProjections: (
    names?: ReadonlyArray<string>
  ) => Effect.Effect<RebuildReport, InvalidInput | StorageError>
}

export const PrimitivesCore: EventModule = {
  name: "primitives",
  migrations: [eventLogMigration],
  events: [],
  projections: []
}

const toJson = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

const make = Effect.gen(function*() {
  const storage = yield* Storage
  const { key: project } = yield* Project
  yield* applyMigrations(PrimitivesCore.name, PrimitivesCore.migrations)
  const log = { key: project, id: yield* storage.write((tx) => projectId(tx, project)) }
  const recorded = toRecorded(project)
  const remote = storage.driver === "client"
  const registry = new EventRegistry()
  const decodeAppend = syncDecoderFor(AppendInput, "EventStore.append")
  const decodeReadStream = decoderFor(ReadStreamOptions, "EventStore.readStream")
  const decodeReadAll = decoderFor(ReadAllOptions, "EventStore.readAll")
  const decodeStream = decoderFor(StreamName, "EventStore.streamVersion")

  /**
   * The append's envelope: events made by definitions (`Def.make`) with a plain stream name and
   * expected version need no decoding; anything else goes through the schema, which names every
   * bad field.
   */
  const envelope = (stream: string, input: EventInput | ReadonlyArray<EventInput>, options: AppendOptions | undefined) => {
    const events = (Array.isArray(input) ? input : [input]) as ReadonlyArray<EventInput>
    const expectedVersion = options?.expectedVersion ?? "any"
    const wellFormed = typeof stream === "string" && stream.length > 0 && stream.length <= 512 &&
      !stream.includes("\u0000") && events.length > 0 && events.length <= 10_000 &&
      events.every(isMadeByDefinition) &&
      (expectedVersion === "any" || expectedVersion === "no_stream" || expectedVersion === "stream_exists" ||
        (Number.isInteger(expectedVersion) && expectedVersion >= 0))
    return wellFormed
      ? Either.right({ stream, events, expectedVersion })
      : decodeAppend({ stream, events, expectedVersion })
  }

  /** Validates an append before any transaction starts: known types, payloads that match their schemas. */
  const checkSync = (
    stream: string,
    input: EventInput | ReadonlyArray<EventInput>,
    options: AppendOptions | undefined
  ): Either.Either<CheckedAppend, InvalidInput | UnknownEventType> => {
    const decoded = envelope(stream, input, options)
    if (Either.isLeft(decoded)) return Either.left(decoded.left)
    const { events } = decoded.right
    const checked: Array<CheckedEvent> = []
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      const registered = registry.types.get(e.type)
      if (registered === undefined) return Either.left(new UnknownEventType({ type: e.type }))
      const encoded = registered.encode(e.data)
      if (Either.isLeft(encoded)) {
        return Either.left(
          new InvalidInput({
            operation: "EventStore.append",
            issues: issuesOf(encoded.left).map((issue) => ({
              path: `events[${i}].data${issue.path === "" ? "" : `.${issue.path}`}`,
              message: issue.message
            }))
          })
        )
      }
      const json = toJson(encoded.right)
      const metadataJson = e.metadata === undefined ? null : toJson(e.metadata)
      if (json === undefined || metadataJson === undefined) {
        return Either.left(
          new InvalidInput({
            operation: "EventStore.append",
            issues: [{ path: `events[${i}]`, message: "data and metadata must be JSON-serialisable" }]
          })
        )
      }
      checked.push({
        registered,
        type: e.type,
        data: e.data,
        encoded: encoded.right,
        json,
        metadata: e.metadata as EventMetadata | undefined,
        metadataJson
      })
    }
    return Either.right({ stream: decoded.right.stream, checked, expected: decoded.right.expectedVersion })
  }
  const check = (stream: string, input: EventInput | ReadonlyArray<EventInput>, options: AppendOptions | undefined) =>
    Effect.suspend(() => checkSync(stream, input, options))

  // One EventTx per transaction connection (units of a batch run one after another; each sets `now`).
  const eventTxs = new WeakMap<Tx, { -readonly [K in keyof EventTx]: EventTx[K] }>()
  const eventTx = (tx: Tx, now: number): EventTx => {
    let etx = eventTxs.get(tx)
    if (etx === undefined) {
      const self: { -readonly [K in keyof EventTx]: EventTx[K] } = {
        ...tx,
        project,
        now,
        append: (stream, events, options) =>
          Effect.flatMap(check(stream, events, options), (c) =>
            SqlProgram.toEffect(appendProgram(log, self.now, c.stream, c.checked, c.expected, remote), tx))
      }
      etx = self
      eventTxs.set(tx, etx)
    }
    etx.now = now
    return etx
  }

  const transact = <A, E>(f: (tx: EventTx) => Effect.Effect<A, E>) =>
    storage.write((tx) => Effect.flatMap(Clock.currentTimeMillis, (now) => f(eventTx(tx, now))))

  const programTx = (now: number): ProgramTx => ({
    project,
    now,
    append: (stream, events, options) => {
      const checked = checkSync(stream, events, options)
      return Either.isLeft(checked)
        ? SqlProgram.fail(checked.left)
        : appendProgram(log, now, checked.right.stream, checked.right.checked, checked.right.expected, remote)
    }
  })
  const transactProgram = <A, E>(f: (tx: ProgramTx) => SqlProgram.SqlProgram<A, E>) =>
    storage.writeProgram((now) => f(programTx(now)))

  const readAll = (options: ReadAllOptions = {}) =>
    Effect.gen(function*() {
      const o = yield* decodeReadAll(options)
      const rows = yield* storage.query<EventRow>(readLogStatement(log.id, {
        after: o.after ?? 0,
        to: o.to,
        types: o.types,
        stream: o.stream,
        limit: o.limit ?? 1000
      }))
      return rows.map(recorded)
    })

  const follow = (options: FollowOptions = {}): Stream.Stream<RecordedEvent, InvalidInput | StorageError> =>
    Stream.unwrapScoped(Effect.gen(function*() {
      const { batchSize = 500, ...filter } = options
      yield* decodeReadAll({ ...filter, limit: batchSize })
      const ticks = yield* storage.subscribe
      let after = filter.after ?? 0
      const next = Effect.gen(function*() {
        const batch = yield* readAll({ ...filter, after, limit: batchSize })
        if (batch.length === 0) {
          // Wait for a change; the timeout bounds latency if a tick was ever lost.
          yield* Effect.timeoutOption(Queue.take(ticks), Duration.seconds(1))
          return Chunk.empty<RecordedEvent>()
        }
        after = batch[batch.length - 1]!.position
        return Chunk.unsafeFromArray(batch as Array<RecordedEvent>)
      })
      return Stream.repeatEffectChunk(next)
    }))

  registry.install(PrimitivesCore)

  const service: EventStoreService = {
    project,
    install: (module) =>
      Effect.gen(function*() {
        yield* applyMigrations(module.name, module.migrations)
        yield* Effect.sync(() => registry.install(module))
      }).pipe(Effect.provideService(Storage, storage)),
    append: (stream, events, options) =>
      Effect.flatMap(check(stream, events, options), (c) =>
        storage.writeProgram((now) => appendProgram(log, now, c.stream, c.checked, c.expected, remote))),
    transact,
    transactProgram,
    readStream: (stream, options = {}) =>
      Effect.gen(function*() {
        const name = yield* decodeStream(stream)
        const o = yield* decodeReadStream(options)
        const backward = o.direction === "backward"
        const from = o.fromVersion ?? (backward ? Number.MAX_SAFE_INTEGER : 1)
        const rows = yield* storage.query<EventRow>(readStreamStatement(log.id, name, from, o.limit ?? 1000, backward))
        return rows.map(recorded)
      }),
    readAll,
    streamVersion: (stream) => Effect.flatMap(decodeStream(stream), (name) => streamVersion(storage, log, name)),
    head: Effect.map(
      storage.queryOne<{ p: number | null }>({ sql: "SELECT position AS p FROM events WHERE +project = ? ORDER BY position DESC LIMIT 1", args: [log.id] }),
      (row) => Option.getOrElse(Option.fromNullable(row?.p), () => 0)
    ),
    follow,
    rebuildProjections: (names) => rebuild(storage, registry, log, names)
  }
  return service
})

export class EventStore extends Context.Tag("@waggle/primitives/EventStore")<EventStore, EventStoreService>() {
  /** The event store on this process's `Storage`, for this `Project`; creates the log on first open. */
  static readonly layer: Layer.Layer<EventStore, MigrationError | StorageError, Storage | Project> = Layer.effect(
    EventStore,
    make
  )
}
