/** Opens the database at argv[2] and prints the outcome as one JSON line. */
import { Effect, Layer } from "effect"
import { Storage } from "@waggle/primitives"

const url = process.argv[2]!
const outcome = await Effect.runPromise(
  Effect.scoped(Layer.build(Storage.layer({ url }))).pipe(
    Effect.as({ ok: true as const }),
    Effect.catchAll((error) => Effect.succeed({ ok: false as const, tag: error._tag, message: error.message }))
  )
)
process.stdout.write(JSON.stringify(outcome) + "\n")
