/**
 * The `@libsql/client` driver: a libSQL server or Turso over `libsql:`, `http(s):` or `ws(s):`, and
 * optionally an embedded file (`driver: "client"`). Every write runs in `transaction("write")`
 * (`BEGIN IMMEDIATE`); a client that saw SQLITE_BUSY is closed and replaced before the retry.
 */
import { createClient } from "@libsql/client"
import type { Client, InValue, ResultSet, Transaction } from "@libsql/client"
import { Effect } from "effect"
import type { DatabaseOpenError, StorageError } from "../Errors.js"
import type { Row, SqlValue, Statement } from "../Sql.js"
import type { ResolvedStorageOptions } from "../StorageConfig.js"
import type { Connection, Driver, TransactionConnection, TransactionOutcome } from "./Driver.js"
import { isBusyCode } from "./Driver.js"
import { driverErrors } from "./driverErrors.js"
import { busySchedule, checkBindable } from "./nativeDriver.js"

/** The client's errors carry SQLite's code themselves or on their cause. */
const codeOf = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; rawCode?: unknown; cause?: { code?: unknown } } | null
  const code = e?.code ?? e?.cause?.code
  return typeof code === "string" ? code : undefined
}

const toRows = (rs: ResultSet): ReadonlyArray<Row> => {
  const columns = rs.columns
  return rs.rows.map((r) => {
    const row: Record<string, SqlValue> = {}
    for (let i = 0; i < columns.length; i++) {
      const v = r[i]
      row[columns[i]!] = v instanceof ArrayBuffer ? new Uint8Array(v) : (v as SqlValue)
    }
    return row
  })
}

const toArgs = (args: ReadonlyArray<SqlValue>): Array<InValue> => checkBindable(args) as Array<InValue>

export const makeClientDriver = (
  options: ResolvedStorageOptions
): Effect.Effect<Driver, DatabaseOpenError> =>
  Effect.gen(function*() {
    const { busyError, fail, openError, url } = driverErrors(options, codeOf)
    const isFile = options.url.startsWith("file:")

    const open = (): Effect.Effect<Client, DatabaseOpenError> =>
      Effect.tryPromise({
        try: async () => {
          const client = createClient({
            url: options.url,
            ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
            ...(isFile ? { timeout: options.busyTimeoutMs } : {})
          })
          try {
            // The client pools connections and a PRAGMA reaches only one of them, so `durability`
            // cannot be applied here: its file connections keep libSQL's default (FULL).
            if (isFile) await client.execute("PRAGMA journal_mode=WAL")
            await client.execute("SELECT count(*) FROM sqlite_schema")
          } catch (error) {
            client.close()
            throw error
          }
          return client
        },
        catch: openError
      })

    let client = yield* open()

    /** Discards a client that saw SQLITE_BUSY; the next statement or transaction uses a fresh one. */
    const replaceClient = Effect.gen(function*() {
      client.close()
      client = yield* open()
    }).pipe(Effect.ignore)

    const on = (
      target: () => Client | Transaction,
      onBusy: () => void
    ): Connection => {
      const guard = <A>(operation: string, f: (t: Client | Transaction) => Promise<A>) =>
        Effect.tryPromise({
          try: async () => f(target()),
          catch: (error) => {
            if (isBusyCode(codeOf(error))) onBusy()
            return fail(operation, error)
          }
        })
      return {
        query: (s: Statement) => Effect.map(guard("query", (t) => t.execute({ sql: s.sql, args: toArgs(s.args) })), toRows),
        queryOne: (s: Statement) =>
          Effect.map(guard("query", (t) => t.execute({ sql: s.sql, args: toArgs(s.args) })), (rs) => toRows(rs)[0]),
        run: (s: Statement) =>
          Effect.map(guard("run", (t) => t.execute({ sql: s.sql, args: toArgs(s.args) })), (rs) => ({
            changes: rs.rowsAffected,
            lastInsertRowid: Number(rs.lastInsertRowid ?? 0)
          })),
        runBatch: (statements: ReadonlyArray<Statement>) =>
          statements.length === 0
            ? Effect.void
            : Effect.asVoid(guard("run", (t) =>
              "commit" in t
                ? t.batch(statements.map((st) => ({ sql: st.sql, args: toArgs(st.args) })))
                : t.batch(statements.map((st) => ({ sql: st.sql, args: toArgs(st.args) })), "write"))),
        script: (text: string) => guard("script", (t) => t.executeMultiple(text))
      }
    }

    const rawRead = on(() => client, () => {})
    const retryBusy = <A>(effect: Effect.Effect<A, StorageError>) =>
      Effect.retry(
        Effect.tapError(effect, (e) => (isBusyCode(e.code) ? replaceClient : Effect.void)),
        { while: (e) => isBusyCode(e.code), schedule: busySchedule(options.busyTimeoutMs) }
      )
    const read: Connection = {
      query: (s) => retryBusy(rawRead.query(s)),
      queryOne: (s) => retryBusy(rawRead.queryOne(s)),
      run: (s) => retryBusy(rawRead.run(s)),
      runBatch: (statements) => retryBusy(rawRead.runBatch(statements)),
      script: (t) => retryBusy(rawRead.script(t))
    }

    const attempt = <A>(
      body: (tx: TransactionConnection) => Effect.Effect<TransactionOutcome<A>, StorageError>
    ): Effect.Effect<A, StorageError> =>
      Effect.gen(function*() {
        let busy = false
        const transaction = yield* Effect.tryPromise({
          try: () => client.transaction("write"),
          catch: (error) => {
            if (isBusyCode(codeOf(error))) busy = true
            return fail("begin", error)
          }
        })
        const conn = on(() => transaction, () => (busy = true))
        const tx: TransactionConnection = { ...conn, busy: () => busy }
        return yield* body(tx).pipe(
          Effect.flatMap((outcome) =>
            busy
              ? Effect.fail(busyError())
              : outcome.commit
              ? Effect.as(Effect.tryPromise({ try: () => transaction.commit(), catch: (e) => fail("commit", e) }), outcome.value)
              : Effect.as(Effect.promise(() => transaction.rollback()), outcome.value)
          ),
          Effect.ensuring(Effect.sync(() => transaction.close()))
        )
      }).pipe(
        Effect.tapError((e) => (isBusyCode(e.code) ? replaceClient : Effect.void))
      )

    const driver: Driver = {
      name: "client",
      url,
      read,
      transaction: (body) =>
        Effect.retry(attempt(body), { while: (e) => isBusyCode(e.code), schedule: busySchedule(options.busyTimeoutMs) }),
      dataVersion: Effect.succeed(undefined),
      close: Effect.sync(() => client.close())
    }
    return driver
  })
