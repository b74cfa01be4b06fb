/**
 * Numbered schema migrations, per module. Applied on open, in order, each exactly once: the check
 * and the application run in one `BEGIN IMMEDIATE` transaction, so two processes opening a fresh
 * database at the same moment cannot both apply one.
 */
import { Clock, Effect } from "effect"
import { MigrationError } from "./Errors.js"
import type { StorageError } from "./Errors.js"
import { sql } from "./Sql.js"
import { Storage } from "./Storage.js"

export interface Migration {
  /** 1, 2, 3, ... in the order they apply; never renumber a released migration. */
  readonly version: number
  readonly name: string
  /** One or more `;`-separated statements. */
  readonly sql: string
}

const LEDGER = `CREATE TABLE IF NOT EXISTS waggle_migrations (
  module     TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (module, version)
) STRICT`

interface AppliedRow {
  readonly version: number
}

/** Applies the module's migrations that this database has not seen yet; returns their versions. */
export const applyMigrations = (
  module: string,
  migrations: ReadonlyArray<Migration>
): Effect.Effect<ReadonlyArray<number>, MigrationError | StorageError, Storage> =>
  Effect.gen(function*() {
    const storage = yield* Storage
    const ordered = [...migrations].sort((a, b) => a.version - b.version)
    const latest = ordered.at(-1)?.version ?? 0
    // Fast path: already up to date (one read, no write lock).
    const current = yield* storage
      .queryOne<{ v: number | null }>(sql`SELECT max(version) AS v FROM waggle_migrations WHERE module = ${module}`)
      .pipe(Effect.orElseSucceed(() => undefined))
    if (current !== undefined && (current.v ?? 0) >= latest) return []

    return yield* storage.write((tx) =>
      Effect.gen(function*() {
        yield* tx.script(LEDGER)
        const rows = yield* tx.query<AppliedRow>(sql`SELECT version FROM waggle_migrations WHERE module = ${module}`)
        const done = new Set(rows.map((r) => r.version))
        const now = yield* Clock.currentTimeMillis
        const applied: Array<number> = []
        for (const m of ordered) {
          if (done.has(m.version)) continue
          yield* tx.script(m.sql).pipe(
            Effect.mapError((e) => new MigrationError({ module, version: m.version, name: m.name, reason: e.reason }))
          )
          yield* tx.run(
            sql`INSERT INTO waggle_migrations (module, version, name, applied_at) VALUES (${module}, ${m.version}, ${m.name}, ${now})`
          )
          applied.push(m.version)
        }
        return applied
      })
    )
  })
