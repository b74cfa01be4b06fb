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
  /** Use semantic memory (default true); without it, precedent comes from recorded outcomes. */
  readonly memory?: boolean
}

const services = (hive: HiveOptions) =>
  Layer.mergeAll(Hive.layer(hive), DurableMailbox.layer, FileReservations.layer, DurableDeferred.layer).pipe(
    Layer.provideMerge(EventStore.layer)
  )

/** The swarm and every service it uses, on the process's `Storage` and `Project`. */
export const layerStack = (options: StackOptions = {}) => {
  const base = services(options.hive ?? {})
  const learning = learningLayer(options.learning ?? {})
  const swarm = Swarm.layer.pipe(Layer.provideMerge(SwarmConfig.layer(options.swarm ?? {})))
  if (options.memory === false) {
    return swarm.pipe(
      Layer.provideMerge(learning),
      Layer.provideMerge(PrecedentSource.layerFromOutcomes),
      Layer.provideMerge(base)
    )
  }
  return swarm.pipe(
    Layer.provideMerge(learning),
    Layer.provideMerge(MemoryPrecedent.layer),
    Layer.provideMerge(Memory.layerDefault),
    Layer.provideMerge(base)
  )
}

export type StackServices = Layer.Layer.Success<ReturnType<typeof layerStack>>
export type { Learning, Project, Storage }
