import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Hive } from "@waggle/hive"
import { Learning } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableMailbox, FileReservations } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { layerStackWithoutMemory, Swarm } from "@waggle/swarm"
import { Layer } from "effect"
import { epicWith, head, swarmLayer, writeFiles } from "./support/layers.js"

const fail = (n: number) => ({ cell_id: `past-${n}`, success: false, strategy: "risk-based", duration_ms: 60_000, error_count: 3 })

describe.each(backends)("Swarm on $name", (backend) => {
  it.scoped("decompose: the prompt carries learning's recommendation, anti-patterns and precedent from memory", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const memory = yield* Memory
      for (let i = 0; i < 3; i++) yield* swarm.recordOutcome(fail(i))
      yield* memory.store("Added request quotas to the admin API with a token bucket middleware", { tags: ["swarm"] })

      const out = yield* swarm.decompose({ task: "Add request quotas to the public API", context: "Express 4", max_subtasks: 5 })
      expect(out.anti_patterns).toEqual(["AVOID: risk-based (100% failure rate)"])
      expect(out.prompt).toContain("Avoid (anti-patterns learned from past outcomes):\n- AVOID: risk-based (100% failure rate)")
      expect(out.prompt).toContain(`Recommended strategy: ${out.strategy.name} (confidence ${Math.round(out.strategy.confidence * 100)}%`)
      expect(out.prompt).toContain(`Why: ${out.strategy.reasoning}`)
      expect(out.prompt).toContain("- risk-based: 0% success over 3 outcomes (AVOID: risk-based (100% failure rate))")
      expect(out.precedent.map((p) => p.summary)).toContain("Added request quotas to the admin API with a token bucket middleware")
      expect(out.prompt).toContain("Similar past tasks:\n- Added request quotas to the admin API with a token bucket middleware (similarity")
      expect(out.prompt).toContain("## Context\nExpress 4")
      expect(out.strategies.map((s) => s.name)).toEqual(["file-based", "feature-based", "risk-based"])
      expect(out.response_schema).toMatchObject({ type: "object", required: ["epic", "subtasks"] })

      const insights = yield* swarm.insights({ task: "Add request quotas to the public API" })
      expect(insights.anti_patterns.map((a) => [a.kind, a.name, a.text])).toEqual([["strategy", "risk-based", "AVOID: risk-based (100% failure rate)"]])
      expect(insights.prompt).toContain("AVOID: risk-based (100% failure rate)")
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("validate: files are checked in the project root, and a valid answer creates the epic as is", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const hive = yield* Hive
      yield* writeFiles(["src/api.ts", "src/limit.ts"])
      const bad = yield* swarm.validateDecomposition({
        response: JSON.stringify({
          epic: { title: "Quotas" },
          subtasks: [
            { title: "Limiter", files: ["src/limit.ts", "src/missing.ts"], dependencies: [], estimated_complexity: 2 },
            { title: "Wire", files: ["src/api.ts", "src/limit.ts"], dependencies: [], estimated_complexity: 1 }
          ]
        })
      })
      expect(bad.errors.map((e) => e.code)).toEqual(["missing_file", "file_conflict"])

      const good = yield* swarm.validateDecomposition({
        response: {
          epic: { title: "Quotas", description: "per-key quotas" },
          subtasks: [
            { title: "Limiter", files: ["src/limit.ts"], new_files: ["src/limit.test.ts"], dependencies: [], estimated_complexity: 2 },
            { title: "Wire", files: ["src/api.ts", "src/limit.ts"], dependencies: [0], estimated_complexity: 1 }
          ]
        },
        strategy: "feature-based"
      })
      expect(good.valid).toBe(true)
      const { epic, subtasks } = yield* hive.createEpic(good.epic_input!)
      expect(epic.labels).toEqual(["strategy:feature-based", "swarm"])
      expect(subtasks.map((s) => [s.title, s.files, s.blocked])).toEqual([
        ["Limiter", ["src/limit.ts", "src/limit.test.ts"], false],
        ["Wire", ["src/api.ts", "src/limit.ts"], true]
      ])
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("spawn: claims the cell, records the spawn, and the prompt has the subtask, protocol, anti-patterns and memories", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const hive = yield* Hive
      const memory = yield* Memory
      const reservations = yield* FileReservations
      for (let i = 0; i < 3; i++) yield* swarm.recordOutcome(fail(i))
      yield* memory.store("The limiter must key on the client IP, not the user", { tags: ["swarm", "learning"] })
      const { epic, subtasks } = yield* epicWith({
        title: "Quotas",
        description: "per-key quotas",
        labels: ["strategy:feature-based"],
        subtasks: [{ title: "Limiter by client IP", files: ["src/limit.ts"] }, { title: "Docs", files: ["README.md"], blockedBy: [0] }]
      })
      const [limiter, docs] = subtasks as [typeof subtasks[0], typeof subtasks[0]]

      const out = yield* swarm.spawnSubtask({ bead_id: limiter.id, epic_id: epic.id, agent_name: "w1", coordinator: "lead", shared_context: "Node 20" })
      expect(out).toMatchObject({
        cell_id: limiter.id,
        epic_id: epic.id,
        agent_name: "w1",
        coordinator: "lead",
        files: ["src/limit.ts"],
        strategy: "feature-based",
        deferred_token: null,
        resumed_from_checkpoint: false,
        anti_patterns: ["AVOID: risk-based (100% failure rate)"]
      })
      expect(out.memories.map((m) => m.content)).toContain("The limiter must key on the client IP, not the user")
      expect(out.prompt).toContain(`Your subtask is cell ${limiter.id}: Limiter by client IP. Your coordinator is lead; mail it in thread "${epic.id}".`)
      expect(out.prompt).toContain(`## Epic ${epic.id}: Quotas\nper-key quotas`)
      expect(out.prompt).toContain(`files_reserve(agent: "w1", paths: ["src/limit.ts"], exclusive: true, reason: "${limiter.id}")`)
      expect(out.prompt).toContain("## Avoid (learned from past outcomes)\n- AVOID: risk-based (100% failure rate)")
      expect(out.prompt).toContain("- The limiter must key on the client IP, not the user")
      expect(out.prompt).toContain("## Shared context\nNode 20")
      expect(yield* hive.get(limiter.id)).toMatchObject({ status: "in_progress", assignee: "w1" })

      // Idempotent for the same worker; another worker needs reassign.
      yield* swarm.spawnSubtask({ cell_id: limiter.id, agent_name: "w1" })
      const taken = yield* Effect.flip(swarm.spawnSubtask({ cell_id: limiter.id, agent_name: "w2" }))
      expect(taken).toMatchObject({ _tag: "CellAlreadyClaimed", holder: "w1" })
      // A blocked subtask cannot start; an epic mismatch and an unknown strategy are refused before anything changes.
      expect((yield* Effect.flip(swarm.spawnSubtask({ cell_id: docs.id, agent_name: "w3" })))._tag).toBe("CellBlocked")
      const before = yield* head
      expect(yield* Effect.flip(swarm.spawnSubtask({ cell_id: docs.id, epic_id: docs.id, agent_name: "w3" }))).toMatchObject({
        _tag: "InvalidInput",
        issues: [{ path: "epic_id" }]
      })
      expect((yield* Effect.flip(swarm.spawnSubtask({ cell_id: docs.id, agent_name: "w3", strategy: "vibes" })))._tag).toBe("UnknownStrategy")
      expect(yield* head).toBe(before)

      // Reassign: the new worker holds the cell; the old one's reservations are gone.
      yield* reservations.reserve("w1", ["src/limit.ts"])
      yield* swarm.checkpoint({ cell_id: limiter.id, agent_name: "w1", files_touched: ["src/limit.ts"], notes: "half done", next_steps: ["tests"] })
      const takeover = yield* swarm.spawnSubtask({ cell_id: limiter.id, agent_name: "w2", reassign: true, create_deferred: true })
      expect(takeover.resumed_from_checkpoint).toBe(true)
      expect(takeover.coordinator).toBe("lead")
      expect(takeover.deferred_token).toMatch(/^deferred:/)
      expect(takeover.prompt).toContain("## Resume where the last worker stopped")
      expect(takeover.prompt).toContain("- notes: half done")
      expect(yield* hive.get(limiter.id)).toMatchObject({ status: "in_progress", assignee: "w2" })
      expect(yield* reservations.list({ agent: "w1" })).toEqual([])
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("progress, milestone checkpoints, manual checkpoints and recovery round-trip", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const hive = yield* Hive
      const mailbox = yield* DurableMailbox
      const { epic, subtasks } = yield* epicWith({ title: "E", subtasks: [{ title: "S", files: ["src/s.ts"] }] })
      const cell = subtasks[0]!.id
      yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1", coordinator: "lead" })

      const p10 = yield* swarm.progress({ cell_id: cell, agent_name: "w1", status: "in_progress", progress_percent: 10, message: "reading" })
      expect(p10.checkpoint).toBeNull()
      const p60 = yield* swarm.progress({
        cell_id: cell,
        agent_name: "w1",
        status: "in_progress",
        progress_percent: 60,
        message: "limiter written",
        files_touched: ["src/s.ts"]
      })
      // 10 → 60 passes 25 and 50: the highest milestone reached is stored, once.
      expect(p60.checkpoint).toMatchObject({ kind: "milestone", milestone: 50, progress_percent: 60, files_touched: ["src/s.ts"], notes: "limiter written" })
      const p70 = yield* swarm.progress({ cell_id: cell, agent_name: "w1", status: "in_progress", progress_percent: 70 })
      expect(p70.checkpoint).toBeNull()

      const manual = yield* swarm.checkpoint({
        bead_id: cell,
        epic_id: epic.id,
        agent_name: "w1",
        files_modified: ["src/s.ts"],
        progress_percent: 72,
        notes: "about to refactor",
        next_steps: ["refactor", "test"],
        error_context: "flaky test"
      })
      expect(manual.checkpoint).toMatchObject({ kind: "manual", milestone: null, next_steps: ["refactor", "test"], error_context: "flaky test" })
      expect(manual.checkpoint.id).toBeGreaterThan(p60.checkpoint!.id)

      const blocked = yield* swarm.progress({ cell_id: cell, agent_name: "w1", status: "blocked", blockers: ["needs the Redis URL"] })
      expect(blocked.cell_status).toBe("blocked")
      expect((yield* hive.get(cell)).status).toBe("blocked")

      const byCell = yield* swarm.recover({ cell_id: cell, agent_name: "w2" })
      expect(byCell).toMatchObject({
        found: true,
        cell_id: cell,
        epic_id: epic.id,
        cell_status: "blocked",
        assignee: "w1",
        checkpoint: manual.checkpoint,
        progress: { status: "blocked", blockers: ["needs the Redis URL"], agent: "w1" }
      })
      expect(byCell.prompt).toContain(`You (w2) take over cell ${cell}`)
      expect(byCell.prompt).toContain("- notes: about to refactor")
      expect(byCell.prompt).toContain("  - refactor\n  - test")
      expect(byCell.prompt).toContain("- blockers: needs the Redis URL")
      const byEpic = yield* swarm.recover({ epic_id: epic.id })
      expect(byEpic.checkpoint).toEqual(manual.checkpoint)

      // Back to work unblocks the cell.
      yield* swarm.progress({ cell_id: cell, agent_name: "w1", status: "in_progress", progress_percent: 80 })
      expect((yield* hive.get(cell)).status).toBe("in_progress")

      const mails = yield* mailbox.inbox("lead", { includeBodies: true })
      expect(mails.map((m) => [m.subject, m.importance]).reverse()).toEqual([
        [`Progress ${cell}: in_progress 10%`, "normal"],
        [`Progress ${cell}: in_progress 60%`, "normal"],
        [`Progress ${cell}: in_progress 70%`, "normal"],
        [`Progress ${cell}: blocked`, "high"],
        [`Progress ${cell}: in_progress 80%`, "normal"]
      ])
      expect(mails.every((m) => m.thread === epic.id)).toBe(true)
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("only the cell's holder reports, checkpoints or completes; recovery of nothing is found: false", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { epic, subtasks } = yield* epicWith({ title: "E", subtasks: [{ title: "S", files: ["src/s.ts"] }] })
      const cell = subtasks[0]!.id
      expect((yield* swarm.recover({ epic_id: epic.id })).found).toBe(false)
      expect((yield* swarm.recover({ cell_id: cell })).found).toBe(false)
      yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1" })
      const before = yield* head
      const progress = yield* Effect.flip(swarm.progress({ cell_id: cell, agent_name: "w2", status: "in_progress" }))
      expect(progress).toMatchObject({ _tag: "NotYourCell", cellId: cell, agent: "w2", holder: "w1" })
      expect((yield* Effect.flip(swarm.checkpoint({ cell_id: cell, agent_name: "w2" })))._tag).toBe("NotYourCell")
      expect((yield* Effect.flip(swarm.complete({ cell_id: cell, agent_name: "w2", summary: "done" })))._tag).toBe("NotYourCell")
      expect(yield* head).toBe(before)
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("status: subtasks by status, holders, last progress, reservations and blocked items", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const reservations = yield* FileReservations
      const { epic, subtasks } = yield* epicWith({
        title: "Quotas",
        subtasks: [{ title: "A", files: ["src/a.ts"] }, { title: "B", files: ["src/b.ts"] }, { title: "C", files: ["src/c.ts"], blockedBy: [0] }]
      })
      const [a, b, c] = subtasks.map((s) => s.id) as [string, string, string]
      yield* swarm.spawnSubtask({ cell_id: a, agent_name: "wa" })
      yield* swarm.spawnSubtask({ cell_id: b, agent_name: "wb" })
      yield* reservations.reserve("wa", ["src/a.ts"])
      yield* swarm.progress({ cell_id: a, agent_name: "wa", status: "in_progress", progress_percent: 30, notify: false })
      yield* swarm.progress({ cell_id: b, agent_name: "wb", status: "blocked", message: "waiting on ops", notify: false })

      const out = yield* swarm.status({ epic_id: epic.id })
      expect(out).toMatchObject({
        epic_id: epic.id,
        title: "Quotas",
        total: 3,
        by_status: { open: 1, in_progress: 1, blocked: 1, closed: 0 },
        percent_complete: 0,
        closure_eligible: false,
        blocked: [b, c],
        reservations: [{ agent: "wa", pattern: "src/a.ts", exclusive: true }]
      })
      expect(out.subtasks.map((s) => [s.cell_id, s.status, s.assignee, s.blocked_by, s.progress?.progress_percent ?? null, s.completion])).toEqual([
        [a, "in_progress", "wa", [], 30, "none"],
        [b, "blocked", "wb", [], null, "none"],
        [c, "open", null, [a], null, "none"]
      ])
      expect(out.subtasks[0]!.last_checkpoint_at).not.toBeNull()
      expect(out.summary).toContain(`Epic ${epic.id} "Quotas": 0/3 closed, 1 in progress, 1 open, 1 blocked.`)
      expect(out.summary).toContain(`Blocked: ${b}; ${c} (waits for ${a}).`)
      expect(out.summary).toContain(`Working: ${a} by wa (30%).`)
      expect((yield* Effect.flip(swarm.status({ epic_id: a })))._tag).toBe("NotAnEpic")
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("the learning layer's strategies are the ones spawn and complete accept", () =>
    Effect.gen(function*() {
      const learning = yield* Learning
      expect((yield* learning.strategies).map((s) => s.name)).toEqual(["file-based", "feature-based", "risk-based"])
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("without memory: no memories in prompts or on completion, precedent from recorded outcomes", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { subtasks } = yield* epicWith({ title: "Quotas", subtasks: [{ title: "Add request quotas", files: ["src/q.ts"] }] })
      const cell = subtasks[0]!.id
      const spawned = yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1", strategy: "feature-based" })
      expect(spawned.memories).toEqual([])
      expect(spawned.prompt).not.toContain("## Relevant memories")
      const done = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "quotas in", learnings: ["lost without memory"] })
      expect(done).toMatchObject({ memories_stored: [], memory_warning: null, cell_status: "closed" })
      const next = yield* swarm.decompose({ task: "Add request quotas to the admin API" })
      expect(next.precedent.map((p) => p.summary)).toEqual([expect.stringContaining("Add request quotas — feature-based, succeeded")])
    }).pipe(
      Effect.provide(layerStackWithoutMemory({ hive: { prefix: "t" }, learning: { seed: 7 } }).pipe(Layer.provideMerge(backend.layer())))
    ))
})
