/**
 * The database of this process: one per process, configured by URL. Reads run on their own
 * connection; writes are units of work queued for group commit, each unit atomic.
 */
import { Clock, Context, Effect, Layer } from "effect"
import type { Queue, Scope, Stream } from "effect"
import type { DatabaseOpenError, InvalidInput, StorageError } from "./Errors.js"
import type { Row, RunResult, Statement } from "./Sql.js"
import type { StorageOptions } from "./StorageConfig.js"
import { resolveStorageOptions, storageOptionsFromEnv } from "./StorageConfig.js"
import { Project } from "./Project.js"
import { makeChangeFeed } from "./internal/changeFeed.js"
import { makeClientDriver } from "./internal/clientDriver.js"
import type { Connection, Driver, TransactionConnection } from "./internal/Driver.js"
import * as SqlProgram from "./SqlProgram.js"
import type { SyncExecutor } from "./SqlProgram.js"
import { makeNativeDriver } from "./internal/nativeDriver.js"
import { makeWriteQueue } from "./internal/writeQueue.js"

/** Statements inside a write unit. Everything a unit does commits together or not at all. */
export interface Tx {
  readonly query: <R = Row>(statement: Statement) => Effect.Effect<ReadonlyArray<R>, StorageError>
  readonly queryOne: <R = Row>(statement: Statement) => Effect.Effect<R | undefined, StorageError>
  readonly run: (statement: Statement) => Effect.Effect<RunResult, StorageError>
  /** Runs statements in order as one call (one round trip on a server). */
  readonly runAll: (statements: ReadonlyArray<Statement>) => Effect.Effect<void, StorageError>
  readonly script: (text: string) => Effect.Effect<void, StorageError>
}

export interface StorageService {
  /** The database URL, credentials redacted. */
  readonly url: string
  readonly driver: "native" | "client"
  /** A read on committed data. */
  readonly query: <R = Row>(statement: Statement) => Effect.Effect<ReadonlyArray<R>, StorageError>
  readonly queryOne: <R = Row>(statement: Statement) => Effect.Effect<R | undefined, StorageError>
  /**
   * Runs `unit` atomically in a write transaction (`BEGIN IMMEDIATE`, so a read-then-write inside it
   * is serialised against every other writer, in every process). Concurrent units are committed
   * together; if the unit fails, everything it wrote is undone and its error returned.
   *
   * A unit may run more than once (after SQLITE_BUSY the transaction is retried on a fresh
   * connection), so it must have no effects outside `tx`, and must not call `write` itself.
   */
  readonly write: <A, E>(unit: (tx: Tx) => Effect.Effect<A, E>) => Effect.Effect<A, E | StorageError>
  /**
   * Runs a program (see `SqlProgram`) as one write unit, with `now` from the clock: synchronously
   * on the embedded driver, step by step on a server. Same guarantees as `write`.
   */
  readonly writeProgram: <A, E>(program: (now: number) => SqlProgram.SqlProgram<A, E>) => Effect.Effect<A, E | StorageError>
  /**
   * A queue of ticks, one after any change from now on, here or in another process (ticks
   * coalesce). Subscribe before querying and wait on it when a query finds nothing new.
   */
  readonly subscribe: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
  /** The same ticks as an endless stream. */
  readonly changes: Stream.Stream<void>
}

const txOf = (connection: Connection): Tx => ({
  query: <R>(s: Statement) => connection.query(s) as Effect.Effect<ReadonlyArray<R>, StorageError>,
  queryOne: <R>(s: Statement) => connection.queryOne(s) as Effect.Effect<R | undefined, StorageError>,
  run: connection.run,
  runAll: connection.runBatch,
  script: connection.script
})

const make = (input: StorageOptions) =>
  Effect.gen(function*() {
    const options = yield* resolveStorageOptions(input)
    const driver: Driver = yield* Effect.acquireRelease(
      options.driver === "native" ? makeNativeDriver(options) : makeClientDriver(options),
      (d) => d.close
    )
    const feed = yield* makeChangeFeed(driver.dataVersion, options.pollIntervalMs, driver.file)
    const queue = makeWriteQueue(driver, feed.notify)
    const reads = txOf(driver.read)
    // the driver's transaction connection is long-lived: wrap it once
    const wrapped = new WeakMap<Connection, Tx>()
    const txFor = (connection: Connection): Tx => {
      let tx = wrapped.get(connection)
      if (tx === undefined) {
        tx = txOf(connection)
        wrapped.set(connection, tx)
      }
      return tx
    }
    const service: StorageService = {
      url: driver.url,
      driver: driver.name,
      query: reads.query,
      queryOne: reads.queryOne,
      write: (unit) => queue.submit((tx) => unit(txFor(tx))),
      writeProgram: <A, E>(program: (now: number) => SqlProgram.SqlProgram<A, E>) =>
        queue.submit<A, E | StorageError>(Object.assign(
          (tx: TransactionConnection) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) => SqlProgram.toEffect(program(now), txFor(tx))),
          { sync: (executor: SyncExecutor, now: number) => SqlProgram.runSync(program(now), executor) }
        )),
      subscribe: feed.subscribe,
      changes: feed.changes
    }
    return service
  })

export class Storage extends Context.Tag("@waggle/primitives/Storage")<Storage, StorageService>() {
  /** Opens the database at `options.url`; fails with a typed error naming the URL if it cannot. */
  static readonly layer = (
    options: StorageOptions
  ): Layer.Layer<Storage, DatabaseOpenError | InvalidInput> => Layer.scoped(Storage, make(options))

  /**
   * The project's database: `WAGGLE_DB_URL` if set, else `.waggle/waggle.db` under the project root
   * (see `storageOptionsFromEnv`).
   */
  static readonly layerFromEnv: Layer.Layer<Storage, DatabaseOpenError | InvalidInput, Project> = Layer.scoped(
    Storage,
    Effect.flatMap(Project, (project) => Effect.flatMap(storageOptionsFromEnv(project.root), make))
  )
}
