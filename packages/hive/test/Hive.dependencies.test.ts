import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive } from "../src/index.js"
import { hiveLayer, ids, snapshotTables, startClock, tick } from "./fixtures/hive.js"

const readyIds = Effect.flatMap(Hive, (h) => Effect.map(h.ready({ limit: 100 }), ids))

describe.each(backends)("Hive dependencies on $name", (backend) => {
  it.scoped("a blocks dependency holds a cell out of the ready queue until its blocker closes", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const a = yield* hive.create({ title: "a" })
      const b = yield* hive.create({ title: "b" })
      const linked = yield* hive.addDependency(a.id, b.id)
      expect(linked.dependencies.map((d) => [d.id, d.kind])).toEqual([[b.id, "blocks"]])
      expect(linked.blocked).toBe(true)
      expect((yield* hive.get(b.id)).dependents.map((d) => d.id)).toEqual([a.id])
      expect(yield* readyIds).toEqual([b.id])
      const cannot = yield* Effect.flip(hive.start(a.id))
      expect(cannot).toMatchObject({ _tag: "CellBlocked", id: a.id, blockers: [b.id] })
      yield* hive.close(b.id, { reason: "done" })
      expect(yield* readyIds).toEqual([a.id])
      yield* hive.reopen(b.id)
      expect((yield* readyIds).sort()).toEqual([b.id])
      yield* hive.delete(b.id)
      expect(yield* readyIds).toEqual([a.id])
      expect((yield* hive.get(a.id)).blocked).toBe(false)
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("removing the dependency unblocks; adding it twice is idempotent", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const a = yield* hive.create({ title: "a" })
      const b = yield* hive.create({ title: "b" })
      yield* hive.addDependency(a.id, b.id)
      const store = yield* EventStore
      const head = yield* store.head
      yield* hive.addDependency(a.id, b.id)
      expect(yield* store.head).toBe(head)
      const removed = yield* hive.removeDependency(a.id, b.id)
      expect(removed.dependencies).toEqual([])
      expect((yield* readyIds).sort()).toEqual([a.id, b.id].sort())
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("blocking is transitive along blocks chains and flows from a blocked epic to its children", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const c = yield* hive.create({ title: "c" })
      const b = yield* hive.create({ title: "b" })
      const a = yield* hive.create({ title: "a" })
      yield* hive.addDependency(b.id, c.id)
      yield* hive.addDependency(a.id, b.id)
      expect(yield* readyIds).toEqual([c.id])
      const { epic, subtasks } = yield* hive.createEpic({ title: "E", subtasks: [{ title: "e1" }, { title: "e2" }] })
      expect((yield* readyIds).sort()).toEqual([c.id, epic.id, ...ids(subtasks)].sort())
      // the epic waits for c: so do its children, without links of their own
      yield* hive.addDependency(epic.id, c.id)
      expect(yield* readyIds).toEqual([c.id])
      const nested = yield* hive.create({ title: "nested epic", type: "epic", parent: epic.id })
      const deep = yield* hive.create({ title: "deep", parent: nested.id })
      expect(deep.blocked).toBe(true)
      yield* hive.close(c.id, { reason: "done" })
      expect((yield* readyIds).sort()).toEqual([b.id, epic.id, ...ids(subtasks), nested.id, deep.id].sort())
      yield* hive.reopen(c.id)
      expect(yield* readyIds).toEqual([c.id])
      // moving a cell out of the blocked epic frees it
      yield* hive.update(deep.id, { parent: null })
      expect((yield* readyIds).sort()).toEqual([c.id, deep.id].sort())
      // deleting the blocker frees the whole tree
      yield* hive.delete(c.id)
      expect((yield* readyIds).sort()).toEqual([b.id, epic.id, ...ids(subtasks), nested.id, deep.id].sort())
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("self-dependencies and cycles, direct or transitive, are rejected and change nothing", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const a = yield* hive.create({ title: "a" })
      const b = yield* hive.create({ title: "b" })
      const c = yield* hive.create({ title: "c" })
      expect(yield* Effect.flip(hive.addDependency(a.id, a.id))).toMatchObject({ _tag: "SelfDependency", id: a.id })
      yield* hive.addDependency(a.id, b.id)
      yield* hive.addDependency(b.id, c.id)
      const before = yield* snapshotTables
      expect(yield* Effect.flip(hive.addDependency(b.id, a.id))).toMatchObject({ _tag: "DependencyCycle", path: [b.id, a.id, b.id] })
      expect(yield* Effect.flip(hive.addDependency(c.id, a.id))).toMatchObject({
        _tag: "DependencyCycle",
        path: [c.id, a.id, b.id, c.id]
      })
      expect(yield* snapshotTables).toEqual(before)
      // non-blocking kinds may point back
      yield* hive.addDependency(c.id, a.id, "related")
      yield* hive.addDependency(c.id, a.id, "discovered-from")
      expect((yield* hive.get(c.id)).dependencies.map((d) => d.kind)).toEqual(["discovered-from", "related"])
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("an epic cannot wait for its own subtree, nor become a descendant of itself", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const { epic, subtasks } = yield* hive.createEpic({ title: "E", subtasks: [{ title: "1" }, { title: "2" }] })
      const child = subtasks[0]!
      expect(yield* Effect.flip(hive.addDependency(epic.id, child.id))).toMatchObject({
        _tag: "DependencyCycle",
        path: [epic.id, child.id, epic.id]
      })
      const inner = yield* hive.create({ title: "inner", type: "epic", parent: epic.id })
      expect(yield* Effect.flip(hive.update(epic.id, { parent: inner.id }))).toMatchObject({ _tag: "DependencyCycle" })
      expect(yield* Effect.flip(hive.update(epic.id, { parent: epic.id }))).toMatchObject({ _tag: "SelfDependency" })
      // a child may wait for its epic; siblings may wait for each other
      yield* hive.addDependency(subtasks[1]!.id, child.id)
      yield* hive.addDependency(child.id, epic.id)
      expect((yield* hive.get(child.id)).blocked).toBe(true)
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("parent-child dependencies set and clear the parent; the parent must be an epic", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const epic = yield* hive.create({ title: "E", type: "epic" })
      const task = yield* hive.create({ title: "t" })
      const other = yield* hive.create({ title: "o" })
      expect(yield* Effect.flip(hive.addDependency(task.id, other.id, "parent-child"))).toMatchObject({ _tag: "NotAnEpic", id: other.id })
      expect((yield* hive.addDependency(task.id, epic.id, "parent-child")).parent).toBe(epic.id)
      expect((yield* hive.epicProgress(epic.id)).total).toBe(1)
      expect((yield* hive.removeDependency(task.id, epic.id, "parent-child")).parent).toBeNull()
      expect((yield* hive.epicProgress(epic.id)).total).toBe(0)
      yield* tick()
    }).pipe(Effect.provide(hiveLayer(backend))))
})
