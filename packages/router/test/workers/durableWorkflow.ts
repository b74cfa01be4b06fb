/**
 * Runs a four-step durable workflow a → b → c → d; every step appends "<step> <pid>" to an
 * effects file (its side effect), then takes a while. Prints {"done": outputs} at the end.
 * argv: url project runId effectsFile stepMillis
 */
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import { Workflow } from "@waggle/router"
import { DurableJournal } from "@waggle/router/durable"
import { primitivesLayer } from "@waggle/test-support/worker"

const [url, project, runId, effectsFile, stepMillis] = process.argv.slice(2) as [string, string, string, string, string]

const sideEffect = (step: string) => Effect.sync(() => fs.appendFileSync(effectsFile, `${step} ${process.pid}\n`))
const slow = <A>(step: string, value: A) =>
  sideEffect(step).pipe(Effect.zipRight(Effect.sleep(`${Number(stepMillis)} millis`)), Effect.as(value))

const workflow = Workflow.make("pipeline")
  .step("a", () => slow("a", { seed: 7 }))
  .step("b", { dependsOn: ["a"] }, ({ a }) => slow("b", a.seed * 3))
  .step("c", { dependsOn: ["b"] }, ({ b }) => slow("c", `value-${b}`))
  .step("d", { dependsOn: ["a", "c"] }, ({ a, c }) => slow("d", { summary: `${c}/${a.seed}` }))
  .build()

const program = Effect.gen(function*() {
  const built = yield* Either.match(workflow, { onLeft: (e) => Effect.die(e), onRight: Effect.succeed })
  const outputs = yield* Workflow.run(built, { runId, concurrency: 2 })
  process.stdout.write(JSON.stringify({ done: outputs }) + "\n")
})

await Effect.runPromise(
  program.pipe(Effect.provide(Layer.provideMerge(DurableJournal.layer, primitivesLayer({ url, project }))))
)
