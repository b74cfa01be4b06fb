/**
 * Merge bases: the content of each synced file as of the last successful sync of a working tree,
 * kept in the database (per project, working tree and file). It is bookkeeping about the sync, not
 * a fact of the domain, so it is a plain table (not a projection) that rebuilds leave alone. A
 * fresh clone (or a new database) has no base: its first import merges two-way.
 */
import { Effect, Option } from "effect"
import { sql } from "@waggle/primitives"
import type { EventStoreService, StorageError, StorageService } from "@waggle/primitives"

export const loadBase = (storage: StorageService, project: string, workdir: string, file: string) =>
  Effect.map(
    storage.query<{ content: string }>(
      sql`SELECT content FROM hive_sync_bases WHERE project = ${project} AND workdir = ${workdir} AND file = ${file}`
    ),
    (rows) => Option.getOrUndefined(Option.map(Option.fromNullable(rows[0]), (r) => r.content))
  )

export const saveBase = (
  store: EventStoreService,
  workdir: string,
  file: string,
  content: string
): Effect.Effect<void, StorageError> =>
  store.transact((tx) =>
    Effect.asVoid(tx.run(sql`
      INSERT INTO hive_sync_bases (project, workdir, file, content, updated_at)
      VALUES (${tx.project}, ${workdir}, ${file}, ${content}, ${tx.now})
      ON CONFLICT (project, workdir, file) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at`))
  )
