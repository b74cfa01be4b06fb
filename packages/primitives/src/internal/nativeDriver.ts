/**
 * The embedded driver: the native libSQL binding (`libsql`, the engine under `@libsql/client`) used
 * directly. Statements are synchronous and prepared once per connection, which is about twice the
 * client's rate for the same work. One connection writes (transactions only), another reads, so a
 * read never sees another fiber's uncommitted transaction.
 */
import { Duration, Effect, Schedule } from "effect"
import { createRequire } from "node:module"
import * as path from "node:path"
import type { DatabaseOpenError, StorageError } from "../Errors.js"
import type { Row, RunResult, SqlValue, Statement } from "../Sql.js"
import type { ResolvedStorageOptions } from "../StorageConfig.js"
import type { SyncExecutor } from "../SqlProgram.js"
import type { Connection, Driver, TransactionConnection, TransactionOutcome } from "./Driver.js"
import { isBusyCode } from "./Driver.js"
import { codeOf, driverErrors } from "./driverErrors.js"

interface NativeStatement {
  run(...args: ReadonlyArray<unknown>): { changes: number; lastInsertRowid: number | bigint }
  all(...args: ReadonlyArray<unknown>): Array<unknown>
  get(...args: ReadonlyArray<unknown>): unknown
  raw(toggle?: boolean): NativeStatement
  columns(): Array<{ name: string }>
  readonly reader: boolean
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement
  exec(sql: string): void
  close(): void
  readonly inTransaction: boolean
}
type NativeDatabaseConstructor = new(path: string, options: { timeout: number }) => NativeDatabase

const Database = createRequire(import.meta.url)("libsql") as NativeDatabaseConstructor

/**
 * How long SQLite itself blocks (the event loop) waiting for another writer before reporting BUSY.
 * Short on purpose: longer waits happen asynchronously, between fresh connections.
 */
const BLOCKING_BUSY_MS = 20

export const pathOfFileUrl = (url: string): string => {
  const withoutQuery = url.replace(/^file:/, "").replace(/\?.*$/, "")
  if (withoutQuery === ":memory:") return ":memory:"
  if (withoutQuery.startsWith("//")) {
    const rest = withoutQuery.slice(2)
    const slash = rest.indexOf("/")
    return decodeURIComponent(slash < 0 ? "/" : rest.slice(slash))
  }
  return decodeURIComponent(withoutQuery)
}

/**
 * Arguments always go to the binding as ONE array: given a single object argument (a `Uint8Array`,
 * even `null`), the binding would take it for named parameters.
 *
 * Booleans crash the native binding and `undefined` is not SQL: both are bugs. Text with a NUL
 * character would be cut short at the NUL by the binding; it is refused instead of truncated.
 */
export const checkBindable = (args: ReadonlyArray<SqlValue>): ReadonlyArray<SqlValue> => {
  for (const a of args) {
    if (typeof a === "string") {
      if (a.includes("\u0000")) {
        throw Object.assign(new Error("text containing a NUL character cannot be stored without truncation"), {
          code: "NUL_IN_TEXT"
        })
      }
    } else if (a === undefined || typeof a === "boolean") {
      throw new TypeError(`cannot bind ${String(a)} as an SQL value`)
    }
  }
  return args
}
const bindable = checkBindable

const toValue = (v: unknown): SqlValue =>
  v instanceof ArrayBuffer
    ? new Uint8Array(v)
    : Buffer.isBuffer(v)
    ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    : (v as SqlValue)

/** A statement prepared once per connection; readers run in raw mode and rows are built from the column names. */
interface Prepared {
  readonly stmt: NativeStatement
  readonly columns: ReadonlyArray<string> | undefined
}

const rowOf = (columns: ReadonlyArray<string>, values: Array<unknown>): Row => {
  const row: Record<string, SqlValue> = {}
  for (let c = 0; c < columns.length; c++) row[columns[c]!] = toValue(values[c])
  return row
}

const rowsOf = (p: Prepared, raw: Array<Array<unknown>>): ReadonlyArray<Row> => {
  const columns = p.columns!
  const rows: Array<Row> = new Array(raw.length)
  for (let r = 0; r < raw.length; r++) rows[r] = rowOf(columns, raw[r]!)
  return rows
}

interface Handle {
  db: NativeDatabase
  readonly statements: Map<string, Prepared>
}

export const makeNativeDriver = (
  options: ResolvedStorageOptions
): Effect.Effect<Driver, DatabaseOpenError> =>
  Effect.gen(function*() {
    const { busyError, fail, openError, url } = driverErrors(options, codeOf)
    const file = pathOfFileUrl(options.url)
    const memory = file === ":memory:"
    const synchronous = options.durability === "full" ? "FULL" : "NORMAL"

    const open = (): NativeDatabase => {
      const db = new Database(file, { timeout: BLOCKING_BUSY_MS })
      try {
        db.exec(`PRAGMA synchronous=${synchronous}`)
      } catch (error) {
        db.close()
        throw error
      }
      return db
    }

    // Open and check the file once, turning every way it can fail into a typed error naming the URL.
    const first = yield* Effect.try({
      try: () => {
        const db = open()
        try {
          if (!memory) {
            const rows = db.prepare("PRAGMA journal_mode=WAL").all()
            const mode = String(Object.values(rows[0] ?? {})[0] ?? "")
            if (mode.toLowerCase() !== "wal") throw new Error(`could not switch to WAL (journal_mode is ${mode})`)
          }
          db.prepare("SELECT count(*) FROM sqlite_schema").all()
        } catch (error) {
          db.close()
          throw error
        }
        return db
      },
      catch: openError
    }).pipe(
      // Two processes switching a fresh file to WAL at once: one of them briefly sees BUSY.
      Effect.retry({
        while: (e) => /locked|busy/i.test(e.reason),
        schedule: Schedule.spaced(Duration.millis(25)).pipe(Schedule.upTo(Duration.millis(options.busyTimeoutMs)))
      })
    )

    const writer: Handle = { db: first, statements: new Map() }
    const reader: Handle = memory ? writer : { db: open(), statements: new Map() }

    const reset = (handle: Handle) => {
      try {
        handle.db.close()
      } catch {
        // the connection is being discarded; nothing more to do with it
      }
      handle.statements.clear()
      handle.db = open()
    }

    const prepare = (handle: Handle, text: string): Prepared => {
      let p = handle.statements.get(text)
      if (p === undefined) {
        const stmt = handle.db.prepare(text)
        p = stmt.reader ? { stmt: stmt.raw(true), columns: stmt.columns().map((c) => c.name) } : { stmt, columns: undefined }
        handle.statements.set(text, p)
      }
      return p
    }
    const prepared = (handle: Handle, text: string): NativeStatement => prepare(handle, text).stmt

    /** Synchronous statements on one connection; failures are thrown as `StorageError`s. */
    const syncOf = (handle: Handle, onBusy: () => void): SyncExecutor & { readonly script: (text: string) => void } => {
      const guard = <A>(operation: string, f: () => A): A => {
        try {
          return f()
        } catch (error) {
          if (isBusyCode(codeOf(error))) onBusy()
          throw fail(operation, error)
        }
      }
      return {
        query: (s: Statement) =>
          guard("query", () => {
            const p = prepare(handle, s.sql)
            if (p.columns === undefined) {
              p.stmt.run(bindable(s.args))
              return []
            }
            return rowsOf(p, p.stmt.all(bindable(s.args)) as unknown as Array<Array<unknown>>)
          }),
        queryOne: (s: Statement) =>
          guard("query", () => {
            const p = prepare(handle, s.sql)
            if (p.columns === undefined) {
              p.stmt.run(bindable(s.args))
              return undefined
            }
            const values = p.stmt.get(bindable(s.args)) as Array<unknown> | undefined
            return values === undefined ? undefined : rowOf(p.columns, values)
          }),
        run: (s: Statement) =>
          guard("run", (): RunResult => {
            const r = prepared(handle, s.sql).run(bindable(s.args))
            return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) }
          }),
        runBatch: (statements: ReadonlyArray<Statement>) =>
          guard("run", () => {
            for (const st of statements) prepared(handle, st.sql).run(bindable(st.args))
          }),
        script: (text: string) => guard("script", () => handle.db.exec(text))
      }
    }

    /** The same statements as Effects. */
    const connectionOf = (handle: Handle, onBusy: () => void): Connection => {
      const sync = syncOf(handle, onBusy)
      const lift = <I, A>(f: (i: I) => A) => (i: I): Effect.Effect<A, StorageError> =>
        Effect.try({ try: () => f(i), catch: (error) => error as StorageError })
      return {
        query: lift(sync.query),
        queryOne: lift(sync.queryOne),
        run: lift(sync.run),
        runBatch: lift(sync.runBatch),
        script: lift(sync.script)
      }
    }

    // Reads: on BUSY (rare in WAL: recovery, checkpoints) replace the reader and try again.
    let readerBusy = false
    const rawRead = connectionOf(reader, () => (readerBusy = true))
    const resetReaderIfBusy = Effect.sync(() => {
      if (readerBusy && !memory) reset(reader)
      readerBusy = false
    })
    // The retry machinery is built only when a read actually met a busy database.
    const retryBusyRead = <A>(effect: Effect.Effect<A, StorageError>) =>
      Effect.catchIf(effect, (e) => isBusyCode(e.code), () =>
        Effect.retry(Effect.zipRight(resetReaderIfBusy, effect), {
          while: (e) => isBusyCode(e.code),
          schedule: busySchedule(options.busyTimeoutMs)
        }))
    const read: Connection = {
      query: (s) => retryBusyRead(rawRead.query(s)),
      queryOne: (s) => retryBusyRead(rawRead.queryOne(s)),
      run: (s) => retryBusyRead(rawRead.run(s)),
      runBatch: (statements) => retryBusyRead(rawRead.runBatch(statements)),
      script: (t) => retryBusyRead(rawRead.script(t))
    }

    const BEGIN = { sql: "BEGIN IMMEDIATE", args: [] }
    const COMMIT = { sql: "COMMIT", args: [] }
    let busy = false
    const writeConnection = connectionOf(writer, () => (busy = true))
    const tx: TransactionConnection = { ...writeConnection, busy: () => busy, sync: syncOf(writer, () => (busy = true)) }
    const rollback = () => {
      try {
        if (writer.db.inTransaction) writer.db.exec("ROLLBACK")
      } catch {
        // a failed rollback leaves nothing to undo
      }
    }
    const abort = (): void => {
      rollback()
      if (busy && !memory) reset(writer)
    }
    const runSync = (s: Statement): StorageError | undefined => {
      try {
        prepared(writer, s.sql).run()
        return undefined
      } catch (error) {
        if (isBusyCode(codeOf(error))) busy = true
        return fail(s.sql, error)
      }
    }

    /** One attempt: BEGIN IMMEDIATE, the body, then COMMIT (or ROLLBACK), with no retry. */
    const attempt = <A>(
      body: (tx: TransactionConnection) => Effect.Effect<TransactionOutcome<A>, StorageError>
    ): Effect.Effect<A, StorageError> =>
      Effect.suspend(() => {
        busy = false
        const began = runSync(BEGIN)
        if (began !== undefined) {
          abort()
          return Effect.fail(began)
        }
        return Effect.matchCauseEffect(body(tx), {
          onFailure: (cause) => {
            abort()
            return Effect.failCause(cause)
          },
          onSuccess: (outcome) => {
            if (busy) {
              abort()
              return Effect.fail(busyError())
            }
            if (!outcome.commit) {
              rollback()
              return Effect.succeed(outcome.value)
            }
            const committed = runSync(COMMIT)
            if (committed !== undefined) {
              abort()
              return Effect.fail(committed)
            }
            return Effect.succeed(outcome.value)
          }
        })
      })

    const transaction = <A>(
      body: (tx: TransactionConnection) => Effect.Effect<TransactionOutcome<A>, StorageError>
    ): Effect.Effect<A, StorageError> =>
      attempt(body).pipe(
        // The retry machinery is built only when a first attempt actually met a busy database.
        Effect.catchIf(
          (e) => isBusyCode(e.code),
          () => Effect.retry(attempt(body), { while: (e) => isBusyCode(e.code), schedule: busySchedule(options.busyTimeoutMs) })
        )
      )

    const dataVersionStmt = "PRAGMA data_version"
    const driver: Driver = {
      name: "native",
      url,
      ...(memory ? {} : { file: path.resolve(file) }),
      read,
      transaction,
      dataVersion: Effect.map(read.query({ sql: dataVersionStmt, args: [] }), (rows) =>
        Number(Object.values(rows[0] ?? {})[0] ?? 0)),
      close: Effect.sync(() => {
        for (const h of memory ? [writer] : [writer, reader]) {
          try {
            h.db.close()
          } catch {
            // already closed
          }
        }
      })
    }
    return driver
  })

/** Backoff with jitter between attempts on a busy database, giving up after `timeoutMs` in total. */
export const busySchedule = (timeoutMs: number) =>
  Schedule.exponential(Duration.millis(2), 1.5).pipe(
    Schedule.either(Schedule.spaced(Duration.millis(100))),
    Schedule.jittered,
    Schedule.upTo(Duration.millis(timeoutMs))
  )
