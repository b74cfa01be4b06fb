import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Fiber, Layer, Stream } from "effect"
import { EventStore, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { NoteAdded, NoteClaimed, NoteEdited, NoteRemoved, NotesModule } from "./fixtures/notes.js"

const setup = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(NotesModule)
  return store
})

const snapshotNotes = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const notes = yield* storage.query(sql`SELECT * FROM test_notes WHERE project = ${store.project} ORDER BY id`)
  const claims = yield* storage.query(sql`SELECT * FROM test_note_claims WHERE project = ${store.project} ORDER BY id`)
  return { notes, claims }
})

describe.each(backends)("EventStore on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, EventStore | Storage>) =>
    effect.pipe(Effect.provide(Layer.provideMerge(EventStore.layer, backend.layer())))

  it.scoped("appends get consecutive stream versions and increasing global positions", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const a = yield* store.append("note-1", [NoteAdded.make({ id: "1", text: "a", tags: [] })])
      const b = yield* store.append("note-1", [NoteEdited.make({ id: "1", text: "b" }), NoteEdited.make({ id: "1", text: "c" })])
      const c = yield* store.append("note-2", NoteAdded.make({ id: "2", text: "x", tags: ["t"] }))
      expect([a.version, b.version, c.version]).toEqual([1, 3, 1])
      expect(b.events.map((e) => e.version)).toEqual([2, 3])
      const positions = [...a.events, ...b.events, ...c.events].map((e) => e.position)
      expect([...positions].sort((x, y) => x - y)).toEqual(positions)
      expect(new Set(positions).size).toBe(4)
      const stream = yield* store.readStream("note-1")
      expect(stream.map((e) => [e.version, e.type, e.data])).toEqual([
        [1, "note_added", { id: "1", text: "a", tags: [] }],
        [2, "note_edited", { id: "1", text: "b" }],
        [3, "note_edited", { id: "1", text: "c" }]
      ])
      const backward = yield* store.readStream("note-1", { direction: "backward", limit: 2 })
      expect(backward.map((e) => e.version)).toEqual([3, 2])
      expect(yield* store.streamVersion("note-1")).toBe(3)
      expect(yield* store.streamVersion("nope")).toBe(0)
    })))

  it.scoped("an expected-version conflict is a typed error and stores nothing", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      yield* store.append("s", [NoteAdded.make({ id: "1", text: "a", tags: [] })], { expectedVersion: "no_stream" })
      const before = yield* snapshotNotes
      const conflict = yield* Effect.flip(
        store.append("s", [NoteEdited.make({ id: "1", text: "b" }), NoteEdited.make({ id: "1", text: "c" })], { expectedVersion: 0 })
      )
      expect(conflict._tag).toBe("StreamVersionConflict")
      expect(conflict).toMatchObject({ stream: "s", expected: 0, actual: 1 })
      expect(yield* store.streamVersion("s")).toBe(1)
      expect(yield* snapshotNotes).toEqual(before)
      const stale = yield* Effect.flip(store.append("t", [NoteAdded.make({ id: "9", text: "a", tags: [] })], { expectedVersion: "stream_exists" }))
      expect(stale._tag).toBe("StreamVersionConflict")
      const ok = yield* store.append("s", [NoteEdited.make({ id: "1", text: "b" })], { expectedVersion: 1 })
      expect(ok.version).toBe(2)
    })))

  it.scoped("unknown event types and payloads that break their schema are rejected, nothing stored", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const unknown = yield* Effect.flip(store.append("s", [{ type: "note_exploded", data: {} }]))
      expect(unknown).toMatchObject({ _tag: "UnknownEventType", type: "note_exploded" })
      const bad = yield* Effect.flip(
        store.append("s", [
          NoteAdded.make({ id: "1", text: "ok", tags: [] }),
          { type: "note_added", data: { id: 2, text: "x", tags: "nope" } }
        ])
      )
      expect(bad._tag).toBe("InvalidInput")
      if (bad._tag === "InvalidInput") {
        expect(bad.issues.map((i) => i.path).sort()).toEqual(["events[1].data.id", "events[1].data.tags"])
      }
      const empty = yield* Effect.flip(store.append("", []))
      expect(empty._tag).toBe("InvalidInput")
      expect(yield* store.head).toBe(0)
      expect((yield* snapshotNotes).notes).toEqual([])
    })))

  it.scoped("projections change in the same transaction: a failing projection keeps the event out of the log", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      yield* store.append("n", [NoteAdded.make({ id: "1", text: "a", tags: [] }), NoteClaimed.make({ id: "1", by: "alice" })])
      const head = yield* store.head
      // The second claim of the same note violates the projection's primary key.
      const failed = yield* Effect.either(store.append("n", [NoteEdited.make({ id: "1", text: "b" }), NoteClaimed.make({ id: "1", by: "bob" })]))
      expect(Either.isLeft(failed)).toBe(true)
      expect(yield* store.head).toBe(head)
      const snap = yield* snapshotNotes
      expect(snap.notes.map((n) => n["text"])).toEqual(["a"])
      expect(snap.claims.map((c) => c["claimed_by"])).toEqual(["alice"])
    })))

  it.scoped("reads the log by position range, by type, by stream and with limits", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      for (let i = 0; i < 10; i++) {
        yield* store.append(`note-${i % 3}`, [i % 2 === 0 ? NoteAdded.make({ id: `${i}`, text: "t", tags: [] }) : NoteEdited.make({ id: `${i - 1}`, text: "u" })])
      }
      const all = yield* store.readAll()
      expect(all).toHaveLength(10)
      const p = all.map((e) => e.position)
      const middle = yield* store.readAll({ after: p[2]!, to: p[6]! })
      expect(middle.map((e) => e.position)).toEqual(p.slice(3, 7))
      const added = yield* store.readAll({ types: ["note_added"] })
      expect(added.map((e) => e.type)).toEqual(Array(5).fill("note_added"))
      expect((yield* store.readAll({ stream: "note-1" })).every((e) => e.stream === "note-1")).toBe(true)
      expect(yield* store.readAll({ limit: 3 })).toHaveLength(3)
      const badLimit = yield* Effect.flip(store.readAll({ limit: 0 }))
      expect(badLimit._tag).toBe("InvalidInput")
    })))

  it.scoped("text with quotes, backslashes, newlines, unicode and SQL round-trips exactly", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const nasty = [`it's "quoted"`, "back\\slash\\\\", "line\nbreak\r\n\ttab", "'); DROP TABLE events; --", "emoji 🐝 ünïcödé", "%_ like wildcards"]
      for (const [i, text] of nasty.entries()) {
        yield* store.append(`nasty-${text}`, [NoteAdded.make({ id: `n${i}`, text, tags: [text] })])
      }
      const events = yield* store.readAll({ types: ["note_added"] })
      expect(events.map((e) => (e.data as { text: string }).text)).toEqual(nasty)
      expect(events.map((e) => e.stream)).toEqual(nasty.map((t) => `nasty-${t}`))
      const rows = (yield* snapshotNotes).notes
      expect(rows.map((r) => r["text"]).sort()).toEqual([...nasty].sort())
    })))

  it.scoped("text with a NUL character is refused, never truncated", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const badStream = yield* Effect.flip(store.append("a\u0000b", [NoteAdded.make({ id: "1", text: "x", tags: [] })]))
      expect(badStream._tag).toBe("InvalidInput")
      // The payload is JSON (NUL escaped) but the projection column is not: the whole append fails.
      const badColumn = yield* Effect.flip(store.append("s", [NoteAdded.make({ id: "1", text: "a\u0000b", tags: [] })]))
      expect(badColumn).toMatchObject({ _tag: "StorageError", code: "NUL_IN_TEXT" })
      expect(yield* store.head).toBe(0)
    })))

  it.scoped("metadata is stored with the event", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      yield* store.append("m", [NoteAdded.make({ id: "1", text: "a", tags: [] }, { actor: "alice", correlation: "c-1" })])
      const [event] = yield* store.readStream("m")
      expect(event?.metadata).toEqual({ actor: "alice", correlation: "c-1" })
    })))

  it.scoped("rebuild replays the log into emptied tables and reproduces them exactly", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      // A seeded random mix of adds, edits, removes and claims.
      let seed = 42
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      const live = new Set<string>()
      const claimed = new Set<string>()
      for (let i = 0; i < 300; i++) {
        const id = `n${rand(40)}`
        const roll = rand(10)
        if (!live.has(id)) {
          yield* store.append(`note-${id}`, [NoteAdded.make({ id, text: `text ${i}`, tags: [`t${rand(3)}`] })])
          live.add(id)
        } else if (roll < 6) {
          yield* store.append(`note-${id}`, [NoteEdited.make({ id, text: `edit ${i} "q" \\ ${rand(1000)}` })])
        } else if (roll < 8 && !claimed.has(id)) {
          yield* store.append(`note-${id}`, [NoteClaimed.make({ id, by: `agent-${rand(4)}` })])
          claimed.add(id)
        } else {
          yield* store.append(`note-${id}`, [NoteRemoved.make({ id })])
          live.delete(id)
        }
      }
      const before = yield* snapshotNotes
      expect(before.notes.length).toBe(live.size)
      // Wreck the tables, then rebuild.
      const storage = yield* Storage
      yield* storage.write((tx) => tx.run(sql`UPDATE test_notes SET text = 'garbage' WHERE project = ${store.project}`))
      const report = yield* store.rebuildProjections()
      expect(report.events).toBe(300)
      expect(yield* snapshotNotes).toEqual(before)
      const unknown = yield* Effect.flip(store.rebuildProjections(["nope"]))
      expect(unknown._tag).toBe("InvalidInput")
    })))

  it.scoped("concurrent appends with the same expected version: exactly one wins each version", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const attempts = yield* Effect.forEach(
        Array.from({ length: 16 }, (_, i) => i),
        (i) => Effect.either(store.append("race", [NoteAdded.make({ id: `r${i}`, text: "x", tags: [] })], { expectedVersion: 0 })),
        { concurrency: "unbounded" }
      )
      expect(attempts.filter(Either.isRight)).toHaveLength(1)
      expect(attempts.filter(Either.isLeft).every((e) => e.left._tag === "StreamVersionConflict")).toBe(true)
      expect(yield* store.streamVersion("race")).toBe(1)
      expect((yield* snapshotNotes).notes).toHaveLength(1)
    })))

  it.scoped("many concurrent appenders all land, in one log without gaps", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const results = yield* Effect.forEach(
        Array.from({ length: 64 }, (_, i) => i),
        (i) => store.append(`c-${i % 8}`, [NoteAdded.make({ id: `c${i}`, text: "x", tags: [] })]),
        { concurrency: 16 }
      )
      expect(results).toHaveLength(64)
      const all = yield* store.readAll({ limit: 1000 })
      expect(all).toHaveLength(64)
      for (let s = 0; s < 8; s++) {
        expect(all.filter((e) => e.stream === `c-${s}`).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
      }
    })))

  it.scoped("a transaction reads, decides and appends atomically", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      const claimOnce = (by: string) =>
        store.transact((tx) =>
          Effect.gen(function*() {
            const taken = yield* tx.queryOne(sql`SELECT claimed_by FROM test_note_claims WHERE project = ${tx.project} AND id = 'x'`)
            if (taken !== undefined) return `taken by ${String(taken["claimed_by"])}`
            yield* tx.append("note-x", [NoteClaimed.make({ id: "x", by })])
            return "won"
          })
        )
      const outcomes = yield* Effect.forEach(["a", "b", "c", "d"], claimOnce, { concurrency: "unbounded" })
      expect(outcomes.filter((o) => o === "won")).toHaveLength(1)
    })))

  it.scopedLive("follow delivers past events, then new ones as they are appended", () =>
    run(Effect.gen(function*() {
      const store = yield* setup
      yield* store.append("f", [NoteAdded.make({ id: "1", text: "a", tags: [] })])
      const fiber = yield* store.follow({ types: ["note_added"] }).pipe(Stream.take(3), Stream.runCollect, Effect.fork)
      yield* Effect.sleep("50 millis")
      yield* store.append("f", [NoteEdited.make({ id: "1", text: "skip me" })])
      yield* store.append("g", [NoteAdded.make({ id: "2", text: "b", tags: [] })])
      yield* store.append("h", [NoteAdded.make({ id: "3", text: "c", tags: [] })])
      const got = yield* Fiber.join(fiber).pipe(Effect.timeout("5 seconds"))
      expect(Chunk.toArray(got).map((e) => (e.data as { id: string }).id)).toEqual(["1", "2", "3"])
    })))
})
