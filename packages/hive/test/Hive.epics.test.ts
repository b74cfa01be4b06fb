import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive } from "../src/index.js"
import { hiveLayer, ids, snapshotTables, startClock, tick } from "./fixtures/hive.js"

describe.each(backends)("Hive epics and queries on $name", (backend) => {
  it.scoped("createEpic makes the epic and its subtasks in input order with their blocks links", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const external = yield* hive.create({ title: "design review" })
      const { epic, subtasks } = yield* hive.createEpic({
        title: "Ship search",
        description: "full-text search",
        priority: 1,
        labels: ["search"],
        subtasks: [
          { title: "schema", priority: 0 },
          { title: "indexer", blockedBy: [0] },
          { title: "api", blockedBy: [0, 1], files: ["src/api.ts"] },
          { title: "docs", type: "chore", blockedBy: [external.id] }
        ]
      })
      expect(epic).toMatchObject({ type: "epic", priority: 1, labels: ["search"], parent: null })
      expect(subtasks.map((s) => [s.title, s.parent, s.id])).toEqual(
        ["schema", "indexer", "api", "docs"].map((t, i) => [t, epic.id, `${epic.id}.${i + 1}`])
      )
      expect(subtasks[2]!.dependencies.map((d) => d.id)).toEqual([subtasks[0]!.id, subtasks[1]!.id])
      expect(subtasks[3]!.dependencies.map((d) => d.id)).toEqual([external.id])
      expect(subtasks.map((s) => s.blocked)).toEqual([false, true, true, true])
      expect(ids(yield* hive.ready()).sort()).toEqual([external.id, epic.id, subtasks[0]!.id].sort())
      expect(ids(yield* hive.query({ parent: epic.id, sort: "id" }))).toEqual(ids(subtasks))
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("a createEpic that fails midway leaves nothing behind", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const store = yield* EventStore
      yield* hive.create({ title: "existing" })
      const before = yield* snapshotTables
      const head = yield* store.head
      // the third subtask names a cell that does not exist: found only after the epic and two subtasks were written
      const missing = yield* Effect.flip(hive.createEpic({
        title: "E",
        subtasks: [{ title: "a" }, { title: "b", blockedBy: [0] }, { title: "c", blockedBy: ["hv-nothere"] }]
      }))
      expect(missing).toMatchObject({ _tag: "CellNotFound", id: "hv-nothere" })
      // a cycle between subtasks is found after all of them were written
      const cycle = yield* Effect.flip(hive.createEpic({
        title: "E",
        subtasks: [{ title: "a", blockedBy: [2] }, { title: "b", blockedBy: [0] }, { title: "c", blockedBy: [1] }]
      }))
      expect(cycle._tag).toBe("DependencyCycle")
      const badIndex = yield* Effect.flip(hive.createEpic({ title: "E", subtasks: [{ title: "a", blockedBy: [1] }] }))
      expect(badIndex._tag).toBe("InvalidInput")
      const selfIndex = yield* Effect.flip(hive.createEpic({ title: "E", subtasks: [{ title: "a", blockedBy: [0] }] }))
      expect(selfIndex._tag).toBe("InvalidInput")
      expect(yield* store.head).toBe(head)
      expect(yield* snapshotTables).toEqual(before)
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("epic progress counts children by status; closure-eligible when all are closed and there is one", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const empty = yield* hive.create({ title: "empty", type: "epic" })
      expect(yield* hive.epicProgress(empty.id)).toEqual({
        id: empty.id,
        total: 0,
        byStatus: { open: 0, in_progress: 0, blocked: 0, closed: 0 },
        closureEligible: false
      })
      const { epic, subtasks } = yield* hive.createEpic({ title: "E", subtasks: [{ title: "a" }, { title: "b" }, { title: "c" }] })
      yield* hive.start(subtasks[0]!.id, "alice")
      yield* hive.close(subtasks[1]!.id, { reason: "done" })
      expect(yield* hive.epicProgress(epic.id)).toMatchObject({
        total: 3,
        byStatus: { open: 1, in_progress: 1, blocked: 0, closed: 1 },
        closureEligible: false
      })
      yield* hive.close(subtasks[0]!.id, { reason: "done" })
      yield* hive.delete(subtasks[2]!.id)
      expect(yield* hive.epicProgress(epic.id)).toMatchObject({ total: 2, closureEligible: true })
      expect(yield* Effect.flip(hive.epicProgress(subtasks[0]!.id))).toMatchObject({ _tag: "NotAnEpic" })
      expect(yield* Effect.flip(hive.create({ title: "x", parent: subtasks[0]!.id }))).toMatchObject({ _tag: "NotAnEpic" })
      expect(yield* Effect.flip(hive.update(epic.id, { type: "task" }))).toMatchObject({ _tag: "InvalidTransition" })
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("query filters by status, type, parent, assignee, unassigned, label and text, with sort and limit", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const a = yield* hive.create({ title: "Fix login bug", type: "bug", priority: 0, assignee: "alice", labels: ["auth"] })
      yield* tick()
      const b = yield* hive.create({ title: "Add logout", description: "the LOGIN page needs it", labels: ["auth", "ui"] })
      yield* tick()
      const c = yield* hive.create({ title: "Refactor", priority: 3, assignee: "bob" })
      yield* hive.close(c.id, { reason: "done" })
      yield* tick()
      yield* hive.update(a.id, { title: "Fix the login bug" })
      expect(ids(yield* hive.query())).toEqual([a.id, b.id, c.id]) // every status, P0 first
      expect(ids(yield* hive.query({ status: ["open", "in_progress", "blocked"] }))).toEqual([a.id, b.id])
      expect(ids(yield* hive.query({ status: "closed" }))).toEqual([c.id])
      expect(ids(yield* hive.query({ status: ["open", "closed"], sort: "created" }))).toEqual([a.id, b.id, c.id])
      expect(ids(yield* hive.query({ type: "bug" }))).toEqual([a.id])
      expect(ids(yield* hive.query({ assignee: "bob", status: "closed" }))).toEqual([c.id])
      expect(ids(yield* hive.query({ unassigned: true }))).toEqual([b.id])
      expect(ids(yield* hive.query({ label: "auth" }))).toEqual([a.id, b.id])
      expect(ids(yield* hive.query({ text: "login" }))).toEqual([a.id, b.id])
      expect(ids(yield* hive.query({ sort: "updated", status: ["open", "closed"] }))).toEqual([a.id, c.id, b.id])
      expect(ids(yield* hive.query({ limit: 1 }))).toEqual([a.id])
    }).pipe(Effect.provide(hiveLayer(backend))))
})
