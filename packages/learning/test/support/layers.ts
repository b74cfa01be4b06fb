/** The learning services on one test backend, with a seeded random source. */
import { Effect, Layer } from "effect"
import { EventStore, statement, Storage } from "@waggle/primitives"
import type { Backend } from "@waggle/test-support"
import { layer, PrecedentSource } from "@waggle/learning"
import type { LearningConfigInput } from "@waggle/learning"
import { TABLES } from "../../src/internal/projection.js"

export interface TestLayerOptions {
  readonly seed?: number
  readonly config?: LearningConfigInput
  /** Precedent from recorded outcomes (default), none, or a given source. */
  readonly precedent?: "outcomes" | "none" | Layer.Layer<PrecedentSource>
}

export const learningLayer = (backend: Backend, options: TestLayerOptions = {}) => {
  const base = Layer.provideMerge(EventStore.layer, backend.layer())
  const precedent = options.precedent === "none"
    ? PrecedentSource.layerNone
    : options.precedent === undefined || options.precedent === "outcomes"
    ? PrecedentSource.layerFromOutcomes
    : options.precedent
  const services = layer({ seed: options.seed ?? 1, ...(options.config === undefined ? {} : { config: options.config }) })
  return services.pipe(Layer.provideMerge(precedent), Layer.provideMerge(base))
}

/** Every learning table's rows for this project, in a stable order. */
export const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const out: Record<string, ReadonlyArray<unknown>> = {}
  for (const table of TABLES) {
    // The first four columns cover every table's primary key.
    out[table] = yield* storage.query(statement(`SELECT * FROM ${table} WHERE project = ? ORDER BY 1, 2, 3, 4`, [store.project]))
  }
  return out
})
