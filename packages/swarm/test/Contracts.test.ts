import { describe, expect, it } from "@effect/vitest"
import { Effect, JSONSchema, Schema } from "effect"
import { EventStore, Project, statement, Storage } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Swarm, SwarmOutputs, SwarmTools } from "@waggle/swarm"
import type { SwarmService } from "@waggle/swarm"
import { TABLES } from "../src/internal/projection.js"
import { epicWith, head, swarmLayer } from "./support/layers.js"

const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const out: Record<string, ReadonlyArray<unknown>> = {}
  for (const table of TABLES) {
    out[table] = yield* storage.query(statement(`SELECT * FROM ${table} WHERE project = ? ORDER BY 1, 2, 3`, [store.project]))
  }
  return out
})

/** Calls that are each wrong in one way, with the path the error must name. */
const badCalls: ReadonlyArray<readonly [keyof SwarmService, unknown, string]> = [
  ["decompose", {}, "task"],
  ["decompose", { task: "x", max_subtasks: 0 }, "max_subtasks"],
  ["decompose", { task: "x", surprise: true }, "surprise"],
  ["validateDecomposition", { response: 42 }, "response"],
  ["spawnSubtask", { agent_name: "w1" }, "cell_id"],
  ["spawnSubtask", { cell_id: "t-1", bead_id: "t-1", agent_name: "w1" }, "cell_id"],
  ["spawnSubtask", { cell_id: "t-1", agent_name: " " }, "agent_name"],
  ["progress", { cell_id: "t-1", agent_name: "w1", status: "done" }, "status"],
  ["progress", { cell_id: "t-1", agent_name: "w1", status: "in_progress", progress_percent: 150 }, "progress_percent"],
  ["checkpoint", { cell_id: "t-1", agent_name: "w1", next_steps: "one" }, "next_steps"],
  ["recover", { cell_id: "t-1", epic_id: "t-2" }, "cell_id"],
  ["status", {}, "epic_id"],
  ["complete", { cell_id: "t-1", agent_name: "w1", summary: "" }, "summary"],
  ["complete", { cell_id: "t-1", agent_name: "w1", summary: "s", verification_commands: "npm test" }, "verification_commands"],
  ["complete", { cell_id: "t-1", agent_name: "w1", summary: "s", learnings: ["a\u0000b"] }, "learnings[0]"],
  ["recordOutcome", { cell_id: "t-1" }, "success"],
  ["recordOutcome", { cell_id: "t-1", success: true, error_count: -1 }, "error_count"],
  ["review", { task_id: "t-1", files_touched: [""] }, "files_touched[0]"],
  ["reviewFeedback", { cell_id: "t-1", status: "rejected" }, "status"],
  ["insights", { task: "" }, "task"],
  ["awaitSubtask", { cell_id: "t-1", timeout_ms: -5 }, "timeout_ms"],
  ["decompose", { task: "x", project_key: "/some/other/project" }, "project_key"]
]

describe.each(backends)("Swarm contracts on $name", (backend) => {
  it.scoped("bad input is InvalidInput naming the field, and nothing changes", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { subtasks } = yield* epicWith({ title: "E", subtasks: [{ title: "S", files: ["src/s.ts"] }] })
      yield* swarm.spawnSubtask({ cell_id: subtasks[0]!.id, agent_name: "w1" })
      const before = yield* head
      const tables = yield* snapshot
      for (const [method, input, path] of badCalls) {
        const error = yield* Effect.flip((swarm[method] as (i: unknown) => Effect.Effect<unknown, { _tag: string }>)(input))
        expect([method, error._tag]).toEqual([method, "InvalidInput"])
        const paths = (error as unknown as { issues: ReadonlyArray<{ path: string }> }).issues.map((i) => i.path)
        expect({ method, paths }).toEqual({ method, paths: expect.arrayContaining([path]) })
      }
      expect(yield* head).toBe(before)
      expect(yield* snapshot).toEqual(tables)
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("project_key may name this project by key or root", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const project = yield* Project
      yield* swarm.insights({ task: "x", project_key: project.key })
      yield* swarm.insights({ task: "x", project_key: project.root })
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("every output matches its published schema and survives JSON; a projection rebuild reproduces the swarm tables", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const store = yield* EventStore
      const { epic, subtasks } = yield* epicWith({ title: "E", subtasks: [{ title: "S", files: ["src/s.ts"] }, { title: "T", files: ["src/t.ts"] }] })
      const [s, t] = subtasks.map((x) => x.id) as [string, string]
      const outputs: Array<readonly [Schema.Schema.Any, unknown]> = [
        [SwarmOutputs.Decompose, yield* swarm.decompose({ task: "Add quotas" })],
        [SwarmOutputs.ValidationReport, yield* swarm.validateDecomposition({ response: "{}" })],
        [SwarmOutputs.SpawnSubtask, yield* swarm.spawnSubtask({ cell_id: s, agent_name: "w1", create_deferred: true })],
        [SwarmOutputs.SpawnSubtask, yield* swarm.spawnSubtask({ cell_id: t, agent_name: "w2" })],
        [SwarmOutputs.Progress, yield* swarm.progress({ cell_id: s, agent_name: "w1", status: "in_progress", progress_percent: 50 })],
        [SwarmOutputs.Checkpoint, yield* swarm.checkpoint({ cell_id: s, agent_name: "w1", notes: "n" })],
        [SwarmOutputs.Recover, yield* swarm.recover({ cell_id: s })],
        [SwarmOutputs.Complete, yield* swarm.complete({ cell_id: s, agent_name: "w1", summary: "done", learnings: ["l"] })],
        [SwarmOutputs.AwaitSubtask, yield* swarm.awaitSubtask({ cell_id: s })],
        [SwarmOutputs.Review, yield* swarm.review({ cell_id: s })],
        [SwarmOutputs.ReviewFeedback, yield* swarm.reviewFeedback({ cell_id: s, status: "needs_changes", issues: [{ issue: "x" }] })],
        [SwarmOutputs.ReviewFeedback, yield* swarm.reviewFeedback({ cell_id: s, status: "approved" })],
        [SwarmOutputs.RecordOutcome, yield* swarm.recordOutcome({ cell_id: t, success: true })],
        [SwarmOutputs.Insights, yield* swarm.insights({ task: "Add quotas" })],
        [SwarmOutputs.Status, yield* swarm.status({ epic_id: epic.id })]
      ]
      for (const [schema, value] of outputs) {
        expect(Schema.is(schema as Schema.Schema<unknown>)(value)).toBe(true)
        expect(JSON.parse(JSON.stringify(value))).toEqual(value)
      }

      const before = yield* snapshot
      const report = yield* store.rebuildProjections(["swarm"])
      expect(report).toBeDefined()
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(swarmLayer(backend))))
})

describe("SwarmTools", () => {
  it("lists every Swarm method once, each with JSON Schemas for its input and output", () => {
    const methods = SwarmTools.tools.map((t) => t.method).sort()
    expect(methods).toEqual([...new Set(methods)])
    expect(SwarmTools.tools.map((t) => t.name)).toContain("swarm_complete")
    for (const tool of SwarmTools.tools) {
      const input = JSONSchema.make(tool.input) as { type?: string; properties?: Record<string, { description?: string }> }
      expect([tool.name, input.type]).toEqual([tool.name, "object"])
      for (const [name, property] of Object.entries(input.properties ?? {})) {
        expect([tool.name, name, typeof property.description]).toEqual([tool.name, name, "string"])
      }
      expect((JSONSchema.make(tool.output) as { type?: string }).type).toBe("object")
    }
  })
})
