/** The reads: get, list, stats, history, linked. */
import { Clock, Effect } from "effect"
import type { StorageError, StorageService } from "@waggle/primitives"
import { sql, statement } from "@waggle/primitives"
import { DAY_MS, HOT_DAYS, WARM_DAYS } from "../Decay.js"
import { MemoryNotFound } from "../Errors.js"
import type { LinkedMemory, Memory, MemoryStats } from "../Model.js"
import { recordAccess } from "./access.js"
import type { MemoryContext } from "./context.js"
import type { LinkType } from "./events.js"
import type { MemoryRow, SearchFilter } from "./rows.js"
import { filterSql, MEMORY_COLUMNS, MEMORY_FROM, toMemory } from "./rows.js"

/** The rows of the memories with these seqs, in no particular order: rowid lookups (`+m.project` keeps the planner off the project's index). */
export const rowsBySeq = (ctx: MemoryContext, seqs: ReadonlyArray<number>) =>
  ctx.storage.query<MemoryRow>(statement(
    `SELECT ${MEMORY_COLUMNS} FROM ${MEMORY_FROM} WHERE +m.project = ? AND m.seq IN (SELECT value FROM json_each(?))`,
    [ctx.project, JSON.stringify(seqs)]
  ))

export const readMemory = (storage: StorageService, project: string, id: string, now: number) =>
  Effect.map(
    storage.queryOne<MemoryRow>(statement(`SELECT ${MEMORY_COLUMNS} FROM ${MEMORY_FROM} WHERE m.project = ? AND m.id = ?`, [project, id])),
    (row) => (row === undefined ? undefined : toMemory(row, now))
  )

export const requireMemory = (ctx: MemoryContext, id: string) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.flatMap(readMemory(ctx.storage, ctx.project, id, now), (m) =>
      m === undefined ? Effect.fail(new MemoryNotFound({ id })) : Effect.succeed(m)))

/** A memory by id; counts as an access. */
export const get = (ctx: MemoryContext, id: string): Effect.Effect<Memory, MemoryNotFound | StorageError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const memory = yield* requireMemory(ctx, id)
    yield* recordAccess(ctx.storage, ctx.project, [id], now)
    return { ...memory, lastAccessedAt: now, accessCount: memory.accessCount + 1, tier: "hot" }
  })

export const list = (
  ctx: MemoryContext,
  filter: SearchFilter,
  limit: number
): Effect.Effect<ReadonlyArray<Memory>, StorageError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const f = filterSql(filter)
    const rows = yield* ctx.storage.query<MemoryRow>(statement(
      `SELECT ${MEMORY_COLUMNS} FROM ${MEMORY_FROM} WHERE ${f.where} ORDER BY m.valid_from DESC, m.seq DESC LIMIT ?`,
      [...f.args, limit]
    ))
    return rows.map((r) => toMemory(r, now))
  })

/**
 * The supersession chain through `id`, oldest first: what it replaced, and what replaced it. The
 * chain holds `id` itself whenever it exists, so an empty answer means there is no such memory.
 */
export const history = (ctx: MemoryContext, id: string): Effect.Effect<ReadonlyArray<Memory>, MemoryNotFound | StorageError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const rows = yield* ctx.storage.query<MemoryRow>(statement(
      `WITH RECURSIVE
         back(id) AS (SELECT ?2 UNION SELECT p.id FROM memories p JOIN back ON p.superseded_by = back.id WHERE p.project = ?1),
         fwd(id) AS (SELECT ?2 UNION SELECT s.superseded_by FROM memories s JOIN fwd ON s.id = fwd.id
                     WHERE s.project = ?1 AND s.superseded_by IS NOT NULL)
       SELECT ${MEMORY_COLUMNS} FROM ${MEMORY_FROM}
       WHERE m.project = ?1 AND m.id IN (SELECT id FROM back UNION SELECT id FROM fwd)
       ORDER BY m.valid_from, m.seq`,
      [ctx.project, id]
    ))
    if (rows.length === 0) return yield* new MemoryNotFound({ id })
    return rows.map((r) => toMemory(r, now))
  })

interface LinkedRow extends MemoryRow {
  readonly link_type: LinkType
  readonly strength: number
  readonly direction: "out" | "in"
}

export const linked = (
  ctx: MemoryContext,
  id: string,
  type: LinkType | undefined,
  direction: "out" | "in" | "both"
): Effect.Effect<ReadonlyArray<LinkedMemory>, MemoryNotFound | StorageError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const typeFilter = type === undefined ? "" : "AND l.type = ?3"
    const side = (dir: "out" | "in") => {
      const [self, other] = dir === "out" ? ["source", "target"] : ["target", "source"]
      return `SELECT l.type AS link_type, l.strength AS strength, '${dir}' AS direction, ${MEMORY_COLUMNS}
        FROM memory_links l JOIN memories m ON m.project = l.project AND m.id = l.${other}
        LEFT JOIN memory_access a ON a.project = m.project AND a.id = m.id
        WHERE l.project = ?1 AND l.${self} = ?2 ${typeFilter}`
    }
    const parts = direction === "both" ? [side("out"), side("in")] : [side(direction)]
    const rows = yield* ctx.storage.query<LinkedRow>(statement(
      `SELECT * FROM (${parts.join(" UNION ALL ")}) ORDER BY strength DESC, link_type, direction DESC, id`,
      type === undefined ? [ctx.project, id] : [ctx.project, id, type]
    ))
    // Removing a memory removes its links, so only an empty answer needs to ask whether it exists.
    if (rows.length === 0) yield* requireMemory(ctx, id)
    return rows.map((r) => ({ type: r.link_type, strength: r.strength, direction: r.direction, memory: toMemory(r, now) }))
  })

export const stats = (ctx: MemoryContext): Effect.Effect<MemoryStats, StorageError> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const p = ctx.project
    const totals = yield* ctx.storage.queryOne<{ total: number; current: number | null }>(
      sql`SELECT count(*) AS total, sum(valid_until IS NULL) AS current FROM memories WHERE project = ${p}`
    )
    const groups = (column: "collection" | "embedder") =>
      Effect.map(
        ctx.storage.query<{ k: string; n: number }>(statement(
          `SELECT ${column} AS k, count(*) AS n FROM memories WHERE project = ? AND valid_until IS NULL GROUP BY ${column} ORDER BY ${column}`,
          [p]
        )),
        (rows) => Object.fromEntries(rows.map((r) => [r.k, r.n]))
      )
    const hot = now - HOT_DAYS * DAY_MS
    const warm = now - WARM_DAYS * DAY_MS
    const tiers = yield* ctx.storage.queryOne<{ hot: number | null; warm: number | null; cold: number | null }>(sql`
      SELECT sum(t >= ${hot}) AS hot, sum(t < ${hot} AND t >= ${warm}) AS warm, sum(t < ${warm}) AS cold FROM (
        SELECT max(m.valid_from, coalesce(m.validated_at, 0), coalesce(a.last_accessed_at, 0)) AS t
        FROM memories m LEFT JOIN memory_access a ON a.project = m.project AND a.id = m.id
        WHERE m.project = ${p} AND m.valid_until IS NULL)`)
    const links = yield* ctx.storage.queryOne<{ n: number }>(sql`SELECT count(*) AS n FROM memory_links WHERE project = ${p}`)
    const total = totals?.total ?? 0
    const current = totals?.current ?? 0
    return {
      total,
      current,
      superseded: total - current,
      byCollection: yield* groups("collection"),
      byEmbedder: yield* groups("embedder"),
      tiers: { hot: tiers?.hot ?? 0, warm: tiers?.warm ?? 0, cold: tiers?.cold ?? 0 },
      links: links?.n ?? 0,
      embedder: { name: ctx.embedder.name, dimension: ctx.embedder.dimension }
    }
  })
