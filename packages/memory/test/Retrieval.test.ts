/**
 * The labelled retrieval set, with the offline embedder: hybrid must beat both vector-only and
 * full-text-only on mean reciprocal rank (of the first relevant hit in the top 10), and be at least
 * as good on recall@3 (the queries no lexical retriever can answer tie it across modes). The
 * figures and the queries whose first hit is not relevant are printed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { embeddedClient, embeddedNative } from "@waggle/test-support"
import type { FindMode } from "../src/index.js"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"
import { memories, queries } from "./fixtures/retrieval.js"

interface Figures {
  readonly mrr: number
  readonly recallAt3: number
}

const evaluate = (mode: FindMode) =>
  Effect.gen(function*() {
    const memory = yield* Memory
    const ids = new Map<string, string>()
    for (const [key, text] of Object.entries(memories)) ids.set(yield* memory.store(text), key)
    return ids
  }).pipe(Effect.flatMap((ids) =>
    Effect.gen(function*() {
      const memory = yield* Memory
      let rr = 0
      let recall = 0
      const misses: Array<string> = []
      for (const q of queries) {
        const { hits } = yield* memory.find(q.query, { mode, limit: 10 })
        const keys = hits.map((h) => ids.get(h.id)!)
        const first = keys.findIndex((k) => q.relevant.includes(k))
        rr += first < 0 ? 0 : 1 / (first + 1)
        recall += q.relevant.filter((k) => keys.slice(0, 3).includes(k)).length / q.relevant.length
        if (first !== 0) misses.push(`${q.query} → ${first < 0 ? "none" : `rank ${first + 1}`}`)
      }
      return { figures: { mrr: rr / queries.length, recallAt3: recall / queries.length } as Figures, misses }
    })
  ))

// File backends only: FTS5 keeps BM25 statistics (document count, document frequencies, average
// length) per table, not per project, so on the sqld server that every test shares, the full-text
// figures depend on what other tests stored there at the time. Retrieval itself runs on sqld in
// the Find and Sync suites.
describe.each([embeddedNative, embeddedClient])("retrieval quality on $name", (backend) => {
  it.scoped("hybrid beats vector-only and full-text-only on the labelled set", () =>
    Effect.gen(function*() {
      const results = {} as Record<FindMode, Figures>
      for (const mode of ["hybrid", "vector", "fulltext"] as const) {
        const { figures, misses } = yield* runOn(backend)(evaluate(mode))
        results[mode] = figures
        console.log(`${backend.name} ${mode}: MRR ${figures.mrr.toFixed(3)}, recall@3 ${figures.recallAt3.toFixed(3)}; not first: ${misses.join(" | ")}`)
      }
      expect(Object.keys(memories).length).toBeGreaterThanOrEqual(30)
      expect(queries.length).toBeGreaterThanOrEqual(15)
      expect(results.hybrid.mrr).toBeGreaterThan(results.vector.mrr)
      expect(results.hybrid.mrr).toBeGreaterThan(results.fulltext.mrr)
      expect(results.hybrid.recallAt3).toBeGreaterThanOrEqual(results.vector.recallAt3)
      expect(results.hybrid.recallAt3).toBeGreaterThanOrEqual(results.fulltext.recallAt3)
    }))
})
