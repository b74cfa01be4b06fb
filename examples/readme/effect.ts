/** The README's Effect example, kept compiling. */
import { Effect, Layer, Option } from "effect"
import { Hive } from "@waggle/hive"
import { DurableLock, EventStore, Project, Storage } from "@waggle/primitives"

const Waggle = Layer.mergeAll(DurableLock.layer, Hive.layer()).pipe(
  Layer.provideMerge(EventStore.layer),
  Layer.provideMerge(Storage.layerFromEnv), // .waggle/waggle.db of this repository, or WAGGLE_DB_URL
  Layer.provideMerge(Project.layer)
)

export const work = Effect.gen(function*() {
  const hive = yield* Hive
  const cell = yield* hive.claimNext("BlueLake") // compare-and-set: one winner per cell
  const locks = yield* DurableLock
  yield* locks.withLock("deploy", "BlueLake", { ttl: "30 seconds", wait: "1 minute" }, (lease) =>
    Effect.log(`deploying ${Option.match(cell, { onNone: () => "nothing", onSome: (c) => c.id })} with fence ${lease.fence}`))
})

export const main = () => Effect.runPromise(work.pipe(Effect.provide(Waggle)))
