import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive } from "../src/index.js"
import { hiveLayer, ids, startClock, tick } from "./fixtures/hive.js"

const HOUR = 60 * 60 * 1000

describe.each(backends)("Hive ready queue and claims on $name", (backend) => {
  it.scoped("priority order puts P0 first, then the oldest; closed, in-progress and blocked cells are left out", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const p3 = yield* hive.create({ title: "p3", priority: 3 })
      yield* tick()
      const p0 = yield* hive.create({ title: "p0", priority: 0 })
      yield* tick()
      const p2old = yield* hive.create({ title: "p2 old" })
      yield* tick()
      const p1 = yield* hive.create({ title: "p1", priority: 1 })
      yield* tick()
      const p2new = yield* hive.create({ title: "p2 new" })
      const closed = yield* hive.create({ title: "closed", priority: 0 })
      yield* hive.close(closed.id, { reason: "x" })
      const started = yield* hive.create({ title: "started", priority: 0 })
      yield* hive.start(started.id, "zed")
      const manual = yield* hive.create({ title: "manually blocked", priority: 0 })
      yield* hive.update(manual.id, { status: "blocked" })
      expect(ids(yield* hive.ready())).toEqual([p0.id, p1.id, p2old.id, p2new.id, p3.id])
      expect(ids(yield* hive.ready({ limit: 2 }))).toEqual([p0.id, p1.id])
      expect(ids(yield* hive.ready({ sort: "oldest" }))).toEqual([p3.id, p0.id, p2old.id, p1.id, p2new.id])
      expect(ids(yield* hive.ready({ includeInProgress: true, limit: 2 }))).toEqual([p0.id, started.id])
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("hybrid order: cells from the last 48 hours by priority, then older ones by age", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const old3 = yield* hive.create({ title: "old p3", priority: 3 })
      yield* tick(HOUR)
      const old0 = yield* hive.create({ title: "old p0", priority: 0 })
      yield* tick(72 * HOUR)
      const new2 = yield* hive.create({ title: "new p2" })
      yield* tick(HOUR)
      const new1 = yield* hive.create({ title: "new p1", priority: 1 })
      expect(ids(yield* hive.ready({ sort: "hybrid" }))).toEqual([new1.id, new2.id, old3.id, old0.id])
      expect(ids(yield* hive.ready({ sort: "hybrid", limit: 3 }))).toEqual([new1.id, new2.id, old3.id])
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("filters: assignee, unassigned, type, label", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const mine = yield* hive.create({ title: "mine", assignee: "alice", labels: ["ui"] })
      const theirs = yield* hive.create({ title: "theirs", assignee: "bob", type: "bug" })
      const free = yield* hive.create({ title: "free", labels: ["ui"] })
      expect(ids(yield* hive.ready({ assignee: "alice" }))).toEqual([mine.id])
      expect(ids(yield* hive.ready({ unassigned: true }))).toEqual([free.id])
      expect(ids(yield* hive.ready({ type: "bug" }))).toEqual([theirs.id])
      expect(ids(yield* hive.ready({ label: "ui" })).sort()).toEqual([mine.id, free.id].sort())
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("claim is compare-and-set: the holder may claim again, anyone else gets CellAlreadyClaimed", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const store = yield* EventStore
      const cell = yield* hive.create({ title: "contested" })
      const won = yield* hive.claim(cell.id, "alice")
      expect(won).toMatchObject({ status: "in_progress", assignee: "alice" })
      const head = yield* store.head
      expect((yield* hive.claim(cell.id, "alice")).assignee).toBe("alice")
      expect(yield* store.head).toBe(head)
      expect(yield* Effect.flip(hive.claim(cell.id, "bob"))).toMatchObject({ _tag: "CellAlreadyClaimed", id: cell.id, holder: "alice" })
      const assigned = yield* hive.create({ title: "pre-assigned", assignee: "carol" })
      expect(yield* Effect.flip(hive.claim(assigned.id, "bob"))).toMatchObject({ _tag: "CellAlreadyClaimed", holder: "carol" })
      expect((yield* hive.claim(assigned.id, "carol")).status).toBe("in_progress")
      yield* hive.close(cell.id, { reason: "done" })
      expect(yield* Effect.flip(hive.claim(cell.id, "alice"))).toMatchObject({ _tag: "InvalidTransition" })
      const blocker = yield* hive.create({ title: "blocker" })
      const blocked = yield* hive.create({ title: "blocked" })
      yield* hive.addDependency(blocked.id, blocker.id)
      expect(yield* Effect.flip(hive.claim(blocked.id, "alice"))).toMatchObject({ _tag: "CellBlocked", blockers: [blocker.id] })
      expect(yield* Effect.flip(hive.claim("hv-nope", "alice"))).toMatchObject({ _tag: "CellNotFound" })
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("claimNext takes the first ready cell (unassigned or the agent's own), concurrent claimers never share one", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const low = yield* hive.create({ title: "low", priority: 3 })
      yield* tick()
      const urgent = yield* hive.create({ title: "urgent", priority: 0 })
      const others = yield* hive.create({ title: "someone else's", priority: 0, assignee: "bob" })
      const first = yield* hive.claimNext("alice")
      expect(Option.map(first, (c) => [c.id, c.status, c.assignee])).toEqual(Option.some([urgent.id, "in_progress", "alice"]))
      expect(Option.map(yield* hive.claimNext("alice", { type: "bug" }), (c) => c.id)).toEqual(Option.none())
      expect(Option.map(yield* hive.claimNext("alice"), (c) => c.id)).toEqual(Option.some(low.id))
      expect(yield* hive.claimNext("alice")).toEqual(Option.none())
      expect(Option.map(yield* hive.claimNext("bob"), (c) => c.id)).toEqual(Option.some(others.id))
      // epics are containers: claimNext skips them unless asked for one
      const epic = yield* hive.create({ title: "an epic", type: "epic", priority: 0 })
      expect(yield* hive.claimNext("carol")).toEqual(Option.none())
      expect(Option.map(yield* hive.claimNext("carol", { type: "epic" }), (c) => c.id)).toEqual(Option.some(epic.id))

      const pool = yield* Effect.forEach(Array.from({ length: 20 }, (_, i) => i), (i) => hive.create({ title: `pool ${i}` }))
      const agents = Array.from({ length: 8 }, (_, i) => `agent-${i}`)
      const loop = (agent: string) =>
        Effect.gen(function*() {
          const got: Array<string> = []
          while (true) {
            const next = yield* hive.claimNext(agent)
            if (Option.isNone(next)) return got
            expect(next.value.assignee).toBe(agent)
            got.push(next.value.id)
          }
        })
      const results = yield* Effect.forEach(agents, loop, { concurrency: "unbounded" })
      const claimed = results.flat()
      expect(claimed.sort()).toEqual(ids(pool).sort())
      for (const [i, agent] of agents.entries()) {
        for (const id of results[i]!) expect((yield* hive.get(id)).assignee).toBe(agent)
      }
    }).pipe(Effect.provide(hiveLayer(backend))))
})
