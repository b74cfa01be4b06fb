/**
 * `find`: retrieve by vector and/or full text, fuse, apply decay, cut to the limit.
 *
 * Each retriever returns up to max(3 × limit, 30) hits under the same filter. Hybrid fuses them by
 * reciprocal rank (see `fusion`); a hybrid search whose embedder fails falls back to full text and
 * says so (`used`, `fallback`). Quoted phrases constrain every hybrid hit. The final score is
 * relevance × decay, descending; ties go to the newer memory.
 */
import { Clock, Effect, Either } from "effect"
import type { StorageError } from "@waggle/primitives"
import { decayFactor, decayStart } from "../Decay.js"
import type { EmbedderError } from "../Errors.js"
import type { FindInput } from "../Inputs.js"
import type { FindResult, MemoryHit } from "../Model.js"
import { recordAccess } from "./access.js"
import type { MemoryContext } from "./context.js"
import { parseQuery } from "./ftsQuery.js"
import { reciprocalRankFusion, textRelevance, vectorRelevance } from "./fusion.js"
import { rowsBySeq } from "./reads.js"
import type { SearchFilter } from "./rows.js"
import { memoryFields, truncate } from "./rows.js"
import type { TextHit } from "./textSearch.js"
import { literalMatches, matchExpression, textSearch } from "./textSearch.js"
import { vectorSearch } from "./vectorSearch.js"

type FindArgs = typeof FindInput.Type

export const find = (ctx: MemoryContext, input: FindArgs): Effect.Effect<FindResult, EmbedderError | StorageError> =>
  Effect.gen(function*() {
    const { options: o, query } = input
    const now = yield* Clock.currentTimeMillis
    const limit = o.limit ?? 10
    const mode = o.mode ?? "hybrid"
    const depth = Math.max(limit * 3, 30)
    const filter: SearchFilter = {
      project: ctx.project,
      collection: o.collection,
      tags: o.tags ?? [],
      asOf: o.asOf,
      includeSuperseded: o.includeSuperseded ?? false
    }
    const parsed = parseQuery(query)

    // The two retrievers are independent: through the client driver they overlap their round trips;
    // the native driver is synchronous, where forking would only add scheduling hops.
    const vectorPart = mode === "fulltext" ? Effect.succeed(undefined) : Effect.gen(function*() {
      const embedded = yield* Effect.either(ctx.embedder.embed([query]))
      if (Either.isLeft(embedded)) {
        if (mode === "vector") return yield* embedded.left
        return { fallback: embedded.left.message }
      }
      const hits = yield* vectorSearch(ctx, embedded.right[0]!, filter, depth)
      return { hits: hits.filter((h) => h.similarity > 0 && h.similarity >= ctx.config.minSimilarity) }
    })
    const textPart: Effect.Effect<Array<TextHit> | undefined, StorageError> = mode === "vector"
      ? Effect.succeed(undefined)
      : Effect.flatMap(
        matchExpression(ctx.storage, parsed, ctx.config),
        (expression) => (expression === undefined ? Effect.succeed([]) : textSearch(ctx.storage, expression, filter, depth))
      )
    const [vectorResult, textHits] = yield* Effect.all([vectorPart, textPart], {
      concurrency: ctx.storage.driver === "native" ? 1 : 2
    })
    let vectorHits = vectorResult?.hits
    const fallback = vectorResult?.fallback ?? null
    const used: typeof mode = fallback === null ? mode : "fulltext"

    if (vectorHits !== undefined && textHits !== undefined && parsed.required.length > 0) {
      const literal = yield* literalMatches(ctx.storage, parsed.required, vectorHits.map((h) => h.seq))
      vectorHits = vectorHits.filter((h) => literal.has(h.seq))
    }

    const similarity = new Map((vectorHits ?? []).map((h) => [h.seq, h.similarity]))
    const bm25 = new Map((textHits ?? []).map((h) => [h.seq, h.bm25]))
    const relevance = used === "hybrid"
      ? reciprocalRankFusion([vectorHits!.map((h) => h.seq), textHits!.map((h) => h.seq)])
      : used === "vector"
      ? new Map([...similarity].map(([seq, s]) => [seq, vectorRelevance(s)]))
      : new Map([...bm25].map(([seq, b]) => [seq, textRelevance(b)]))
    if (relevance.size === 0) return { hits: [], mode, used, fallback }

    const rows = yield* rowsBySeq(ctx, [...relevance.keys()])
    const at = o.asOf ?? now
    const scored = rows.map((row) => {
      const decay = decayFactor(at - decayStart({ validFrom: row.valid_from, validatedAt: row.validated_at }), row.confidence)
      return { row, decay, score: relevance.get(row.seq)! * decay }
    })
      .filter((s) => s.score >= (o.minScore ?? 0) && s.score > 0)
      .sort((a, b) => b.score - a.score || b.row.seq - a.row.seq)
      .slice(0, limit)

    yield* recordAccess(ctx.storage, ctx.project, scored.map((s) => s.row.id), now)

    const hits = scored.map(({ decay, row, score }): MemoryHit => {
      const content = o.expand === true ? { text: row.content, truncated: false } : truncate(row.content, ctx.config.snippet)
      return {
        id: row.id,
        content: content.text,
        truncated: content.truncated,
        ...memoryFields(row),
        score,
        vectorScore: similarity.get(row.seq) ?? null,
        textScore: bm25.has(row.seq) ? textRelevance(bm25.get(row.seq)!) : null,
        decay
      }
    })
    return { hits, mode, used, fallback }
  })
