/**
 * The storage port: what the rest of the package needs from a database connection, implemented by
 * the native embedded driver and by the `@libsql/client` driver.
 */
import type { Effect } from "effect"
import type { StorageError } from "../Errors.js"
import type { Row, RunResult, Statement } from "../Sql.js"
import type { SyncExecutor } from "../SqlProgram.js"

export interface Connection {
  readonly query: (statement: Statement) => Effect.Effect<ReadonlyArray<Row>, StorageError>
  /** The first row only (the rest are not read). */
  readonly queryOne: (statement: Statement) => Effect.Effect<Row | undefined, StorageError>
  readonly run: (statement: Statement) => Effect.Effect<RunResult, StorageError>
  /** Runs statements in order, in one call (one round trip on a server); stops at the first failure. */
  readonly runBatch: (statements: ReadonlyArray<Statement>) => Effect.Effect<void, StorageError>
  /** Runs a script of several `;`-separated statements (migrations). */
  readonly script: (text: string) => Effect.Effect<void, StorageError>
}

/** A connection inside a write transaction; `busy` turns true once any statement hit SQLITE_BUSY. */
export interface TransactionConnection extends Connection {
  readonly busy: () => boolean
  /** Synchronous statements, on drivers that have them (the embedded one): programs run here. */
  readonly sync?: SyncExecutor
}

export interface TransactionOutcome<A> {
  readonly value: A
  /** `false` rolls the whole transaction back instead of committing it. */
  readonly commit: boolean
}

export interface Driver {
  readonly name: "native" | "client"
  /** The URL with credentials redacted. */
  readonly url: string
  /** Autocommit reads; each sees every transaction committed before it started. */
  readonly read: Connection
  /**
   * Runs `body` inside one write transaction (`BEGIN IMMEDIATE` ... `COMMIT`). If SQLITE_BUSY is hit
   * anywhere, the transaction is rolled back, the connection is discarded and replaced (a libSQL
   * connection that saw SQLITE_BUSY may silently drop later writes), and `body` runs again, until
   * the busy timeout is spent. `body` must therefore have no effects outside the transaction.
   */
  readonly transaction: <A>(
    body: (tx: TransactionConnection) => Effect.Effect<TransactionOutcome<A>, StorageError>
  ) => Effect.Effect<A, StorageError>
  /**
   * A number that changes whenever any connection (in any process) commits to the database, or
   * `undefined` when the driver has no cheap way to tell (then watchers poll their own queries).
   */
  readonly dataVersion: Effect.Effect<number | undefined, StorageError>
  /** The embedded database file, whose changes can be watched; absent for servers and memory. */
  readonly file?: string
  readonly close: Effect.Effect<void>
}

export const isBusyCode = (code: string | undefined): boolean =>
  code !== undefined && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED")
