import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive, HiveSessions } from "../src/index.js"
import { hiveLayer, snapshotTables, startClock, tick } from "./fixtures/hive.js"

/** A small deterministic generator, so that a failure replays. */
const lcg = (seed: number) => {
  let state = seed >>> 0
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % n
  }
}

describe.each(backends)("Hive projections on $name", (backend) => {
  it.scoped("a random mix of operations rebuilds to identical tables", () =>
    Effect.gen(function*() {
      yield* startClock
      const hive = yield* Hive
      const sessions = yield* HiveSessions
      const store = yield* EventStore
      const pick = lcg(7)
      const live: Array<string> = []
      const epics: Array<string> = []
      const choose = () => live[pick(live.length)]!
      let expectedFailures = 0
      for (let step = 0; step < 160; step++) {
        yield* tick(pick(5000))
        const op = live.length < 4 ? 0 : pick(13)
        const attempt = (() => {
          switch (op) {
            case 0:
              return Effect.map(hive.create({ title: `cell ${step}`, priority: pick(4), labels: pick(2) === 0 ? ["x"] : [] }), (c) => {
                live.push(c.id)
              })
            case 1:
              return Effect.map(
                hive.createEpic({ title: `epic ${step}`, subtasks: [{ title: "a" }, { title: "b", blockedBy: [0] }] }),
                ({ epic, subtasks }) => {
                  epics.push(epic.id)
                  live.push(epic.id, ...subtasks.map((s) => s.id))
                }
              )
            case 2:
              return hive.addDependency(choose(), choose(), pick(3) === 0 ? "related" : "blocks")
            case 3:
              return hive.removeDependency(choose(), choose())
            case 4:
              return hive.close(choose(), { reason: `r${step}` })
            case 5:
              return hive.reopen(choose())
            case 6:
              return hive.claim(choose(), `agent-${pick(3)}`)
            case 7:
              return hive.claimNext(`agent-${pick(3)}`)
            case 8:
              return hive.update(choose(), { priority: pick(4), title: `renamed ${step}` })
            case 9:
              return hive.comment(choose(), { author: "a", body: `note ${step}` })
            case 10:
              return hive.label(choose(), { add: [`l${pick(3)}`], remove: ["x"] })
            case 11: {
              const id = choose()
              return Effect.map(hive.delete(id), () => void live.splice(live.indexOf(id), 1))
            }
            default:
              return epics.length === 0 ? sessions.start(`agent-${pick(3)}`) : hive.update(choose(), { parent: epics[pick(epics.length)]! })
          }
        })()
        // Many random operations are refused (cycles, closed cells, ...): that is part of the mix.
        const result = yield* Effect.either(attempt as Effect.Effect<unknown, { readonly _tag: string }>)
        if (result._tag === "Left") {
          expect(["InvalidTransition", "CellBlocked", "CellAlreadyClaimed", "DependencyCycle", "SelfDependency", "NotAnEpic", "CellNotFound"])
            .toContain(result.left._tag)
          expectedFailures++
        }
      }
      yield* sessions.end("agent-0", { handoff: "bye" })
      const before = yield* snapshotTables
      expect(before.cells.length).toBeGreaterThan(20)
      expect(before.deps.length).toBeGreaterThan(3)
      expect(expectedFailures).toBeGreaterThan(0)
      const report = yield* store.rebuildProjections()
      expect(report.projections).toEqual(["hive_cells", "hive_sessions"])
      expect(yield* snapshotTables).toEqual(before)
    }).pipe(Effect.provide(hiveLayer(backend))), 120_000)
})
