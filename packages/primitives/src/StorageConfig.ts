/**
 * Where the database lives and how it is opened. One URL selects the driver:
 * `file:` opens the embedded database through the native libSQL binding; `libsql:`, `http(s):` and
 * `ws(s):` reach a libSQL server or Turso through `@libsql/client` (with an auth token).
 */
import { Config, Effect, Option, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { InvalidInput } from "./Errors.js"
import { decoderFor } from "./internal/decode.js"

/**
 * - `normal` (default): WAL with `synchronous=NORMAL`. A commit is atomic and survives a process
 *   crash; a power loss may roll back the last few commits, never corrupt the file.
 * - `full`: `synchronous=FULL`, every commit is on disk before it returns (slower: one fsync each).
 */
export const Durability = Schema.Literal("normal", "full")
export type Durability = typeof Durability.Type

export const StorageOptions = Schema.Struct({
  url: Schema.String.pipe(Schema.pattern(/^(file|libsql|https?|wss?):/, {
    message: () => "a database URL starting with file:, libsql:, http(s): or ws(s):"
  })),
  authToken: Schema.optional(Schema.String),
  durability: Schema.optional(Durability),
  /** How long a writer waits for another process's write transaction before failing (ms). */
  busyTimeoutMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 600_000))),
  /** `native` for `file:` (default), `client` to go through `@libsql/client` (any URL). */
  driver: Schema.optional(Schema.Literal("native", "client")),
  /** How often other processes' commits are looked for while someone follows changes (ms). */
  pollIntervalMs: Schema.optional(Schema.Int.pipe(Schema.between(1, 60_000)))
})
export type StorageOptions = typeof StorageOptions.Encoded

export interface ResolvedStorageOptions {
  readonly url: string
  readonly authToken: string | undefined
  readonly durability: Durability
  readonly busyTimeoutMs: number
  readonly driver: "native" | "client"
  readonly pollIntervalMs: number
}

const decodeOptions = decoderFor(StorageOptions, "Storage.open")

export const resolveStorageOptions = (
  input: StorageOptions
): Effect.Effect<ResolvedStorageOptions, InvalidInput> =>
  Effect.map(decodeOptions(input), (o) => {
    const isFile = o.url.startsWith("file:")
    return {
      url: o.url,
      authToken: o.authToken,
      durability: o.durability ?? "normal",
      busyTimeoutMs: o.busyTimeoutMs ?? 10_000,
      driver: o.driver ?? (isFile ? "native" : "client"),
      pollIntervalMs: o.pollIntervalMs ?? (isFile ? 10 : 250)
    }
  })

/**
 * The default database of a project: `.waggle/waggle.db` under the project root, shared by all
 * worktrees. Creates `.waggle/` with a `.gitignore` of `*`, so the database never reaches git.
 */
export const defaultDatabaseUrl = (projectRoot: string): string => {
  const dir = path.join(projectRoot, ".waggle")
  fs.mkdirSync(dir, { recursive: true })
  const ignore = path.join(dir, ".gitignore")
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, "# Waggle's local database; never commit it.\n*\n")
  return `file:${path.join(dir, "waggle.db")}`
}

/**
 * Options from the environment: `WAGGLE_DB_URL` (else the project's default file),
 * `WAGGLE_DB_AUTH_TOKEN` (or `TURSO_AUTH_TOKEN`), `WAGGLE_DURABILITY` (`normal` | `full`),
 * `WAGGLE_DB_DRIVER` (`native` | `client`).
 */
export const storageOptionsFromEnv = (projectRoot: string) =>
  Effect.gen(function*() {
    // an empty variable counts as unset (`WAGGLE_DB_URL= cmd` must not mean "no URL")
    const opt = (name: string) =>
      Effect.map(Config.option(Config.string(name)), (o) => Option.getOrUndefined(Option.filter(o, (v) => v.trim() !== "")))
    const url = yield* opt("WAGGLE_DB_URL")
    const authToken = (yield* opt("WAGGLE_DB_AUTH_TOKEN")) ?? (yield* opt("TURSO_AUTH_TOKEN"))
    const durability = yield* opt("WAGGLE_DURABILITY")
    const driver = yield* opt("WAGGLE_DB_DRIVER")
    const options: Record<string, unknown> = { url: url ?? defaultDatabaseUrl(projectRoot) }
    if (authToken !== undefined) options["authToken"] = authToken
    if (durability !== undefined) options["durability"] = durability
    if (driver !== undefined) options["driver"] = driver
    return options as StorageOptions
  }).pipe(Effect.orDie)

/** The URL with any credentials or token query removed, safe to print in errors and logs. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, "//***@").replace(/([?&]authToken=)[^&]*/i, "$1***")

/**
 * A redactor for messages that may echo the URL or the token (drivers' errors do): removes the
 * URL's credentials and the auth token wherever they appear.
 */
export const secretRedactor = (url: string, authToken: string | undefined) => {
  const secrets = [authToken, /\/\/([^@/]*)@/.exec(url)?.[1], /[?&]authToken=([^&]*)/i.exec(url)?.[1]]
    .filter((s): s is string => s !== undefined && s.length > 0)
  return (text: string): string => secrets.reduce((t, secret) => t.split(secret).join("***"), redactUrl(text))
}
