/**
 * Everything the swarm runs on, as one layer over `Storage` and `Project`: the event store, the
 * hive, mailbox, file reservations, deferreds, memory (offline hashed embedder) adapted as
 * learning's precedent source, learning, and the swarm itself. For hosts and tests; hosts that
 * build their own services provide `Swarm.layer` with them instead.
 */
import { Layer } from "effect"
import { Hive } from "@waggle/hive"
import type { HiveOptions } from "@waggle/hive"
import { layer as learningLayer, PrecedentSource } from "@waggle/learning"
import type { Learning, LearningLayerOptions } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableDeferred, DurableMailbox, EventStore, FileReservations } from "@waggle/primitives"
import type { Project, Storage } from "@waggle/primitives"
import * as MemoryPrecedent from "./MemoryPrecedent.js"
import { Swarm } from "./Swarm.js"
import { SwarmConfig } from "./SwarmConfig.js"
import type { SwarmConfigInput } from "./SwarmConfig.js"

export interface StackOptions {
  readonly hive?: HiveOptions
  readonly learning?: LearningLayerOptions
  readonly swarm?: SwarmConfigInput
}

const services = (hive: HiveOptions) =>
  Layer.mergeAll(Hive.layer(hive), DurableMailbox.layer, FileReservations.layer, DurableDeferred.layer).pipe(
    Layer.provideMerge(EventStore.layer)
  )

const swarmWith = (options: StackOptions) => Swarm.layer.pipe(Layer.provideMerge(SwarmConfig.layer(options.swarm ?? {})))

/** The swarm and every service it uses, with semantic memory as precedent source, on `Storage` and `Project`. */
export const layerStack = (options: StackOptions = {}) =>
  swarmWith(options).pipe(
    Layer.provideMerge(learningLayer(options.learning ?? {})),
    Layer.provideMerge(MemoryPrecedent.layer),
    Layer.provideMerge(Memory.layerDefault),
    Layer.provideMerge(services(options.hive ?? {}))
  )

/** The same without memory: precedent comes from recorded outcomes; nothing is stored in memory. */
export const layerStackWithoutMemory = (options: StackOptions = {}) =>
  swarmWith(options).pipe(
    Layer.provideMerge(learningLayer(options.learning ?? {})),
    Layer.provideMerge(PrecedentSource.layerFromOutcomes),
    Layer.provideMerge(services(options.hive ?? {}))
  )

export type StackServices = Layer.Layer.Success<ReturnType<typeof layerStack>>
export type { Learning, Project, Storage }
