/**
 * How both drivers report failures: errors name the URL with its credentials redacted, carry the
 * thrown message with the URL's secrets and the auth token redacted, and SQLite's code if any.
 */
import { DatabaseOpenError, StorageError } from "../Errors.js"
import type { ResolvedStorageOptions } from "../StorageConfig.js"
import { redactUrl, secretRedactor } from "../StorageConfig.js"

/** The thrown error's own `code` (SQLite's, e.g. `SQLITE_BUSY`), when it is a string. */
export const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === "string" ? code : undefined
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export interface DriverErrors {
  /** The URL with credentials redacted. */
  readonly url: string
  readonly openError: (error: unknown) => DatabaseOpenError
  /** A failed statement or transaction step; the code comes from the driver's `codeOf`. */
  readonly fail: (operation: string, error: unknown) => StorageError
  /** A transaction abandoned because one of its statements met a busy database. */
  readonly busyError: () => StorageError
}

export const driverErrors = (
  options: ResolvedStorageOptions,
  codeOfError: (error: unknown) => string | undefined
): DriverErrors => {
  const url = redactUrl(options.url)
  const redact = secretRedactor(options.url, options.authToken)
  const reasonOf = (error: unknown): string => redact(describe(error))
  return {
    url,
    openError: (error) => new DatabaseOpenError({ url, reason: reasonOf(error) }),
    fail: (operation, error) => new StorageError({ url, operation, code: codeOfError(error) ?? "UNKNOWN", reason: reasonOf(error) }),
    busyError: () => new StorageError({ url, operation: "transaction", code: "SQLITE_BUSY", reason: "database is locked" })
  }
}
