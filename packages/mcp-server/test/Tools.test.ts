/**
 * Every tool, over MCP stdio with the real SDK client and a server child process: a valid call
 * (its result decodes with the tool's own output schema, and the client checked it against the
 * published outputSchema), then malformed calls (unknown field, wrong type, missing fields, huge
 * string) that must come back as tool errors naming the field, with the database unchanged.
 */
import { Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { allTools, findTool } from "../src/Registry.js"
import { openDumper } from "./support/dump.js"
import type { Dumper } from "./support/dump.js"
import { malformedArgs } from "./support/malformed.js"
import { call, connectStdio } from "./support/mcp.js"
import type { Connected } from "./support/mcp.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"

let project: TestProject
let server: Connected
let dumper: Dumper
let published: Map<string, Record<string, unknown>>
const ids: Record<string, string> = {}

beforeAll(async () => {
  project = makeProject()
  server = await connectStdio(project.dir, project.env)
  published = new Map((await server.client.listTools()).tools.map((t) => [t.name, t.inputSchema as Record<string, unknown>]))
  dumper = openDumper(project.dbUrl)
})

afterAll(async () => {
  await server?.close()
  await dumper?.close()
  project?.remove()
})

const decomposition = {
  epic: { title: "Greeting", description: "A greeting module" },
  subtasks: [
    { title: "Implement greet", files: ["src/greet.ts"], dependencies: [], estimated_complexity: 2 },
    { title: "Test greet", files: ["test/greet.test.ts"], dependencies: [0], estimated_complexity: 1 }
  ]
}

/** Each tool's valid arguments (a function: ids come from earlier steps), in the order they run. */
const steps: ReadonlyArray<readonly [string, () => Record<string, unknown>, ((value: any) => void)?]> = [
  ["swarmmail_init", () => ({ agent_name: "tester", task_description: "exercise every tool" }), (v) => expect(v.agent_name).toBe("tester")],
  ["swarmmail_health", () => ({}), (v) => expect(v).toMatchObject({ healthy: true, agent: "tester" })],
  ["hive_create", () => ({ title: "Task A", priority: 1, description: "first" }), (v) => (ids["a"] = v.id)],
  ["hive_create_epic", () => ({
    epic_title: "Epic",
    subtasks: [{ title: "S1", files: ["src/greet.ts"] }, { title: "S2", blocked_by: [0] }],
    strategy: "file-based"
  }), (v) => {
    ids["epic"] = v.epic.id
    ids["s1"] = v.subtasks[0].id
    ids["s2"] = v.subtasks[1].id
  }],
  ["hive_query", () => ({ status: "open" }), (v) => expect(v.cells.length).toBeGreaterThanOrEqual(3)],
  ["hive_cells", () => ({ id: ids["a"]! }), (v) => expect(v.cells[0]).toMatchObject({ id: ids["a"], description: "first" })],
  ["hive_ready", () => ({}), (v) => expect(v.cell).not.toBeNull()],
  ["hive_claim", () => ({ id: ids["a"]! }), (v) => expect(v.cell).toMatchObject({ assignee: "tester", status: "in_progress" })],
  ["hive_start", () => ({ id: ids["a"]! })],
  ["hive_update", () => ({ id: ids["a"]!, description: "changed", priority: 2 }), (v) => expect(v.priority).toBe(2)],
  ["hive_comment", () => ({ id: ids["a"]!, body: "a note" }), (v) => expect(v.cell_id).toBe(ids["a"])],
  ["hive_dep_add", () => ({ id: ids["s2"]!, depends_on: ids["a"]! }), (v) => expect(v.depends_on).toContainEqual({ id: ids["a"], kind: "blocks" })],
  ["hive_dep_remove", () => ({ id: ids["s2"]!, depends_on: ids["a"]! })],
  ["hive_close", () => ({ id: ids["a"]!, reason: "done" }), (v) => expect(v.status).toBe("closed")],
  ["hive_session_start", () => ({ cell_id: ids["s1"]! }), (v) => expect(v.agent).toBe("tester")],
  ["hive_session_end", () => ({ handoff: "next: S2" }), (v) => expect(v.ended).toBe(true)],
  ["swarmmail_send", () => ({ to: ["tester"], subject: "hello", body: "body text", importance: "high" }), (v) => (ids["msg"] = v.message_id)],
  ["swarmmail_inbox", () => ({ unread_only: true }), (v) => expect(v.messages.map((m: any) => m.id)).toContain(ids["msg"])],
  ["swarmmail_read_message", () => ({ message_id: ids["msg"]! }), (v) => expect(v.body).toBe("body text")],
  ["swarmmail_ack", () => ({ message_id: ids["msg"]! }), (v) => expect(v.acknowledged).toBe(true)],
  ["swarmmail_wait", () => ({ timeout_seconds: 0 }), (v) => expect(v.messages).toEqual([])],
  ["swarmmail_reserve", () => ({ paths: ["src/greet.ts"], reason: ids["s1"]! }), (v) => expect(v.granted[0].path).toBe("src/greet.ts")],
  ["swarmmail_release", () => ({ paths: ["src/greet.ts"] }), (v) => expect(v.released).toBe(1)],
  ["swarmmail_release_agent", () => ({ agent_name: "tester" })],
  ["swarmmail_release_all", () => ({})],
  ["hivemind_store", () => ({ information: "Greetings use template literals", tags: "greet,style", confidence: 0.9 }), (v) => (ids["mem"] = v.id)],
  ["hivemind_find", () => ({ query: "how are greetings written" }), (v) => expect(v.hits.map((h: any) => h.id)).toContain(ids["mem"])],
  ["hivemind_get", () => ({ id: ids["mem"]! }), (v) => expect(v.tags).toEqual(["greet", "style"])],
  ["hivemind_validate", () => ({ id: ids["mem"]! })],
  ["hivemind_upsert", () => ({ information: "Greetings are exported from src/index.ts", tags: ["greet"] })],
  ["hivemind_history", () => ({ id: ids["mem"]! }), (v) => expect(v.memories.length).toBeGreaterThanOrEqual(1)],
  ["hivemind_stats", () => ({}), (v) => expect(v.current).toBeGreaterThanOrEqual(2)],
  ["hivemind_sync", () => ({}), (v) => expect(v.written).toBe(true)],
  ["hivemind_reembed", () => ({ force: true }), (v) => expect(v.reembedded).toBeGreaterThanOrEqual(2)],
  ["swarm_insights", () => ({ task: "Add a greeting module" }), (v) => expect(v.strategy.name).toBeTypeOf("string")],
  ["swarm_decompose", () => ({ task: "Add a greeting module" }), (v) => expect(v.prompt).toContain("Add a greeting module")],
  ["swarm_validate_decomposition", () => ({ response: decomposition, strategy: "file-based" }), (v) => expect(v.valid).toBe(true)],
  ["swarm_spawn_subtask", () => ({ cell_id: ids["s1"]!, epic_id: ids["epic"]!, agent_name: "tester" }), (v) =>
    expect(v.prompt).toContain("swarmmail_reserve")],
  ["swarm_progress", () => ({ cell_id: ids["s1"]!, status: "in_progress", progress_percent: 50, message: "half" })],
  ["swarm_checkpoint", () => ({ cell_id: ids["s1"]!, notes: "state", next_steps: ["finish"] })],
  ["swarm_recover", () => ({ cell_id: ids["s1"]! }), (v) => expect(v.found).toBe(true)],
  ["swarm_status", () => ({ epic_id: ids["epic"]! }), (v) => expect(v.total).toBe(2)],
  ["swarm_complete", () => ({ cell_id: ids["s1"]!, summary: "implemented", files_touched: ["src/greet.ts"], skip_verification: true }), (v) =>
    expect(v.cell_status).toBe("closed")],
  ["swarm_review", () => ({ cell_id: ids["s1"]! }), (v) => expect(v.prompt.length).toBeGreaterThan(0)],
  ["swarm_review_feedback", () => ({ cell_id: ids["s1"]!, status: "approved" }), (v) => expect(v.status).toBe("approved")],
  ["swarm_record_outcome", () => ({ cell_id: ids["s1"]!, success: true, duration_ms: 1000 })],
  ["swarm_await", () => ({ cell_id: ids["s2"]!, timeout_ms: 60_000 }), (v) => expect(v.cell_id).toBe(ids["s2"])],
  ["hivemind_remove", () => ({ id: ids["mem"]! }), (v) => expect(v.removed).toBe(ids["mem"])],
  ["hive_sync", () => ({ message: "test sync" }), (v) => expect(v.pushed).toBe(true)]
]

/** Before `swarm_await`: s2 spawned with a deferred and completed, so there is something to await. */
const beforeStep: Record<string, () => Promise<void>> = {
  swarm_await: async () => {
    for (const [name, args] of [
      ["swarm_spawn_subtask", { cell_id: ids["s2"], epic_id: ids["epic"], agent_name: "tester", create_deferred: true }],
      ["swarm_complete", { cell_id: ids["s2"], summary: "tested", skip_verification: true }]
    ] as const) {
      const outcome = await call(server.client, name, args)
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true)
    }
  }
}

describe("every tool over MCP stdio", () => {
  it("the steps cover every tool of the registry", () => {
    expect(new Set(steps.map(([name]) => name))).toEqual(new Set(allTools().map((t) => t.name)))
    expect([...published.keys()].sort()).toEqual(allTools().map((t) => t.name).sort())
  })

  for (const [name, args, check] of steps) {
    it(`${name}: a valid call matches its output schema; malformed calls are tool errors and change nothing`, async () => {
      await beforeStep[name]?.()
      const valid = args()
      const before = await dumper.dump()
      for (const bad of malformedArgs(published.get(name)!, valid)) {
        const outcome = await call(server.client, name, bad.args)
        expect(outcome.ok, `${name} with ${bad.label}`).toBe(false)
        if (!outcome.ok) {
          expect(["ValidationError", "InvalidInput"], `${name} with ${bad.label}: ${JSON.stringify(outcome.error)}`).toContain(outcome.error.error)
          expect(outcome.error.message.length).toBeLessThan(3000)
          if (outcome.error.error === "ValidationError") expect(outcome.error.issues.length).toBeGreaterThan(0)
        }
      }
      expect(await dumper.dump(), `${name}: malformed calls changed the database`).toBe(before)

      const outcome = await call(server.client, name, valid)
      if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`)
      const output = findTool(name)!.entry.route.output as Schema.Schema<unknown, unknown, never>
      const decoded = Schema.decodeUnknownEither(output, { onExcessProperty: "error" })(outcome.value)
      expect(Either.isRight(decoded), `${name} output: ${JSON.stringify(outcome.value).slice(0, 500)}`).toBe(true)
      expect(outcome.text.length).toBeGreaterThan(0)
      check?.(outcome.value)
    })
  }

  it("the server wrote nothing but protocol to stdout and no errors to stderr", () => {
    expect(server.stderr()).not.toMatch(/Error|failed/i)
  })
})
