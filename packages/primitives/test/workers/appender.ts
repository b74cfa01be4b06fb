/**
 * Appends `count` events as fast as it can, half to its own streams and half to one shared stream
 * with optimistic concurrency (retrying conflicts), and prints every append it saw succeed.
 * argv: url project workerId count driver
 */
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"
import { NoteAdded, NotesModule } from "../fixtures/notes.js"

const [url, project, workerId, countText, driver] = process.argv.slice(2) as [string, string, string, string, "native" | "client"]
const count = Number(countText)

const program = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(NotesModule)
  const successes: Array<{ stream: string; version: number; position: number }> = []
  let conflicts = 0
  for (let i = 0; i < count; i++) {
    const id = `${workerId}-${i}`
    if (i % 2 === 0) {
      const r = yield* store.append(`own-${workerId}-${i % 7}`, [NoteAdded.make({ id, text: "x", tags: [] })])
      successes.push({ stream: r.stream, version: r.version, position: r.position })
    } else {
      // optimistic concurrency on a stream every process writes
      while (true) {
        const seen = yield* store.streamVersion("hot")
        const attempt = yield* Effect.either(
          store.append("hot", [NoteAdded.make({ id, text: "hot", tags: [] })], { expectedVersion: seen })
        )
        if (attempt._tag === "Right") {
          successes.push({ stream: "hot", version: attempt.right.version, position: attempt.right.position })
          break
        }
        if (attempt.left._tag !== "StreamVersionConflict") return yield* Effect.fail(attempt.left)
        conflicts++
      }
    }
  }
  process.stdout.write(JSON.stringify({ workerId, successes, conflicts }) + "\n")
})

await Effect.runPromise(program.pipe(Effect.provide(primitivesLayer({ url, project, options: { driver } }))))

