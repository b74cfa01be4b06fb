/**
 * Id resolution: an exact id (a deleted one only with `includeDeleted`), else a unique prefix (with or without the project prefix), else a
 * unique substring. Several matches at the first stage that has any are an `AmbiguousId`.
 */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { Statement, StorageError } from "@waggle/primitives"
import { AmbiguousId, CellNotFound } from "../HiveErrors.js"
import type { Query } from "./rows.js"

const MAX_CANDIDATES = 20
const TOP = "\u{10FFFF}"

export interface ResolveOptions {
  readonly includeDeleted?: boolean
}

export const resolveId = (
  query: Query,
  project: string,
  prefix: string,
  ref: string,
  options: ResolveOptions = {}
): Effect.Effect<string, CellNotFound | AmbiguousId | StorageError> =>
  Effect.gen(function*() {
    const live = options.includeDeleted === true ? 1 : 0
    // An exact id (with or without the project prefix) never falls through to partial matching,
    // even when that cell is deleted.
    const exact = yield* query<{ id: string; deleted: number }>(sql`
      SELECT id, deleted_at IS NOT NULL AS deleted FROM hive_cells
      WHERE project = ${project} AND id IN (${ref}, ${`${prefix}-${ref}`}) ORDER BY id = ${ref} DESC`)
    if (exact.length > 0) {
      const hit = exact[0]!
      if (hit.deleted === 1 && live === 0) return yield* new CellNotFound({ id: ref })
      return hit.id
    }
    const stages: ReadonlyArray<Statement> = [
      sql`
        SELECT id FROM hive_cells WHERE project = ${project} AND id >= ${ref} AND id < ${ref + TOP}
          AND (${live} = 1 OR deleted_at IS NULL)
        UNION
        SELECT id FROM hive_cells WHERE project = ${project} AND id >= ${`${prefix}-${ref}`} AND id < ${`${prefix}-${ref}${TOP}`}
          AND (${live} = 1 OR deleted_at IS NULL)
        ORDER BY id LIMIT ${MAX_CANDIDATES + 1}`,
      sql`
        SELECT id FROM hive_cells WHERE project = ${project} AND instr(id, ${ref}) > 0
          AND (${live} = 1 OR deleted_at IS NULL)
        ORDER BY id LIMIT ${MAX_CANDIDATES + 1}`
    ]
    for (const stage of stages) {
      const ids = (yield* query<{ id: string }>(stage)).map((r) => r.id)
      if (ids.length === 1) return ids[0]!
      if (ids.length > 1) {
        // An exact id of its own wins over the prefixed form.
        if (ids.includes(ref)) return ref
        return yield* new AmbiguousId({ id: ref, candidates: ids.slice(0, MAX_CANDIDATES) })
      }
    }
    return yield* new CellNotFound({ id: ref })
  })
