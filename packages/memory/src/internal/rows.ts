/** Reading memories: the columns, the filters every search and listing shares, and rows → `Memory`. */
import type { SqlValue } from "@waggle/primitives"
import { decayStart, tierOf } from "../Decay.js"
import type { Memory } from "../Model.js"

/** Everything a `Memory` needs, from `memories m` left-joined with `memory_access a`. */
export const MEMORY_COLUMNS = `m.seq, m.id, m.collection, m.confidence, m.valid_from, m.valid_until, m.superseded_by,
  m.validated_at, m.embedder, length(m.embedding) / 4 AS dimension, m.tags, m.metadata, m.source, m.content,
  a.last_accessed_at, a.access_count`

export const MEMORY_FROM = `memories m LEFT JOIN memory_access a ON a.project = m.project AND a.id = m.id`

export interface MemoryRow {
  readonly seq: number
  readonly id: string
  readonly collection: string
  readonly confidence: number
  readonly valid_from: number
  readonly valid_until: number | null
  readonly superseded_by: string | null
  readonly validated_at: number | null
  readonly embedder: string
  readonly dimension: number
  readonly tags: string
  readonly metadata: string
  readonly source: string | null
  readonly content: string
  readonly last_accessed_at: number | null
  readonly access_count: number | null
}

/** The fields that follow `id` and `content` in both a `Memory` and a `MemoryHit`, in that order. */
export const memoryFields = (
  row: MemoryRow
): Pick<Memory, "tags" | "collection" | "metadata" | "confidence" | "source" | "validFrom" | "validUntil"> => ({
  tags: JSON.parse(row.tags) as Array<string>,
  collection: row.collection,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  confidence: row.confidence,
  source: row.source,
  validFrom: row.valid_from,
  validUntil: row.valid_until
})

export const toMemory = (row: MemoryRow, now: number): Memory => {
  const validatedAt = row.validated_at
  const lastAccessedAt = row.last_accessed_at
  const touched = Math.max(decayStart({ validFrom: row.valid_from, validatedAt }), lastAccessedAt ?? 0)
  return {
    id: row.id,
    content: row.content,
    ...memoryFields(row),
    supersededBy: row.superseded_by,
    validatedAt,
    embedder: row.embedder,
    dimension: row.dimension,
    lastAccessedAt,
    accessCount: row.access_count ?? 0,
    tier: tierOf(touched, now)
  }
}

export interface SearchFilter {
  readonly project: string
  readonly collection: string | undefined
  /** Every one of these tags. */
  readonly tags: ReadonlyArray<string>
  /** Valid at this time; when undefined, valid now (unless `includeSuperseded`). */
  readonly asOf: number | undefined
  readonly includeSuperseded: boolean
}

/**
 * `WHERE` conditions on `memories m` for a filter, with their arguments in order. `byRowid`: the
 * query also selects rows by `seq` (rowid); the other columns are then marked `+` so that SQLite
 * looks rows up by rowid instead of scanning every row of the project through an index.
 */
export const filterSql = (
  f: SearchFilter,
  byRowid = false
): { readonly where: string; readonly args: ReadonlyArray<SqlValue> } => {
  const p = byRowid ? "+" : ""
  const where = [`${p}m.project = ?`]
  const args: Array<SqlValue> = [f.project]
  if (f.asOf !== undefined) {
    where.push("m.valid_from <= ?", "(m.valid_until IS NULL OR m.valid_until > ?)")
    args.push(f.asOf, f.asOf)
  } else if (!f.includeSuperseded) {
    where.push("m.valid_until IS NULL")
  }
  if (f.collection !== undefined) {
    where.push(`${p}m.collection = ?`)
    args.push(f.collection)
  }
  for (const tag of f.tags) {
    where.push("m.seq IN (SELECT seq FROM memory_tags WHERE project = ? AND tag = ?)")
    args.push(f.project, tag)
  }
  return { where: where.join(" AND "), args }
}

const ELLIPSIS = "…"

/** The first `max` characters of `text`, cut at a word boundary when there is one nearby. */
export const truncate = (text: string, max: number): { readonly text: string; readonly truncated: boolean } => {
  if (text.length <= max) return { text, truncated: false }
  const cut = text.slice(0, max)
  const space = cut.search(/\s\S*$/)
  const head = space > max * 0.6 ? cut.slice(0, space) : cut
  return { text: head.trimEnd() + ELLIPSIS, truncated: true }
}
