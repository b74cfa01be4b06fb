/**
 * Access tracking: last access time and count per memory, updated by `get` and `find` for what they
 * return. Kept out of the event log on purpose (a read appending events would turn every search
 * into a write of several events); one small upsert per call instead. Best effort: a failure to
 * record an access is logged and does not fail the read.
 */
import { Effect } from "effect"
import type { StorageService } from "@waggle/primitives"
import { statement } from "@waggle/primitives"

const UPSERT = `INSERT INTO memory_access (project, id, last_accessed_at, access_count)
  SELECT ?, value, ?, 1 FROM json_each(?) WHERE true
  ON CONFLICT (project, id) DO UPDATE SET
    last_accessed_at = max(last_accessed_at, excluded.last_accessed_at),
    access_count = access_count + 1`

export const recordAccess = (
  storage: StorageService,
  project: string,
  ids: ReadonlyArray<string>,
  at: number
): Effect.Effect<void> =>
  ids.length === 0 ? Effect.void : storage.write((tx) => tx.run(statement(UPSERT, [project, at, JSON.stringify(ids)]))).pipe(
    Effect.asVoid,
    Effect.catchAll((error) => Effect.logWarning(`memory: access not recorded: ${error.message}`))
  )
