/**
 * Guards a shared counter file with the lock: `iterations` times, acquire (waiting), read the file,
 * yield, write it plus one, release (every other iteration through `withLock`). Prints one JSON line
 * with every critical section as [fence, enter, exit, value] (enter/exit from the system-wide
 * monotonic clock, in ns, as strings). Prints {"ready"} once open and starts when `startFile`
 * exists, so that all processes contend from the first iteration.
 * argv: url project workerId iterations driver counterFile startFile
 */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { DurableLock } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"

const [url, project, workerId, iterationsText, driver, counterFile, startFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  "native" | "client",
  string,
  string
]
const iterations = Number(iterationsText)
const RESOURCE = "counter"
const options = { ttl: "30 seconds", wait: "60 seconds" } as const

/** The critical section: a read-modify-write that loses updates if two processes overlap. */
const increment = (fence: number) =>
  Effect.gen(function*() {
    const enter = process.hrtime.bigint()
    const value = Number(fs.readFileSync(counterFile, "utf8")) + 1
    // Give the others every chance to interleave.
    yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
    fs.writeFileSync(counterFile, String(value))
    const exit = process.hrtime.bigint()
    return [fence, String(enter), String(exit), value] as const
  })

const program = Effect.gen(function*() {
  const locks = yield* DurableLock
  process.stdout.write(JSON.stringify({ workerId, ready: true }) + "\n")
  while (!fs.existsSync(startFile)) yield* Effect.sleep("5 millis")
  const sections: Array<readonly [number, string, string, number]> = []
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      const lease = yield* locks.acquire(RESOURCE, workerId, options)
      sections.push(yield* increment(lease.fence))
      yield* locks.release(RESOURCE, workerId)
    } else {
      sections.push(yield* locks.withLock(RESOURCE, workerId, options, (lease) => increment(lease.fence)))
    }
  }
  process.stdout.write(JSON.stringify({ workerId, sections }) + "\n")
})

const layer = Layer.provideMerge(DurableLock.layer, primitivesLayer({ url, project, options: { driver } }))
await Effect.runPromise(program.pipe(Effect.provide(layer)))
