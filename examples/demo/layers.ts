/**
 * The layer stack every demo process uses: the project's default embedded database (found from the
 * working directory, like any Waggle process) and the services the demo needs.
 */
import { Layer } from "effect"
import { Hive, HiveSync } from "@waggle/hive"
import { Memory } from "@waggle/memory"
import {
  DurableCursor,
  DurableMailbox,
  EventStore,
  FileReservations,
  Project,
  Storage
} from "@waggle/primitives"

const base = Layer.provideMerge(EventStore.layer, Layer.provideMerge(Storage.layerFromEnv, Project.layer))

const memory = Memory.layerDefault

export const DemoLayer = Layer.provideMerge(
  Layer.mergeAll(
    DurableMailbox.layer,
    FileReservations.layer,
    DurableCursor.layer,
    Hive.layer({ prefix: "demo" }),
    Layer.provideMerge(HiveSync.layer(), Memory.layerSyncParticipants.pipe(Layer.provideMerge(memory)))
  ),
  base
)
