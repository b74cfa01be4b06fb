/**
 * A whole swarm through the tools, with a coordinator and two workers that are separate client
 * processes: decompose → validate → create the epic → workers join, claim, reserve (one conflict
 * refused), report progress, complete → the outcome is learned and insights reflect it → the hive
 * is synced to the project's git remote.
 */
import { execFileSync } from "node:child_process"
import { expect } from "vitest"
import type { AgentProcess } from "./agents.js"
import type { TestProject } from "./project.js"

const TASK = "Add a greeting module with tests"

const ANSWER = {
  epic: { title: "Greeting module", description: "greet() and its tests" },
  subtasks: [
    {
      title: "Implement greet",
      description: "Write greet() in src/greet.ts and export it",
      files: ["src/greet.ts", "src/index.ts"],
      dependencies: [],
      estimated_complexity: 2
    },
    {
      title: "Test greet",
      description: "Cover greet() in test/greet.test.ts",
      files: ["test/greet.test.ts"],
      dependencies: [],
      estimated_complexity: 1
    }
  ]
}

export const runSwarm = async (
  project: TestProject,
  agents: { readonly coordinator: AgentProcess; readonly w1: AgentProcess; readonly w2: AgentProcess }
) => {
  const { coordinator, w1, w2 } = agents
  // The coordinator joins under a generated name: spawned workers report to it (the session's agent).
  const lead = (await coordinator.ok("swarmmail_init", { task_description: TASK })).agent_name as string

  // Plan: the decomposition prompt, the answer validated, the epic created from it.
  const decomposition = await coordinator.ok("swarm_decompose", { task: TASK, context: "TypeScript, tests under test/" })
  expect(decomposition.prompt).toContain(TASK)
  const strategy = decomposition.strategy.name as string
  const report = await coordinator.ok("swarm_validate_decomposition", {
    response: "```json\n" + JSON.stringify(ANSWER) + "\n```",
    strategy
  })
  expect(report).toMatchObject({ valid: true, errors: [] })
  const input = report.epic_input
  const created = await coordinator.ok("hive_create_epic", {
    epic_title: input.title,
    epic_description: input.description,
    labels: input.labels,
    subtasks: input.subtasks.map((s: any) => ({ title: s.title, description: s.description, files: s.files, blocked_by: s.blockedBy }))
  })
  const epic = created.epic.id as string
  const [s1, s2] = created.subtasks.map((c: any) => c.id as string) as [string, string]
  expect(created.subtasks).toHaveLength(2)

  // The workers join: memorable generated names, one per connection.
  const a1 = (await w1.ok("swarmmail_init", {})).agent_name as string
  const a2 = (await w2.ok("swarmmail_init", {})).agent_name as string
  expect(a1).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d*$/)
  expect(a2).not.toBe(a1)

  // The coordinator spawns each subtask for a worker (claiming it for that worker).
  for (const [cell, agent] of [[s1, a1], [s2, a2]] as const) {
    const spawned = await coordinator.ok("swarm_spawn_subtask", { cell_id: cell, epic_id: epic, agent_name: agent, strategy })
    expect(spawned).toMatchObject({ cell_id: cell, agent_name: agent, coordinator: lead })
    expect(spawned.prompt).toContain("swarmmail_reserve")
  }

  // Claims: each worker holds its own cell; nobody takes another's.
  expect((await w1.ok("hive_claim", { id: s1 })).cell).toMatchObject({ id: s1, assignee: a1, status: "in_progress" })
  expect((await w2.ok("hive_claim", { id: s2 })).cell).toMatchObject({ id: s2, assignee: a2 })
  expect(await w2.fails("hive_claim", { id: s1 })).toMatchObject({ error: "CellAlreadyClaimed", holder: a1 })

  // Reservations: all or nothing; the overlapping request is refused and grants nothing.
  await w1.ok("swarmmail_reserve", { paths: ["src/greet.ts", "src/index.ts"], reason: s1 })
  const conflict = await w2.fails("swarmmail_reserve", { paths: ["test/greet.test.ts", "src/greet.ts"], reason: s2 })
  expect(conflict.error).toBe("ReservationConflict")
  expect(conflict.conflicts).toEqual([expect.objectContaining({ holder: a1, path: "src/greet.ts" })])
  expect((await w2.ok("swarmmail_reserve", { paths: ["test/greet.test.ts"], reason: s2 })).granted).toHaveLength(1)

  // Progress reaches the coordinator's inbox.
  await w1.ok("swarm_progress", { cell_id: s1, status: "in_progress", progress_percent: 50, message: "greet() written" })
  await w2.ok("swarm_progress", { cell_id: s2, status: "in_progress", progress_percent: 25, message: "first test" })
  const inbox = await coordinator.ok("swarmmail_inbox", { unread_only: true })
  expect(new Set(inbox.messages.map((m: any) => m.from))).toEqual(new Set([a1, a2]))
  // Mail is per agent: a worker does not see the coordinator's.
  expect((await w1.ok("swarmmail_inbox", {})).messages.filter((m: any) => m.from === a2)).toEqual([])

  // Completion: verified, closed, reservations released, outcome recorded, learning stored.
  const done1 = await w1.ok("swarm_complete", {
    cell_id: s1,
    summary: "greet() implemented and exported",
    files_touched: ["src/greet.ts", "src/index.ts"],
    verification_commands: ["git --version"],
    learnings: ["greet() lives in src/greet.ts and is re-exported from src/index.ts"]
  })
  expect(done1).toMatchObject({ cell_status: "closed", success: true })
  expect(done1.verification[0]).toMatchObject({ passed: true })
  expect(done1.reservations_released).toHaveLength(2)
  expect(done1.outcome).not.toBeNull()
  const done2 = await w2.ok("swarm_complete", { cell_id: s2, summary: "greet() covered", files_touched: ["test/greet.test.ts"] })
  expect(done2).toMatchObject({ cell_status: "closed", success: true })
  // Nothing is left reserved.
  expect((await coordinator.ok("swarmmail_health", {})).reservations).toBe(0)

  // Learning: the outcomes count for the strategy the insights recommend next time.
  const insights = await coordinator.ok("swarm_insights", { task: TASK })
  const used = insights.strategies.find((s: any) => s.name === strategy)
  expect(used.observations).toBeGreaterThan(0)
  expect(used.success_rate).toBeGreaterThan(0)
  const recall = await coordinator.ok("hivemind_find", { query: "where does greet live" })
  expect(recall.hits.map((h: any) => h.content).join("\n")).toContain("src/greet.ts")

  // The epic is done; close it and sync the hive to git.
  const status = await coordinator.ok("swarm_status", { epic_id: epic })
  expect(status).toMatchObject({ closure_eligible: true, percent_complete: 100 })
  await coordinator.ok("hive_close", { id: epic, reason: "all subtasks done" })
  const sync = await coordinator.ok("hive_sync", { message: "hive: greeting epic" })
  expect(sync).toMatchObject({ committed: true, pushed: true })
  const pushed = execFileSync("git", ["--git-dir", project.remote, "show", "main:.hive/issues.jsonl"], { encoding: "utf8" })
  const records = pushed.trim().split("\n").map((l) => JSON.parse(l))
  for (const id of [epic, s1, s2]) expect(records.find((r: any) => r.id === id)).toMatchObject({ status: "closed" })
  return { epic, s1, s2, a1, a2, lead }
}
