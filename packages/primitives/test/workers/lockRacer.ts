/**
 * Races for expired locks: prints {"ready"} once open, waits for `startFile` (holding the start time
 * in ms since the epoch), then for each round r at start + r * gapMs tries once, without waiting,
 * to acquire `race-r`. Prints one JSON line per round: {round, won, fence?, previousHolder?, heldBy?}.
 * argv: url project workerId driver rounds gapMs startFile
 */
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import { DurableLock } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"

const [url, project, workerId, driver, roundsText, gapText, startFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  "native" | "client",
  string,
  string,
  string
]

/** Sleeps until `at` (ms since the epoch), spinning for the last few milliseconds to start together. */
const until = (at: number) =>
  Effect.gen(function*() {
    const coarse = at - Date.now() - 5
    if (coarse > 0) yield* Effect.sleep(`${coarse} millis`)
    while (Date.now() < at) {
      // spin
    }
  })

const program = Effect.gen(function*() {
  const locks = yield* DurableLock
  process.stdout.write(JSON.stringify({ workerId, ready: true }) + "\n")
  while (!fs.existsSync(startFile)) yield* Effect.sleep("5 millis")
  const start = Number(fs.readFileSync(startFile, "utf8"))
  for (let round = 0; round < Number(roundsText); round++) {
    yield* until(start + round * Number(gapText))
    const result = yield* Effect.either(locks.acquire(`race-${round}`, workerId, { ttl: "1 minute" }))
    const line = Either.isRight(result)
      ? { workerId, round, won: true, fence: result.right.fence, previousHolder: result.right.previousHolder }
      : result.left._tag === "LockHeld"
      ? { workerId, round, won: false, heldBy: result.left.holder }
      : yield* Effect.fail(result.left)
    process.stdout.write(JSON.stringify(line) + "\n")
  }
})

const layer = Layer.provideMerge(DurableLock.layer, primitivesLayer({ url, project, options: { driver } }))
await Effect.runPromise(program.pipe(Effect.provide(layer)))
