/**
 * Claims ready cells with `claimNext` until none is left, as fast as it can, and prints every cell
 * it was given (checking each one's assignee right after the claim).
 * It waits for the file `go` to appear (after printing {"ready":true}), so that all processes start
 * claiming at the same moment.
 * Then it claims `contested` explicitly (already claimed by someone by then).
 * argv: url project agent driver goFile contested
 */
import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import { primitivesLayer } from "@waggle/test-support/worker"
import { Hive } from "../../src/index.js"

const [url, project, agent, driver, goFile, contestedId] = process.argv.slice(2) as [
  string,
  string,
  string,
  "native" | "client",
  string,
  string
]

const program = Effect.gen(function*() {
  const hive = yield* Hive
  process.stdout.write(JSON.stringify({ ready: true }) + "\n")
  while (!fs.existsSync(goFile)) yield* Effect.sleep("5 millis")
  const claimed: Array<string> = []
  const mismatches: Array<string> = []
  while (true) {
    const next = yield* hive.claimNext(agent)
    if (Option.isNone(next)) break
    if (next.value.assignee !== agent || next.value.status !== "in_progress") mismatches.push(next.value.id)
    claimed.push(next.value.id)
  }
  // Every cell is taken by now: only the holder's own claim succeeds.
  const contested = yield* Effect.either(hive.claim(contestedId, agent))
  process.stdout.write(
    JSON.stringify({
      agent,
      claimed,
      mismatches,
      contested: contested._tag === "Right" ? "won" : contested.left._tag
    }) + "\n"
  )
})

await Effect.runPromise(
  program.pipe(Effect.provide(Layer.provide(Hive.layer({ prefix: "hv" }), primitivesLayer({ url, project, options: { driver } }))))
)
