import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Hive } from "@waggle/hive"
import { Learning } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableDeferred, DurableMailbox, EventStore, FileReservations } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Swarm, SwarmEvents } from "@waggle/swarm"
import { epicWith, head, swarmLayer } from "./support/layers.js"

const PASS = `node -e "console.log('12 tests passed')"`
const FAIL = `node -e "console.error('boom: 1 test failed'); process.exit(2)"`
const HANG = `node -e "setTimeout(() => {}, 60000)"`

/** An epic with one subtask spawned for w1 (coordinator lead, feature-based, with a deferred), holding a reservation. */
const started = Effect.gen(function*() {
  const swarm = yield* Swarm
  const { epic, subtasks } = yield* epicWith({ title: "Quotas", subtasks: [{ title: "Limiter", files: ["src/limit.ts"] }] })
  const cell = subtasks[0]!.id
  const spawned = yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1", coordinator: "lead", strategy: "feature-based", create_deferred: true })
  yield* (yield* FileReservations).reserve("w1", ["src/limit.ts"], { reason: cell })
  return { epic: epic.id, cell, token: spawned.deferred_token! }
})

describe.each(backends)("swarm_complete on $name", (backend) => {
  it.scoped("completion verifies, closes the cell, releases reservations, resolves the deferred, learns, remembers and mails", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { cell, epic, token } = yield* started
      const out = yield* swarm.complete({
        cell_id: cell,
        agent_name: "w1",
        summary: "Limiter added with tests",
        files_touched: ["src/limit.ts"],
        verification_commands: [PASS],
        learnings: ["Key rate limiters on the client IP, not the user id"],
        error_count: 1
      })
      expect(out).toMatchObject({
        cell_id: cell,
        epic_id: epic,
        success: true,
        cell_status: "closed",
        resumed: false,
        reservations_released: ["src/limit.ts"],
        deferred: "resolved",
        memory_warning: null,
        coordinator: "lead"
      })
      expect(out.verification.map((v) => [v.command, v.passed, v.output])).toEqual([[PASS, true, "12 tests passed"]])
      expect(out.memories_stored.length).toBe(2)

      expect(yield* (yield* Hive).get(cell)).toMatchObject({ status: "closed", closedReason: "Limiter added with tests", result: "Limiter added with tests" })
      expect(yield* (yield* FileReservations).list({ agent: "w1" })).toEqual([])
      const value = { cell_id: cell, success: true, summary: "Limiter added with tests", files_touched: ["src/limit.ts"] }
      expect(yield* (yield* DurableDeferred).status(token)).toMatchObject({ state: "resolved", value })
      expect(yield* swarm.awaitSubtask({ cell_id: cell, timeout_ms: 0 })).toEqual({ cell_id: cell, value })

      const history = yield* (yield* Learning).patternHistory({ kind: "strategy", name: "feature-based" })
      expect(history.filter((h) => h.type === "evidence").map((h) => h.type === "evidence" && [h.cellId, h.success])).toEqual([[cell, true]])
      expect(out.outcome?.position).toBe(history.find((h) => h.type === "evidence")!.position)

      const found = yield* (yield* Memory).find("rate limiters client IP", { tags: ["learning"] })
      expect(found.hits.map((h) => h.content)).toContain("Key rate limiters on the client IP, not the user id")

      const mails = yield* (yield* DurableMailbox).inbox("lead", { includeBodies: true })
      expect(mails.map((m) => [m.id, m.subject, m.from, m.thread, m.importance])).toEqual([
        [out.message_id, `Complete: ${cell} Limiter`, "w1", epic, "normal"]
      ])
      expect(mails[0]!.body).toContain("Summary: Limiter added with tests")
      expect(mails[0]!.body).toContain(`Verification: \`${PASS}\` passed`)
      expect(mails[0]!.body).toContain(`All subtasks of epic ${epic} are closed: the epic can be closed.`)

      const status = yield* swarm.status({ epic_id: epic })
      expect(status.subtasks[0]).toMatchObject({ status: "closed", completion: "finished" })
      expect(status.closure_eligible).toBe(true)
      // A closed cell cannot complete again.
      expect((yield* Effect.flip(swarm.complete({ cell_id: cell, agent_name: "w1", summary: "again" })))._tag).toBe("InvalidTransition")
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("a failing or timing-out verification command stops the completion and changes nothing", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { cell, token } = yield* started
      const before = yield* head

      const failed = yield* Effect.flip(swarm.complete({ cell_id: cell, agent_name: "w1", summary: "done", verification_commands: [PASS, FAIL, PASS] }))
      expect(failed).toMatchObject({ _tag: "VerificationFailed", command: FAIL, exitCode: 2, timedOut: false })
      expect(failed._tag === "VerificationFailed" && failed.output).toContain("boom: 1 test failed")

      const hung = yield* Effect.flip(
        swarm.complete({ cell_id: cell, agent_name: "w1", summary: "done", verification_commands: [HANG], verification_timeout_ms: 300 })
      )
      expect(hung).toMatchObject({ _tag: "VerificationFailed", command: HANG, exitCode: null, timedOut: true })

      expect(yield* head).toBe(before)
      expect(yield* (yield* Hive).get(cell)).toMatchObject({ status: "in_progress", assignee: "w1" })
      expect((yield* (yield* FileReservations).list({ agent: "w1" })).map((r) => r.pattern)).toEqual(["src/limit.ts"])
      expect((yield* (yield* DurableDeferred).status(token)).state).toBe("pending")
      expect(yield* (yield* DurableMailbox).inbox("lead")).toEqual([])

      // skip_verification does not run them.
      const out = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "done", verification_commands: [FAIL], skip_verification: true })
      expect(out).toMatchObject({ success: true, cell_status: "closed", verification: [] })
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("success: false blocks the cell, rejects the deferred, records a failure and mails urgently", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { cell, token } = yield* started
      const out = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "gave up", success: false, failure_mode: "the API has no hook for this" })
      expect(out).toMatchObject({ success: false, cell_status: "blocked", deferred: "rejected", reservations_released: ["src/limit.ts"] })
      expect(out.outcome?.signal).toBe("harmful")
      expect((yield* (yield* Hive).get(cell)).status).toBe("blocked")
      expect(yield* (yield* DurableDeferred).status(token)).toMatchObject({ state: "rejected", reason: "failed: the API has no hook for this" })
      expect(yield* Effect.flip(swarm.awaitSubtask({ cell_id: cell, timeout_ms: 0 }))).toMatchObject({ _tag: "DeferredRejected" })
      const [mail] = yield* (yield* DurableMailbox).inbox("lead", { includeBodies: true })
      expect(mail).toMatchObject({ subject: `FAILED: ${cell} Limiter`, importance: "urgent" })
      expect(mail!.body).toContain("Failure: the API has no hook for this")
      expect(mail!.body).toContain("is blocked: reassign it (swarm_spawn_subtask with reassign: true)")
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("a completion that stopped after its commit point resumes where it stopped, without repeating steps", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const hive = yield* Hive
      const store = yield* EventStore
      const mailbox = yield* DurableMailbox
      const { cell, epic } = yield* started
      // What a process that died right after closing the cell leaves behind: the plan, the cell step done.
      const plan = {
        agent: "w1",
        epicId: epic,
        title: "Limiter",
        coordinator: "lead",
        summary: "Limiter added",
        result: "Limiter added",
        success: true,
        failureMode: null,
        filesTouched: ["src/limit.ts"],
        durationMs: 1000,
        errorCount: 0,
        retryCount: 0,
        strategy: "feature-based",
        learnings: [],
        deferredToken: null,
        verification: []
      }
      yield* store.append(`swarm:${cell}`, SwarmEvents.CompletionStarted.make({ cellId: cell, plan }))
      yield* hive.close(cell, { reason: "Limiter added" })
      yield* store.append(`swarm:${cell}`, SwarmEvents.CompletionStepDone.make({ cellId: cell, step: "cell", result: { cell_status: "closed" } }))
      expect((yield* swarm.status({ epic_id: epic })).summary).toContain(`Completion stopped half-way (call swarm_complete again): ${cell}.`)

      expect(yield* Effect.flip(swarm.complete({ cell_id: cell, agent_name: "w2", summary: "mine" }))).toMatchObject({
        _tag: "CompletionInProgress",
        agent: "w1"
      })
      const out = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "ignored: the plan stands" })
      expect(out).toMatchObject({ resumed: true, cell_status: "closed", reservations_released: ["src/limit.ts"], deferred: "none" })
      expect(out.outcome).not.toBeNull()
      const mails = yield* mailbox.inbox("lead", { includeBodies: true })
      expect(mails.length).toBe(1)
      expect(mails[0]!.body).toContain("Summary: Limiter added")
      expect((yield* swarm.status({ epic_id: epic })).subtasks[0]!.completion).toBe("finished")
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("a resumed completion whose mail went out before the crash does not mail twice", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const store = yield* EventStore
      const mailbox = yield* DurableMailbox
      const { cell, epic } = yield* started
      // Run a whole completion, then rewind the journal to "mail not noted" as a crash would leave it.
      const first = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "Limiter added" })
      const events = yield* store.readStream(`swarm:${cell}`)
      const plan = events.find((e) => e.type === "swarm_completion_started")!.data as typeof SwarmEvents.CompletionStarted.schema.Type
      yield* store.append(`swarm:${cell}`, SwarmEvents.CompletionStarted.make(plan))
      for (const e of events.filter((x) => x.type === "swarm_completion_step_done")) {
        const data = e.data as typeof SwarmEvents.CompletionStepDone.schema.Type
        if (data.step !== "mail") yield* store.append(`swarm:${cell}`, SwarmEvents.CompletionStepDone.make(data))
      }
      const again = yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "Limiter added" })
      expect(again.resumed).toBe(true)
      expect(again.message_id).toBe(first.message_id)
      expect((yield* mailbox.inbox("lead")).length).toBe(1)
      expect((yield* swarm.status({ epic_id: epic })).subtasks[0]!.completion).toBe("finished")
    }).pipe(Effect.provide(swarmLayer(backend))))
})
