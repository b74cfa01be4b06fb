/**
 * One party to a deferred, in its own process. Prints {"waiting"} just before awaiting, then one
 * JSON line with the outcome: {"value"} / {"resolved"} / {"rejected"}, or {"error": {_tag, ...}}
 * for a typed failure (the process still exits 0).
 * argv: url project driver op token [argument]
 *   op = await    argument: timeout in ms ("" = until expiry)
 *   op = resolve  argument: the value as JSON text
 *   op = reject   argument: the reason
 */
import { Effect, Layer } from "effect"
import { DurableDeferred } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"

const [url, project, driver, op, token, argument = ""] = process.argv.slice(2) as [
  string,
  string,
  "native" | "client",
  "await" | "resolve" | "reject",
  string,
  string | undefined
]
const print = (message: unknown) => process.stdout.write(JSON.stringify(message) + "\n")

const program = Effect.gen(function*() {
  const deferreds = yield* DurableDeferred
  switch (op) {
    case "await": {
      print({ waiting: true })
      const value = yield* deferreds.await(token, argument === "" ? {} : { timeout: Number(argument) })
      return print({ value })
    }
    case "resolve":
      yield* deferreds.resolve(token, JSON.parse(argument))
      return print({ resolved: true })
    case "reject":
      yield* deferreds.reject(token, argument)
      return print({ rejected: true })
  }
}).pipe(Effect.catchAll((error) => Effect.sync(() => print({ error }))))

const layer = Layer.provideMerge(DurableDeferred.layer, primitivesLayer({ url, project, options: { driver } }))
await Effect.runPromise(program.pipe(Effect.provide(layer)))
