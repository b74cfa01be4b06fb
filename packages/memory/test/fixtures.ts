/** Layers for the memory's contract suites: the memory on one backend, with a chosen embedder. */
import { Effect, Layer } from "effect"
import { EventStore } from "@waggle/primitives"
import type { Project, Storage } from "@waggle/primitives"
import type { Backend } from "@waggle/test-support"
import { Embedder, Memory, UpsertDecider } from "../src/index.js"
import type { MemoryConfig } from "../src/index.js"

export type MemoryEnv = Memory | EventStore | Storage | Project

export const memoryLayer = (
  backend: Backend,
  embedder: Layer.Layer<Embedder, unknown> = Embedder.layerHashed,
  decider: Layer.Layer<UpsertDecider> = UpsertDecider.layerRules,
  config: Partial<MemoryConfig> = {}
) => {
  const base = Layer.provideMerge(EventStore.layer, backend.layer())
  return Layer.provideMerge(Memory.layerWith(config).pipe(Layer.provide(Layer.merge(embedder, decider))), base)
}

/** Runs `effect` with a fresh memory on `backend`. */
export const runOn = (backend: Backend, embedder?: Layer.Layer<Embedder, unknown>, decider?: Layer.Layer<UpsertDecider>) =>
<A, E>(effect: Effect.Effect<A, E, MemoryEnv>) => effect.pipe(Effect.provide(memoryLayer(backend, embedder, decider)))
