/**
 * Keeps this process's sketch index in step with the database. On first use it reads the log's
 * head, then every memory of the current embedder (sketch, collection, validity); after that, each
 * search first reads the head again and, if it moved, applies the memory events appended since
 * (here or in any other process). Loading after reading the head, then replaying from it, is safe
 * because every event sets state rather than adding to it, so applying one twice changes nothing.
 */
import { Effect } from "effect"
import type { EventStoreService, RecordedEvent, StorageError, StorageService } from "@waggle/primitives"
import { sql } from "@waggle/primitives"
import { INDEX_EVENT_TYPES, MemoryReembedded, MemoryRemoved, MemoryStored, MemorySuperseded } from "./events.js"
import { int8FromBlob, quantize, sketchBits, sketchFromBlob, sketchOf } from "./sketch.js"
import type { Candidates, IndexFilter } from "./sketchIndex.js"
import { SketchIndex } from "./sketchIndex.js"
import { fromBase64 } from "./vector.js"

const PAGE = 5000

interface IndexRow {
  readonly seq: number
  readonly id: string
  readonly collection: string
  readonly valid_from: number
  readonly valid_until: number | null
  readonly sketch: Uint8Array
  readonly qvec: Uint8Array
}

export interface VectorIndex {
  /**
   * The `keep` nearest candidates for a query vector, from the `pool` nearest by sketch (after
   * catching up with the log).
   */
  readonly candidates: (
    query: Float32Array,
    filter: IndexFilter,
    pool: number,
    keep: number
  ) => Effect.Effect<Candidates, StorageError>
  /** How many memories of the current embedder the index holds (after catching up). */
  readonly size: Effect.Effect<number, StorageError>
}

export const makeVectorIndex = (
  storage: StorageService,
  events: EventStoreService,
  embedder: string,
  dimension: number
): Effect.Effect<VectorIndex> =>
  Effect.gen(function*() {
    const project = events.project
    const index = new SketchIndex(sketchBits(dimension) / 32, dimension)
    let loaded = false
    let head = 0
    const lock = yield* Effect.makeSemaphore(1)

    const rowsOf = (ids: ReadonlyArray<string>) =>
      storage.query<IndexRow>(
        sql`SELECT seq, id, collection, valid_from, valid_until, sketch, qvec FROM memories
            WHERE project = ${project} AND +embedder = ${embedder} AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
      )

    const addRow = (r: IndexRow) =>
      index.upsert({
        seq: r.seq,
        id: r.id,
        collection: r.collection,
        validFrom: r.valid_from,
        validUntil: r.valid_until,
        sketch: sketchFromBlob(r.sketch),
        qvec: int8FromBlob(r.qvec)
      })

    const load = Effect.gen(function*() {
      let after = 0
      while (true) {
        const rows = yield* storage.query<IndexRow>(
          sql`SELECT seq, id, collection, valid_from, valid_until, sketch, qvec FROM memories
              WHERE project = ${project} AND embedder = ${embedder} AND seq > ${after} ORDER BY seq LIMIT ${PAGE}`
        )
        for (const r of rows) addRow(r)
        if (rows.length < PAGE) break
        after = rows[rows.length - 1]!.seq
      }
    })

    /** Applies one event; returns the id of a memory whose row must be read (re-embedded into this embedder). */
    const apply = (event: RecordedEvent): string | undefined => {
      const data = event.data as Record<string, unknown>
      const id = String(data["id"])
      switch (event.type) {
        case MemoryStored.type: {
          const d = data as typeof MemoryStored.schema.Encoded
          if (d.embedder !== embedder) return undefined
          const vector = fromBase64(d.embedding)
          index.upsert({
            seq: event.position,
            id,
            collection: d.collection,
            validFrom: d.validFrom,
            validUntil: null,
            sketch: sketchOf(vector),
            qvec: quantize(vector)
          })
          return undefined
        }
        case MemorySuperseded.type:
          index.setValidUntil(id, (data as typeof MemorySuperseded.schema.Encoded).at)
          return undefined
        case MemoryRemoved.type:
          index.remove(id)
          return undefined
        case MemoryReembedded.type: {
          if ((data as typeof MemoryReembedded.schema.Encoded).embedder !== embedder) {
            index.remove(id)
            return undefined
          }
          return id
        }
        default:
          return undefined
      }
    }

    const catchUp = lock.withPermits(1)(Effect.gen(function*() {
      const now = yield* events.head
      if (!loaded) {
        // Rows read after the head include at least everything up to it; later events replay next time.
        yield* load
        loaded = true
        head = now
        return
      }
      if (now === head) return
      let after = head
      const reread = new Set<string>()
      while (after < now) {
        const batch = yield* events.readAll({ after, to: now, types: INDEX_EVENT_TYPES, limit: 2000 }).pipe(
          Effect.catchTag("InvalidInput", (e) => Effect.die(e))
        )
        for (const event of batch) {
          const id = apply(event)
          if (id !== undefined) reread.add(id)
          else if (event.type === MemoryRemoved.type) reread.delete(String((event.data as { id: unknown }).id))
        }
        if (batch.length < 2000) break
        after = batch[batch.length - 1]!.position
      }
      if (reread.size > 0) for (const r of yield* rowsOf([...reread])) addRow(r)
      head = now
    }))

    return {
      candidates: (query, filter, pool, keep) =>
        Effect.zipRight(catchUp, Effect.sync(() => index.candidates(sketchOf(query), query, filter, pool, keep))),
      size: Effect.zipRight(catchUp, Effect.sync(() => index.size))
    }
  })
