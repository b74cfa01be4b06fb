/**
 * The changes: store, remove, validate, link, unlink, re-embed. Each runs as one event-store
 * transaction (check, then append), so a check and the change it guards cannot be separated by
 * another writer. Embeddings are computed before the transaction (a unit may be retried and must
 * have no effects outside the database).
 */
import { Clock, Effect, Random } from "effect"
import type { AppendError, EventTx, InvalidInput, StorageError } from "@waggle/primitives"
import { sql, statement } from "@waggle/primitives"
import { MemoryNotFound } from "../Errors.js"
import { DEFAULT_COLLECTION, DEFAULT_CONFIDENCE } from "../Inputs.js"
import type { StoreInput } from "../Inputs.js"
import type { Memory } from "../Model.js"
import type { MemoryContext } from "./context.js"
import type { LinkType } from "./events.js"
import { MemoryLinked, MemoryReembedded, MemoryRemoved, MemoryStored, MemoryUnlinked, MemoryValidated, streamOf } from "./events.js"
import { toBase64 } from "./vector.js"

/** A new memory as it will be stored (inputs decoded and normalised). */
export type NewMemory = Pick<Memory, "content" | "tags" | "collection" | "metadata" | "confidence" | "source">

export const normalizeStore = (input: typeof StoreInput.Type): NewMemory => ({
  content: input.information.trim(),
  tags: [...new Set(input.options.tags ?? [])].sort(),
  collection: input.options.collection ?? DEFAULT_COLLECTION,
  metadata: input.options.metadata ?? {},
  confidence: input.options.confidence ?? DEFAULT_CONFIDENCE,
  source: input.options.source ?? null
})

/** A fresh id: `mem_` + time (base 36) + 80 random bits, so ids sort roughly by creation. */
export const newId: Effect.Effect<string> = Effect.gen(function*() {
  const now = yield* Clock.currentTimeMillis
  let random = ""
  for (let i = 0; i < 4; i++) random += (yield* Random.nextIntBetween(0, 1 << 20)).toString(36).padStart(4, "0")
  return `mem_${now.toString(36)}${random}`
})

/** Appends, turning the errors that cannot happen after input decoding into defects. */
export const appendTo = (tx: EventTx, stream: string, events: Parameters<EventTx["append"]>[1], expectedVersion: "no_stream" | "any" = "any") =>
  tx.append(stream, events, { expectedVersion }).pipe(
    Effect.catchTags({
      UnknownEventType: (e) => Effect.die(e),
      StreamVersionConflict: (e) => Effect.die(e)
    })
  ) as Effect.Effect<unknown, Exclude<AppendError, { _tag: "UnknownEventType" | "StreamVersionConflict" }>>

export const storedEvent = (
  id: string,
  memory: NewMemory,
  validFrom: number,
  embedder: string,
  embedding: Float32Array
) =>
  MemoryStored.make({
    id,
    content: memory.content,
    tags: memory.tags,
    collection: memory.collection,
    metadata: memory.metadata,
    confidence: memory.confidence,
    source: memory.source,
    validFrom,
    embedder,
    embedding: toBase64(embedding)
  })

export const existsIn = (tx: Pick<EventTx, "queryOne" | "project">, id: string) =>
  tx.queryOne<{ valid_until: number | null }>(sql`SELECT valid_until FROM memories WHERE project = ${tx.project} AND id = ${id}`)

/** Whether the memory exists and is current (neither superseded nor removed), inside the transaction. */
export const isCurrentIn = (tx: Pick<EventTx, "queryOne" | "project">, id: string) =>
  Effect.map(existsIn(tx, id), (row) => row !== undefined && row.valid_until === null)

const requireIn = (tx: EventTx, id: string) =>
  Effect.flatMap(existsIn(tx, id), (row) => (row === undefined ? Effect.fail(new MemoryNotFound({ id })) : Effect.succeed(row)))

export const store = (
  ctx: MemoryContext,
  memory: NewMemory,
  embedding: Float32Array
): Effect.Effect<string, InvalidInput | StorageError> =>
  Effect.gen(function*() {
    const id = yield* newId
    yield* ctx.events.transact((tx) =>
      appendTo(tx, streamOf(id), storedEvent(id, memory, tx.now, ctx.embedder.name, embedding), "no_stream")
    )
    return id
  })

/** Erases a memory inside the transaction: its removal event, and its access record (not a projection). */
export const removeIn = (tx: EventTx, id: string) =>
  Effect.gen(function*() {
    yield* appendTo(tx, streamOf(id), MemoryRemoved.make({ id }))
    yield* tx.run(sql`DELETE FROM memory_access WHERE project = ${tx.project} AND id = ${id}`)
  })

export const remove = (ctx: MemoryContext, id: string): Effect.Effect<void, MemoryNotFound | InvalidInput | StorageError> =>
  ctx.events.transact((tx) => Effect.zipRight(requireIn(tx, id), removeIn(tx, id)))

export const validate = (
  ctx: MemoryContext,
  id: string,
  confidence: number | undefined
): Effect.Effect<void, MemoryNotFound | InvalidInput | StorageError> =>
  ctx.events.transact((tx) =>
    Effect.gen(function*() {
      yield* requireIn(tx, id)
      yield* appendTo(tx, streamOf(id), MemoryValidated.make({ id, at: tx.now, confidence: confidence ?? null }))
    })
  )

export const link = (
  ctx: MemoryContext,
  source: string,
  target: string,
  type: LinkType,
  strength: number
): Effect.Effect<void, MemoryNotFound | InvalidInput | StorageError> =>
  ctx.events.transact((tx) =>
    Effect.gen(function*() {
      yield* requireIn(tx, source)
      yield* requireIn(tx, target)
      yield* appendTo(tx, streamOf(source), MemoryLinked.make({ source, target, type, strength }))
    })
  )

export const unlink = (
  ctx: MemoryContext,
  source: string,
  target: string,
  type: LinkType
): Effect.Effect<boolean, InvalidInput | StorageError> =>
  ctx.events.transact((tx) =>
    Effect.gen(function*() {
      const row = yield* tx.queryOne(
        sql`SELECT 1 AS x FROM memory_links WHERE project = ${tx.project} AND source = ${source} AND target = ${target} AND type = ${type}`
      )
      if (row === undefined) return false
      yield* appendTo(tx, streamOf(source), MemoryUnlinked.make({ source, target, type }))
      return true
    })
  )

const REEMBED_PAGE = 64

/** Re-embeds memories of another embedder (or all, with `force`) with the current one, page by page. */
export const reembed = (
  ctx: MemoryContext,
  collection: string | undefined,
  force: boolean
) =>
  Effect.gen(function*() {
    let after = 0
    let count = 0
    const name = ctx.embedder.name
    while (true) {
      const where = ["project = ?", "seq > ?"]
      const args: Array<string | number> = [ctx.project, after]
      if (collection !== undefined) {
        where.push("collection = ?")
        args.push(collection)
      }
      if (!force) {
        where.push("embedder <> ?")
        args.push(name)
      }
      const rows = yield* ctx.storage.query<{ seq: number; id: string; content: string }>(statement(
        `SELECT seq, id, content FROM memories WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ${REEMBED_PAGE}`,
        args
      ))
      if (rows.length === 0) break
      const vectors = yield* ctx.embedder.embed(rows.map((r) => r.content))
      count += yield* ctx.events.transact((tx) =>
        Effect.gen(function*() {
          // Removed since the page was read: skipped (one query for the page, not one per memory).
          const live = yield* tx.query<{ id: string }>(
            sql`SELECT id FROM memories WHERE project = ${tx.project} AND id IN (SELECT value FROM json_each(${JSON.stringify(rows.map((r) => r.id))}))`
          )
          const ids = new Set(live.map((r) => r.id))
          let n = 0
          for (const [i, r] of rows.entries()) {
            if (!ids.has(r.id)) continue
            yield* appendTo(tx, streamOf(r.id), MemoryReembedded.make({ id: r.id, embedder: name, embedding: toBase64(vectors[i]!) }))
            n++
          }
          return n
        })
      )
      after = rows[rows.length - 1]!.seq
    }
    return { embedder: name, reembedded: count }
  })
