/**
 * Smart upsert: find the closest current memories of the collection, ask the decider, apply the
 * decision non-destructively. UPDATE stores a new memory and supersedes the old one (valid_until,
 * superseded_by, and a `supersedes` link from new to old); DELETE supersedes without a successor.
 * The decision is applied in one transaction that first checks the target is still current; if
 * another writer superseded or removed it meanwhile, the upsert decides again (3 attempts).
 */
import { Clock, Effect } from "effect"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import type { DeciderError, EmbedderError } from "../Errors.js"
import { UpsertConflict } from "../Errors.js"
import { MAX_TAGS } from "../Inputs.js"
import type { Memory, UpsertResult } from "../Model.js"
import type { UpsertDecision, UpsertDeciderService } from "../UpsertDecider.js"
import type { MemoryContext } from "./context.js"
import { MemoryLinked, MemorySuperseded, streamOf } from "./events.js"
import { rowsBySeq } from "./reads.js"
import { toMemory } from "./rows.js"
import { vectorSearch } from "./vectorSearch.js"
import type { NewMemory } from "./writes.js"
import { appendTo, isCurrentIn, newId, store, storedEvent } from "./writes.js"

const ATTEMPTS = 3
const CANDIDATES = 5

const CONFLICT = Symbol("conflict")

/** The new memory an UPDATE stores: the new text, the old memory's collection, both memories' tags and metadata. */
const merged = (old: Memory, update: NewMemory, content: string): NewMemory => {
  const tags = [...new Set([...update.tags, ...old.tags])].slice(0, MAX_TAGS).sort()
  return {
    content,
    tags,
    collection: old.collection,
    metadata: { ...old.metadata, ...update.metadata },
    confidence: Math.max(old.confidence, update.confidence),
    source: update.source ?? old.source
  }
}

export const upsert = (
  ctx: MemoryContext,
  decider: UpsertDeciderService,
  memory: NewMemory
): Effect.Effect<UpsertResult, InvalidInput | EmbedderError | DeciderError | UpsertConflict | StorageError> =>
  Effect.gen(function*() {
    const [vector] = yield* ctx.embedder.embed([memory.content])
    let lastTarget = ""
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const hits = yield* vectorSearch(
        ctx,
        vector!,
        { project: ctx.project, collection: memory.collection, tags: [], asOf: undefined, includeSuperseded: false },
        CANDIDATES
      )
      const rows = yield* rowsBySeq(ctx, hits.map((h) => h.seq))
      const now = yield* Clock.currentTimeMillis
      const bySeq = new Map(rows.map((r) => [r.seq, toMemory(r, now)]))
      const candidates = hits.flatMap((h) => {
        const m = bySeq.get(h.seq)
        return m === undefined ? [] : [{ memory: m, similarity: h.similarity }]
      })
      const decision = yield* decider.decide({ information: memory.content, collection: memory.collection, candidates })
      const target = "target" in decision ? candidates.find((c) => c.memory.id === decision.target)?.memory : undefined
      const result = yield* apply(ctx, decision, memory, vector!, target)
      if (result !== CONFLICT) return result
      lastTarget = target?.id ?? ""
    }
    return yield* new UpsertConflict({ target: lastTarget, attempts: ATTEMPTS })
  })

const apply = (
  ctx: MemoryContext,
  decision: UpsertDecision,
  memory: NewMemory,
  vector: Float32Array,
  target: Memory | undefined
): Effect.Effect<UpsertResult | typeof CONFLICT, InvalidInput | EmbedderError | StorageError> =>
  Effect.gen(function*() {
    const name = ctx.embedder.name
    switch (decision.action) {
      case "NOOP":
        return { action: "NOOP", id: decision.target, previous: null, reason: decision.reason }
      case "ADD":
        return { action: "ADD", id: yield* store(ctx, memory, vector), previous: null, reason: decision.reason }
      case "UPDATE": {
        if (target === undefined) return CONFLICT
        const content = decision.content ?? memory.content
        const next = merged(target, memory, content)
        const nextVector = content === memory.content ? vector : (yield* ctx.embedder.embed([content]))[0]!
        const id = yield* newId
        const applied = yield* ctx.events.transact((tx) =>
          Effect.gen(function*() {
            if (!(yield* isCurrentIn(tx, target.id))) return false
            yield* appendTo(tx, streamOf(id), [
              storedEvent(id, next, tx.now, name, nextVector),
              MemoryLinked.make({ source: id, target: target.id, type: "supersedes", strength: 1 })
            ], "no_stream")
            yield* appendTo(tx, streamOf(target.id), MemorySuperseded.make({ id: target.id, by: id, reason: decision.reason, at: tx.now }))
            return true
          })
        )
        return applied ? { action: "UPDATE", id, previous: target.id, reason: decision.reason } : CONFLICT
      }
      case "DELETE": {
        if (target === undefined) return CONFLICT
        const applied = yield* ctx.events.transact((tx) =>
          Effect.gen(function*() {
            if (!(yield* isCurrentIn(tx, target.id))) return false
            yield* appendTo(tx, streamOf(target.id), MemorySuperseded.make({ id: target.id, by: null, reason: decision.reason, at: tx.now }))
            return true
          })
        )
        return applied ? { action: "DELETE", id: target.id, previous: target.id, reason: decision.reason } : CONFLICT
      }
    }
  })
