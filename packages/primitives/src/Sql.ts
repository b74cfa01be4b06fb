/**
 * Statements: SQL text plus positional arguments, built with the `sql` tag so that values are
 * always bound, never spliced into the text.
 */

/** A value SQLite can bind or return. Booleans and `undefined` are not values: convert them first. */
export type SqlValue = string | number | bigint | null | Uint8Array

/** One result row, by column name. */
export type Row = { readonly [column: string]: SqlValue }

export interface Statement {
  readonly sql: string
  readonly args: ReadonlyArray<SqlValue>
}

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  readonly changes: number
  readonly lastInsertRowid: number
}

const textCache = new WeakMap<TemplateStringsArray, string>()

/**
 * Builds a statement from a template: every interpolation becomes a bound `?` argument.
 *
 * ```ts
 * sql`SELECT * FROM events WHERE project = ${project} AND stream = ${stream}`
 * ```
 */
export const sql = (strings: TemplateStringsArray, ...values: ReadonlyArray<SqlValue>): Statement => {
  let text = textCache.get(strings)
  if (text === undefined) {
    text = strings.join("?")
    textCache.set(strings, text)
  }
  return { sql: text, args: values }
}

/** A statement from SQL text and arguments, for SQL assembled at run time from trusted parts. */
export const statement = (text: string, args: ReadonlyArray<SqlValue> = []): Statement => ({ sql: text, args })

/** `n` comma-separated placeholders, for `IN (...)` lists assembled with `statement`. */
export const placeholders = (n: number): string => (n <= 0 ? "" : "?" + ",?".repeat(n - 1))
