/** The registry: the tool names the brief and the plugin use, profiles, and the published schemas. */
import { Effect, Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { memorableName } from "../src/internal/agents/names.js"
import { renderText } from "../src/internal/render.js"
import { PROFILES, Profiles } from "../src/Profiles.js"
import { allTools, callToolByName, findTool, listed, listingSize, toolsOf } from "../src/Registry.js"
import { makeSession } from "../src/ToolContext.js"
import { failureOf } from "../src/ToolFailure.js"

const NAMES = {
  hive: [
    "hive_create", "hive_create_epic", "hive_query", "hive_cells", "hive_ready", "hive_claim", "hive_start", "hive_update",
    "hive_close", "hive_comment", "hive_dep_add", "hive_dep_remove", "hive_sync", "hive_session_start", "hive_session_end"
  ],
  mail: [
    "swarmmail_init", "swarmmail_send", "swarmmail_inbox", "swarmmail_read_message", "swarmmail_ack", "swarmmail_wait",
    "swarmmail_reserve", "swarmmail_release", "swarmmail_release_all", "swarmmail_release_agent", "swarmmail_health"
  ],
  memory: [
    "hivemind_store", "hivemind_find", "hivemind_get", "hivemind_remove", "hivemind_validate", "hivemind_upsert",
    "hivemind_history", "hivemind_stats", "hivemind_sync", "hivemind_reembed"
  ],
  swarm: [
    "swarm_decompose", "swarm_validate_decomposition", "swarm_spawn_subtask", "swarm_progress", "swarm_checkpoint",
    "swarm_recover", "swarm_status", "swarm_complete", "swarm_record_outcome", "swarm_review", "swarm_review_feedback",
    "swarm_insights", "swarm_await"
  ]
}

describe("the registry", () => {
  it("has every tool, once, with a description, annotations and object schemas", () => {
    const names = allTools().map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names.sort()).toEqual(Object.values(NAMES).flat().sort())
    for (const tool of allTools()) {
      expect(tool.description.length, tool.name).toBeGreaterThan(5)
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(70)
      expect(Object.keys(tool.annotations).length, tool.name).toBeGreaterThan(0)
      expect(tool.inputSchema["type"]).toBe("object")
      expect(tool.outputSchema?.["type"]).toBe("object")
      // Compact: no generated titles, descriptions or $refs.
      expect(JSON.stringify(listed(tool))).not.toMatch(/"\$ref"|"title":"|"\$schema"|character\(s\)/)
    }
  })

  it("keeps the plugin's argument names", () => {
    const props = (name: string) => Object.keys((findTool(name)!.inputSchema["properties"] ?? {}) as object)
    expect(props("hive_create")).toEqual(expect.arrayContaining(["title", "type", "priority", "description", "parent_id"]))
    expect(props("hive_create_epic")).toEqual(expect.arrayContaining(["epic_title", "epic_description", "subtasks"]))
    expect(props("swarmmail_reserve")).toEqual(expect.arrayContaining(["paths", "reason", "exclusive", "ttl_seconds"]))
    expect(props("swarmmail_send")).toEqual(expect.arrayContaining(["to", "subject", "body", "thread_id", "importance", "ack_required"]))
    expect(props("hivemind_store")).toEqual(expect.arrayContaining(["information", "tags", "collection", "confidence"]))
    expect(props("hivemind_find")).toEqual(expect.arrayContaining(["query", "limit", "collection", "expand", "fts"]))
  })

  it("profiles: minimal for a worker, core for a swarm, full for everything; within their budgets", () => {
    for (const profile of Profiles) {
      const names = PROFILES[profile]
      if (names !== "all") for (const n of names) expect(findTool(n), n).toBeDefined()
    }
    const [minimal, core, full] = Profiles.map((p) => listingSize(toolsOf(p)))
    expect(minimal!.tools).toBeLessThanOrEqual(10)
    expect(core!.tools).toBeGreaterThanOrEqual(20)
    expect(core!.tokens).toBeLessThan(4000)
    expect(full!.tokens).toBeLessThan(12_000)
    // Everything a worker needs for a swarm is in minimal.
    expect(toolsOf("minimal").map((t) => t.name)).toEqual(
      expect.arrayContaining(["swarmmail_init", "hive_claim", "swarmmail_reserve", "swarm_progress", "swarm_complete"])
    )
  })

  it("lists hidden fields nowhere, yet accepts them; refuses truly unknown fields", () => {
    const spawn = findTool("swarm_spawn_subtask")!
    expect(Object.keys(spawn.inputSchema["properties"] as object)).not.toContain("project_key")
    expect(Either.isRight(spawn.check({ bead_id: "x-1", agent_name: "A", project_key: "/p" }))).toBe(true)
    expect(Either.isLeft(spawn.check({ cell_id: "x-1", agent_name: "A", nonsense: 1 }))).toBe(true)
    const ready = findTool("hive_ready")!
    expect(Either.isLeft(ready.check({ anything: true }))).toBe(true)
    expect(Either.isRight(ready.check({}))).toBe(true)
  })

  it("decodes before any handler runs: an invalid call fails without touching services", async () => {
    const exit = await Effect.runPromiseExit(
      callToolByName("hive_create", { title: "x".repeat(10_000), priority: 9 }, { session: makeSession("memory") }) as Effect.Effect<unknown, unknown>
    )
    expect(exit._tag).toBe("Failure")
    if (exit._tag === "Failure" && exit.cause._tag === "Fail") {
      const failure = failureOf(exit.cause.error)
      expect(failure.exitCode).toBe(2)
      expect(failure.body.error).toBe("ValidationError")
      expect(JSON.stringify(failure.body).length).toBeLessThan(2000)
      expect((failure.body["issues"] as Array<{ path: Array<string> }>).map((i) => i.path[0]).sort()).toEqual(["priority", "title"])
    } else throw new Error("expected a typed failure")
  })

  it("an unknown tool is UnknownTool (exit code 2)", async () => {
    const exit = await Effect.runPromiseExit(callToolByName("nope", {}, { session: makeSession("memory") }) as Effect.Effect<unknown, unknown>)
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && failureOf(exit.cause.error).exitCode).toBe(2)
  })
})

describe("helpers", () => {
  it("memorable names are an adjective and a noun", () => {
    expect(memorableName(0, 0)).toBe("AmberBadger")
    expect(memorableName(0.999, 0.999)).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+$/)
  })

  it("renders results as compact text", () => {
    expect(renderText({ cells: [{ id: "a-1", title: "Fix it", assignee: null }], total: 1 })).toBe(
      "cells:\n- id=a-1 title=\"Fix it\" assignee=-\ntotal: 1"
    )
    expect(renderText({ prompt: "line 1\nline 2" })).toBe("prompt: |\n  line 1\n  line 2")
    expect(renderText({ tags: ["a", "b"], empty: [] })).toBe("tags: a, b\nempty: (none)")
  })

  it("output schemas decode what the tools return (Schema round trip on a sample)", () => {
    const out = findTool("hive_create")!.entry.route.output as Schema.Schema<unknown, unknown, never>
    const sample = { id: "p-1", title: "t", type: "task", status: "open", priority: 2, assignee: null, parent_id: null, blocked: false }
    expect(Either.isRight(Schema.decodeUnknownEither(out)(sample))).toBe(true)
  })
})
