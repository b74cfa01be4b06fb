import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive } from "../src/index.js"
import { hiveLayer, snapshotTables, startClock, tick } from "./fixtures/hive.js"

describe.each(backends)("Hive lifecycle on $name", (backend) => {
  it.scoped("create fills defaults; start, close, reopen move the status; closed ⇔ closed_at", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const cell = yield* hive.create({ title: "Write the parser" })
      expect(cell).toMatchObject({
        title: "Write the parser",
        description: "",
        type: "task",
        status: "open",
        priority: 2,
        assignee: null,
        labels: [],
        files: [],
        parent: null,
        closedAt: null,
        deletedAt: null,
        blocked: false
      })
      expect(cell.id).toMatch(/^hv-[0-9a-z]{4}$/)
      yield* tick()
      const started = yield* hive.start(cell.id, "alice")
      expect(started).toMatchObject({ status: "in_progress", assignee: "alice" })
      expect(started.updatedAt).toBeGreaterThan(cell.updatedAt)
      yield* tick()
      const closed = yield* hive.close(cell.id, { reason: "done", result: "parser in src/parse.ts" })
      expect(closed).toMatchObject({ status: "closed", closedReason: "done", result: "parser in src/parse.ts" })
      expect(closed.closedAt).toBe(closed.updatedAt)
      const again = yield* Effect.flip(hive.close(cell.id, { reason: "twice" }))
      expect(again).toMatchObject({ _tag: "InvalidTransition", id: cell.id, status: "closed" })
      const reopened = yield* hive.reopen(cell.id)
      expect(reopened).toMatchObject({ status: "open", closedAt: null, closedReason: null, result: null })
      const notClosed = yield* Effect.flip(hive.reopen(cell.id))
      expect(notClosed._tag).toBe("InvalidTransition")
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("update changes only the given fields; comments and labels are kept with the cell", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const cell = yield* hive.create({ title: "t", description: "d", priority: 1, labels: ["b", "a", "a"], files: ["src/x.ts"] })
      expect(cell.labels).toEqual(["a", "b"])
      const updated = yield* hive.update(cell.id, { title: "t2", assignee: "bob", type: "bug" })
      expect(updated).toMatchObject({ title: "t2", description: "d", priority: 1, assignee: "bob", type: "bug", files: ["src/x.ts"] })
      const unassigned = yield* hive.update(cell.id, { assignee: null, status: "blocked" })
      expect(unassigned).toMatchObject({ assignee: null, status: "blocked" })
      const c1 = yield* hive.comment(cell.id, { author: "alice", body: "first" })
      yield* tick()
      const c2 = yield* hive.comment(cell.id, { author: "bob", body: "second" })
      const labeled = yield* hive.label(cell.id, { add: ["c"], remove: ["a"] })
      expect(labeled.labels).toEqual(["b", "c"])
      const got = yield* hive.get(cell.id)
      expect(got.comments.map((c) => [c.id, c.author, c.body])).toEqual([[c1.id, "alice", "first"], [c2.id, "bob", "second"]])
      const cannotClose = yield* Effect.flip(hive.update(cell.id, { status: "closed" as never }))
      expect(cannotClose._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("bad input is InvalidInput naming the fields, and nothing changes", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const store = yield* EventStore
      const existing = yield* hive.create({ title: "keep" })
      const before = yield* snapshotTables
      const head = yield* store.head
      const cases: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }>> = [
        hive.create({ title: "" }),
        hive.create({ title: "x".repeat(501) }),
        hive.create({ title: "ok", priority: 4 }),
        hive.create({ title: "ok", priority: -1 }),
        hive.create({ title: "ok", type: "story" as never }),
        hive.create({ title: "nul\u0000byte" }),
        hive.create({ title: "ok", extra: 1 } as never),
        hive.update(existing.id, { priority: 1.5 }),
        hive.close(existing.id, { reason: "" }),
        hive.comment(existing.id, { author: " ", body: "x" }),
        hive.label(existing.id, { add: [""] }),
        hive.ready({ limit: 0 }),
        hive.query({ status: "done" as never }),
        hive.claim(existing.id, ""),
        hive.addDependency(existing.id, existing.id, "blocks-ish" as never)
      ]
      for (const attempt of cases) {
        const error = yield* Effect.flip(attempt)
        expect(error._tag).toBe("InvalidInput")
      }
      const bad = yield* Effect.flip(hive.create({ title: "", priority: 9 }))
      if (bad._tag === "InvalidInput") expect([...new Set(bad.issues.map((i) => i.path))].sort()).toEqual(["priority", "title"])
      expect(yield* store.head).toBe(head)
      expect(yield* snapshotTables).toEqual(before)
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("delete leaves a tombstone: hidden from get and queries, still readable with includeDeleted", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const cell = yield* hive.create({ title: "gone soon" })
      yield* hive.delete(cell.id)
      expect((yield* Effect.flip(hive.get(cell.id)))._tag).toBe("CellNotFound")
      expect((yield* Effect.flip(hive.close(cell.id, { reason: "x" })))._tag).toBe("CellNotFound")
      expect(yield* hive.query()).toEqual([])
      const tomb = yield* hive.get(cell.id, { includeDeleted: true })
      expect(tomb.deletedAt).not.toBeNull()
      expect((yield* hive.query({ includeDeleted: true })).map((c) => c.id)).toEqual([cell.id])
    }).pipe(Effect.provide(hiveLayer(backend))))
})
