/**
 * A bench contender: opens the database, prints {"ready"}, waits for `goFile`, then does `count`
 * acquire (waiting) + release pairs on one shared lock and prints its latencies and finish time.
 * argv: url durability count goFile holder
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import * as fs from "node:fs"
import { DurableLock, EventStore, Project, Storage } from "../../src/index.js"
import type { Durability } from "../../src/index.js"

const [url, durability, countText, goFile, holder] = process.argv.slice(2) as [string, Durability, string, string, string]

const layer = Layer.provideMerge(
  DurableLock.layer,
  Layer.provideMerge(EventStore.layer, Layer.merge(Storage.layer({ url, durability }), Project.layerOf({ key: "bench", root: process.cwd() })))
)
const runtime = ManagedRuntime.make(layer)
const locks = await runtime.runPromise(DurableLock)
process.stdout.write(JSON.stringify({ ready: true }) + "\n")
while (!fs.existsSync(goFile)) await new Promise((r) => setTimeout(r, 2))
const latencies: Array<number> = []
const pair = locks.acquire("bench-shared", holder, { ttl: "30 seconds", wait: "5 minutes" }).pipe(
  Effect.zipRight(locks.release("bench-shared", holder))
)
for (let i = 0; i < Number(countText); i++) {
  const t = performance.now()
  await Effect.runPromise(pair)
  latencies.push(performance.now() - t)
}
process.stdout.write(JSON.stringify({ latencies, finishedAt: Date.now() }) + "\n")
await runtime.dispose()
