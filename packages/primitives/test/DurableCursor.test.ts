import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue, Ref, Schema } from "effect"
import { DurableCursor, EventStore, Storage } from "@waggle/primitives"
import type { EventTx, RecordedEvent } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { applyEffect, EffectsModule, effectsOf } from "./fixtures/effects.js"
import { NoteAdded, NoteEdited, NotesModule } from "./fixtures/notes.js"

class Boom extends Schema.TaggedError<Boom>()("Boom", { at: Schema.String }) {}

const idOf = (e: RecordedEvent) => (e.data as { id: string }).id

const setup = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(NotesModule)
  yield* store.install(EffectsModule)
  return { store, storage: yield* Storage, cursors: yield* DurableCursor }
})

/** Appends `n` note_added events to `stream`, ids `${prefix}1`..; returns their positions. */
const addNotes = (stream: string, prefix: string, n: number) =>
  Effect.flatMap(EventStore, (store) =>
    Effect.map(
      store.append(stream, Array.from({ length: n }, (_, i) => NoteAdded.make({ id: `${prefix}${i + 1}`, text: "t", tags: [] }))),
      (r) => r.events.map((e) => e.position)
    ))

describe.each(backends)("DurableCursor on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, DurableCursor | EventStore | Storage>) =>
    effect.pipe(
      Effect.provide(Layer.provideMerge(DurableCursor.layer, Layer.provideMerge(EventStore.layer, backend.layer())))
    )

  it.scoped("consumes the matching events in order, then resumes after its checkpoint", () =>
    run(Effect.gen(function*() {
      const { store, storage, cursors } = yield* setup
      yield* addNotes("n", "a", 5)
      const cursor = yield* cursors.open("indexer")
      expect(yield* cursor.position).toBe(0)
      const seen: Array<string> = []
      const handler = (e: RecordedEvent, tx: EventTx) =>
        Effect.zipRight(Effect.sync(() => seen.push(idOf(e))), applyEffect(tx, "indexer", e))
      expect(yield* cursor.consume(handler, { batchSize: 2 })).toBe(5)
      expect(seen).toEqual(["a1", "a2", "a3", "a4", "a5"])
      expect(yield* cursor.position).toBe(yield* store.head)

      yield* addNotes("n", "b", 3)
      // A fresh handle (as after a restart) starts from the stored checkpoint.
      const again = yield* cursors.open("indexer")
      expect(yield* again.consume(handler)).toBe(3)
      expect(seen.slice(5)).toEqual(["b1", "b2", "b3"])
      expect(yield* again.consume(handler)).toBe(0)
      const effects = yield* effectsOf(storage, store.project, "indexer")
      expect(effects).toMatchObject({ rows: 8, distinct: 8, counter: 8 })
      // Checkpoints are not projections: rebuilding the projections leaves them alone.
      const position = yield* again.position
      yield* store.rebuildProjections()
      expect(yield* again.position).toBe(position)
      expect(yield* again.consume(handler)).toBe(0)
    })))

  it.scoped("respects its filter: exact stream, event types, and both", () =>
    run(Effect.gen(function*() {
      const { store, cursors } = yield* setup
      yield* store.append("a", [NoteAdded.make({ id: "a1", text: "t", tags: [] }), NoteEdited.make({ id: "a1", text: "u" })])
      yield* store.append("a-other", [NoteAdded.make({ id: "o1", text: "t", tags: [] })])
      yield* store.append("A", [NoteAdded.make({ id: "A1", text: "t", tags: [] })])
      yield* store.append("b", [NoteEdited.make({ id: "b1", text: "u" }), NoteAdded.make({ id: "b2", text: "t", tags: [] })])
      const collect = (filter: Parameters<typeof cursors.open>[1]) =>
        Effect.gen(function*() {
          const cursor = yield* cursors.open("collector", filter)
          const got: Array<string> = []
          yield* cursor.consume((e) => Effect.sync(() => got.push(`${e.stream}/${e.type}/${idOf(e)}`)), { batchSize: 1 })
          return got
        })
      expect(yield* collect({ stream: "a" })).toEqual(["a/note_added/a1", "a/note_edited/a1"])
      expect(yield* collect({ types: ["note_edited"] })).toEqual(["a/note_edited/a1", "b/note_edited/b1"])
      expect(yield* collect({ stream: "b", types: ["note_added"] })).toEqual(["b/note_added/b2"])
      expect(yield* collect({ stream: "nobody" })).toEqual([])
      expect(yield* collect({})).toHaveLength(6)
      // Caught up: the checkpoint sits at the head even though the last events did not match.
      const a = yield* cursors.open("collector", { stream: "a" })
      expect(yield* a.position).toBe(yield* store.head)
      // The same types in another order, or repeated, name the same checkpoint.
      const edited = yield* cursors.open("collector", { types: ["note_edited"] })
      yield* edited.rewind(0)
      const same = yield* cursors.open("collector", { types: ["note_edited", "note_edited"] })
      expect(yield* same.position).toBe(0)
      const both = yield* cursors.open("collector", { types: ["note_edited", "note_added"] })
      const bothReversed = yield* cursors.open("collector", { types: ["note_added", "note_edited"] })
      expect(yield* both.position).toBe(0)
      yield* both.consume(() => Effect.void)
      expect(yield* bothReversed.position).toBe(yield* store.head)
    })))

  it.scoped("consumers with different names, or different filters, never share a checkpoint", () =>
    run(Effect.gen(function*() {
      const { store, storage, cursors } = yield* setup
      const positions = yield* addNotes("n", "x", 4)
      const first = yield* cursors.open("first")
      const second = yield* cursors.open("second")
      const filtered = yield* cursors.open("first", { stream: "n" })
      expect(yield* first.consume((e, tx) => applyEffect(tx, "first", e))).toBe(4)
      expect(yield* second.position).toBe(0)
      expect(yield* filtered.position).toBe(0)
      yield* second.checkpoint(positions[1]!)
      expect(yield* first.position).toBe(positions[3])
      expect(yield* second.consume((e, tx) => applyEffect(tx, "second", e))).toBe(2)
      expect((yield* effectsOf(storage, store.project, "first")).positions).toEqual(positions)
      expect((yield* effectsOf(storage, store.project, "second")).positions).toEqual(positions.slice(2))
      yield* first.rewind(0)
      expect(yield* second.position).toBe(positions[3])
    })))

  it.scoped("a checkpoint never moves backwards; rewind does, explicitly", () =>
    run(Effect.gen(function*() {
      const { store, cursors } = yield* setup
      const p = yield* addNotes("n", "c", 5)
      const cursor = yield* cursors.open("mover", { types: ["note_added"] })
      yield* cursor.checkpoint(p[2]!)
      expect(yield* cursor.position).toBe(p[2])
      const behind = yield* Effect.flip(cursor.checkpoint(p[0]!))
      expect(behind).toMatchObject({ _tag: "CheckpointBehind", current: p[2], attempted: p[0] })
      expect(behind.message).toContain("mover")
      expect(yield* cursor.position).toBe(p[2])
      yield* cursor.checkpoint(p[2]!) // the same position again is a no-op
      const ahead = yield* Effect.flip(cursor.checkpoint((yield* store.head) + 1))
      expect(ahead._tag).toBe("InvalidInput")
      for (const bad of [-1, 1.5, Number.NaN]) {
        expect((yield* Effect.flip(cursor.checkpoint(bad)))._tag).toBe("InvalidInput")
      }
      expect(yield* cursor.position).toBe(p[2])

      const rewindAhead = yield* Effect.flip(cursor.rewind(p[4]!))
      expect(rewindAhead._tag).toBe("InvalidInput")
      expect(yield* cursor.rewind(p[0]!)).toBe(p[2])
      expect(yield* cursor.position).toBe(p[0])
      const replayed: Array<string> = []
      yield* cursor.consume((e) => Effect.sync(() => replayed.push(idOf(e))))
      expect(replayed).toEqual(["c2", "c3", "c4", "c5"])
      expect(yield* cursor.rewind(0)).toBe(yield* store.head)
      expect(yield* cursor.position).toBe(0)
    })))

  it.scoped("transactional: a failing handler rolls back its writes, its appends and the checkpoint", () =>
    run(Effect.gen(function*() {
      const { store, storage, cursors } = yield* setup
      const p = yield* addNotes("n", "t", 5)
      const cursor = yield* cursors.open("tx", { stream: "n" })
      const failOn = (id: string | undefined) => (e: RecordedEvent, tx: EventTx) =>
        Effect.gen(function*() {
          yield* applyEffect(tx, "tx", e)
          yield* tx.append("log", NoteEdited.make({ id: idOf(e), text: "seen" }))
          if (idOf(e) === id) return yield* new Boom({ at: idOf(e) })
        })
      const headBefore = yield* store.head

      // One batch of 10: the failure on t3 undoes t1 and t2 too.
      const failed = yield* Effect.flip(cursor.consume(failOn("t3"), { batchSize: 10 }))
      expect(failed).toMatchObject({ _tag: "Boom", at: "t3" })
      expect(yield* cursor.position).toBe(0)
      expect(yield* effectsOf(storage, store.project, "tx")).toMatchObject({ rows: 0, counter: 0 })
      expect(yield* store.head).toBe(headBefore)

      // Batches of 2: [t1, t2] commits, [t3, t4] fails and is undone.
      expect((yield* Effect.flip(cursor.consume(failOn("t3"), { batchSize: 2 })))._tag).toBe("Boom")
      expect(yield* cursor.position).toBe(p[1])
      expect((yield* effectsOf(storage, store.project, "tx")).positions).toEqual(p.slice(0, 2))
      expect(yield* store.readAll({ stream: "log" })).toHaveLength(2)

      // Fixed: the rest is applied, each event exactly once.
      expect(yield* cursor.consume(failOn(undefined), { batchSize: 2 })).toBe(3)
      expect(yield* effectsOf(storage, store.project, "tx")).toMatchObject({ rows: 5, distinct: 5, counter: 5, positions: p })
      expect(yield* store.readAll({ stream: "log" })).toHaveLength(5)
    })))

  it.scoped("at-least-once: the checkpoint follows the handled events, and a failed event is delivered again", () =>
    run(Effect.gen(function*() {
      const { cursors } = yield* setup
      const p = yield* addNotes("n", "l", 5)
      const cursor = yield* cursors.open("loose")
      const deliveries: Array<string> = []
      let failures = 1
      const handler = (e: RecordedEvent) =>
        Effect.gen(function*() {
          deliveries.push(idOf(e)) // the effect happens before the failure
          if (idOf(e) === "l3" && failures-- > 0) return yield* new Boom({ at: "l3" })
        })
      const failed = yield* Effect.flip(cursor.consume(handler, { transactional: false, batchSize: 10 }))
      expect(failed._tag).toBe("Boom")
      expect(yield* cursor.position).toBe(p[1])
      expect(yield* cursor.consume(handler, { transactional: false })).toBe(3)
      expect(deliveries).toEqual(["l1", "l2", "l3", "l3", "l4", "l5"])
      expect(yield* cursor.position).toBe(p[4])
    })))

  it.scoped("instances of one consumer running at once apply every event exactly once", () =>
    run(Effect.gen(function*() {
      const { store, storage, cursors } = yield* setup
      const p = yield* addNotes("n", "r", 60)
      const counts = yield* Effect.forEach(
        [1, 2, 3],
        () =>
          Effect.flatMap(cursors.open("racer"), (c) => c.consume((e, tx) => applyEffect(tx, "racer", e), { batchSize: 3 })),
        { concurrency: "unbounded" }
      )
      expect(counts.reduce((a, b) => a + b, 0)).toBe(60)
      const effects = yield* effectsOf(storage, store.project, "racer")
      expect(effects).toMatchObject({ rows: 60, distinct: 60, counter: 60 })
      expect(effects.positions).toEqual(p)
    })))

  it.scopedLive("run keeps consuming new events until interrupted", () =>
    run(Effect.gen(function*() {
      const { store, cursors } = yield* setup
      yield* addNotes("live", "v", 2)
      const cursor = yield* cursors.open("follower", { stream: "live" })
      const got = yield* Queue.unbounded<string>()
      const fiber = yield* Effect.fork(cursor.run((e) => Queue.offer(got, idOf(e)), { transactional: false }))
      expect([yield* Queue.take(got), yield* Queue.take(got)]).toEqual(["v1", "v2"])
      yield* addNotes("elsewhere", "e", 1)
      yield* addNotes("live", "w", 2)
      expect([yield* Queue.take(got), yield* Queue.take(got)]).toEqual(["w1", "w2"])
      yield* Fiber.interrupt(fiber)
      expect(yield* cursor.position).toBe(yield* store.head)
      yield* addNotes("live", "z", 1)
      const after = yield* Ref.make<Array<string>>([])
      yield* cursor.consume((e) => Ref.update(after, (xs) => [...xs, idOf(e)]))
      expect(yield* Ref.get(after)).toEqual(["z1"])
    }).pipe(Effect.timeout("20 seconds"))))

  it.scoped("bad names, filters and options are InvalidInput, and change nothing", () =>
    run(Effect.gen(function*() {
      const { store, storage, cursors } = yield* setup
      yield* addNotes("n", "i", 2)
      const badOpen = [
        cursors.open(""),
        cursors.open("   "),
        cursors.open("a\u0000b"),
        cursors.open("x".repeat(201)),
        cursors.open("ok", { types: [] }),
        cursors.open("ok", { stream: "" }),
        cursors.open("ok", { streem: "n" } as never)
      ]
      for (const attempt of badOpen) expect((yield* Effect.flip(attempt))._tag).toBe("InvalidInput")
      const typo = yield* Effect.flip(cursors.open("ok", { types: ["note_added", 7 as never] }))
      expect(typo).toMatchObject({ _tag: "InvalidInput", operation: "DurableCursor.open" })
      if (typo._tag === "InvalidInput") expect(typo.issues.map((i) => i.path)).toContain("filter.types[1]")

      const cursor = yield* cursors.open("careful")
      const handler = (e: RecordedEvent, tx: EventTx) => applyEffect(tx, "careful", e)
      for (const options of [{ batchSize: 0 }, { batchSize: 1.5 }, { batchSize: 10_001 }, { batchSize: 5, mode: "fast" } as never]) {
        expect((yield* Effect.flip(cursor.consume(handler, options)))._tag).toBe("InvalidInput")
      }
      expect(yield* cursor.position).toBe(0)
      expect((yield* effectsOf(storage, store.project, "careful")).rows).toBe(0)
    })))
})
