import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { backends } from "@waggle/test-support"
import { Hive, HiveSessions } from "../src/index.js"
import { hiveLayer, startClock, tick } from "./fixtures/hive.js"

describe.each(backends)("HiveSessions on $name", (backend) => {
  it.scoped("start returns the previous session's handoff; end records it; current and history", () =>
    Effect.gen(function*() {
      yield* startClock
      const sessions = yield* HiveSessions
      const hive = yield* Hive
      const cell = yield* hive.create({ title: "work" })
      const first = yield* sessions.start("alice", { cell: cell.id })
      expect(first.previous).toEqual(Option.none())
      expect(first.handoff).toBeNull()
      expect(first.session).toMatchObject({ agent: "alice", cell: cell.id, endedAt: null })
      // starting again while running returns the same session
      expect((yield* sessions.start("alice")).session.id).toBe(first.session.id)
      expect(Option.map(yield* sessions.current("alice"), (s) => s.id)).toEqual(Option.some(first.session.id))
      yield* tick()
      const ended = yield* sessions.end("alice", { handoff: "parser half done; see notes" })
      expect(Option.map(ended, (s) => s.handoff)).toEqual(Option.some("parser half done; see notes"))
      expect(yield* sessions.current("alice")).toEqual(Option.none())
      expect(yield* sessions.end("alice")).toEqual(Option.none())
      yield* tick()
      const second = yield* sessions.start("alice")
      expect(second.handoff).toBe("parser half done; see notes")
      expect(Option.map(second.previous, (s) => s.id)).toEqual(Option.some(first.session.id))
      yield* sessions.start("bob")
      expect((yield* sessions.history({ agent: "alice" })).map((s) => s.id)).toEqual([second.session.id, first.session.id])
      expect(yield* sessions.history({ limit: 1 })).toHaveLength(1)
      expect((yield* Effect.flip(sessions.start("")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(sessions.start("carol", { cell: "hv-none" })))._tag).toBe("CellNotFound")
    }).pipe(Effect.provide(hiveLayer(backend))))
})
