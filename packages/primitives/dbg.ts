import { Chunk, Effect, Fiber, Layer, Stream } from "effect"
import { EventStore, Project, Storage } from "./src/index.js"
import { NoteAdded, NoteEdited, NotesModule } from "./test/fixtures/notes.js"
import * as fs from "node:fs"
fs.rmSync("/tmp/dbg", { recursive: true, force: true }); fs.mkdirSync("/tmp/dbg")
const layer = Layer.provideMerge(EventStore.layer, Layer.merge(Storage.layer({ url: "file:/tmp/dbg/a.db" }), Project.layerOf({ key: "k", root: "/tmp/dbg" })))
const prog = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(NotesModule)
  yield* store.append("f", [NoteAdded.make({ id: "1", text: "a", tags: [] })])
  console.error("appended")
  const fiber = yield* store.follow({ types: ["note_added"] }).pipe(Stream.tap((e) => Effect.sync(() => console.error("got", e.position))), Stream.take(3), Stream.runCollect, Effect.fork)
  yield* Effect.sleep("50 millis")
  console.error("slept")
  yield* store.append("f", [NoteEdited.make({ id: "1", text: "skip me" })])
  yield* store.append("g", [NoteAdded.make({ id: "2", text: "b", tags: [] })])
  yield* store.append("h", [NoteAdded.make({ id: "3", text: "c", tags: [] })])
  console.error("appended all")
  const got = yield* Fiber.join(fiber).pipe(Effect.timeout("5 seconds"))
  console.error(Chunk.toArray(got).map((e) => e.position))
})
Effect.runPromise(Effect.scoped(Effect.provide(prog, layer))).then(() => console.error("done"), (e) => console.error("fail", e))
