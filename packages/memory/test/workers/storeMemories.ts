/**
 * Stores `count` memories into the given database and project from another process, then prints
 * their ids. argv: url project count prefix
 */
import { Effect, Layer } from "effect"
import { primitivesLayer } from "@waggle/test-support/worker"
import { Memory } from "../../src/index.js"

const [url, project, countText, prefix] = process.argv.slice(2) as [string, string, string, string]

const program = Effect.gen(function*() {
  const memory = yield* Memory
  const ids: Array<string> = []
  for (let i = 0; i < Number(countText); i++) {
    ids.push(yield* memory.store(`${prefix} learning ${i}: the ${prefix} cluster needs warm caches before traffic`))
  }
  process.stdout.write(JSON.stringify({ ids }) + "\n")
})

Effect.runPromise(program.pipe(Effect.provide(Layer.provide(Memory.layerDefault, primitivesLayer({ url, project }))))).catch(
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
