/**
 * A transactional consumer: applies one effect row (and a counter increment) per `note_added`
 * event, committed with the cursor's checkpoint, until it has caught up; the test SIGKILLs it at
 * random moments and starts it again. Prints {"ready"}, {"progress": n} every 10th event handled
 * (n from the note id `k<n>`; printed before its batch commits: only for the test's kill timing),
 * then {"done", consumed, position}.
 * argv: url project consumer batchSize driver
 */
import { Effect, Layer } from "effect"
import { DurableCursor, EventStore } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"
import { applyEffect, EffectsModule } from "../fixtures/effects.js"
import { NotesModule } from "../fixtures/notes.js"

const [url, project, consumer, batchSize, driver] = process.argv.slice(2) as [string, string, string, string, "native" | "client"]
const print = (message: unknown) => process.stdout.write(JSON.stringify(message) + "\n")

const program = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(NotesModule)
  yield* store.install(EffectsModule)
  const cursor = yield* (yield* DurableCursor).open(consumer, { types: ["note_added"] })
  print({ ready: true, position: yield* cursor.position })
  const consumed = yield* cursor.consume((event, tx) =>
    Effect.gen(function*() {
      yield* applyEffect(tx, consumer, event)
      const n = Number((event.data as { id: string }).id.slice(1))
      if (n % 10 === 0) print({ progress: n })
    }), { batchSize: Number(batchSize) })
  print({ done: true, consumed, position: yield* cursor.position })
})

const layer = Layer.provideMerge(DurableCursor.layer, primitivesLayer({ url, project, options: { driver } }))
await Effect.runPromise(program.pipe(Effect.provide(layer)))
