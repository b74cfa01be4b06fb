import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Hive } from "@waggle/hive"
import { DurableMailbox } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Swarm } from "@waggle/swarm"
import { epicWith, head, swarmLayer } from "./support/layers.js"

/** A subtask spawned for w1 (coordinator lead) and completed. */
const completed = Effect.gen(function*() {
  const swarm = yield* Swarm
  const { epic, subtasks } = yield* epicWith({
    title: "Quotas",
    description: "Protect the API",
    subtasks: [{
      title: "Limiter",
      description: "Add a limiter.\n\nAcceptance criteria:\n- returns 429 after 5 attempts\n- documented",
      files: ["src/limit.ts"]
    }]
  })
  const cell = subtasks[0]!.id
  yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1", coordinator: "lead" })
  yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "Limiter added", files_touched: ["src/limit.ts"] })
  return { epic: epic.id, cell }
})

const issue = { file: "src/limit.ts", line: 3, issue: "no test for the 429", suggestion: "add one" }

describe.each(backends)("swarm_review on $name", (backend) => {
  it.scoped("the review prompt shows the summary, files, criteria from the description; approval confirms the closed cell", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const mailbox = yield* DurableMailbox
      const { cell, epic } = yield* completed
      const review = yield* swarm.review({ task_id: cell, epic_id: epic, diff: "+ export const limit = 5" })
      expect(review).toMatchObject({
        cell_id: cell,
        epic_id: epic,
        files: ["src/limit.ts"],
        acceptance_criteria: ["returns 429 after 5 attempts", "documented"],
        attempt: 1,
        remaining_attempts: 3,
        diff_available: true
      })
      expect(review.prompt).toContain("## Worker's summary\nLimiter added")
      expect(review.prompt).toContain(`## Epic ${epic}: Quotas\nProtect the API`)
      expect(review.prompt).toContain("## Changes\n```diff\n+ export const limit = 5\n```")
      expect(review.prompt).toContain("## Acceptance criteria\n- returns 429 after 5 attempts\n- documented")
      // No diff given and no git repository: the prompt says so.
      expect((yield* swarm.review({ cell_id: cell })).diff_available).toBe(false)

      const approved = yield* swarm.reviewFeedback({ cell_id: cell, status: "approved", summary: "good" })
      expect(approved).toMatchObject({ status: "approved", rejections: 0, blocked: false, cell_status: "closed", notified: ["w1"] })
      const [mail] = yield* mailbox.inbox("w1", { includeBodies: true })
      expect(mail).toMatchObject({ from: "lead", subject: `Approved: ${cell}`, body: "good", thread: epic })
      expect((yield* swarm.status({ epic_id: epic })).subtasks[0]!.review).toEqual({ status: "approved", rejections: 0, blocked: false })
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("a rejection reopens the cell for its worker with the issues; the third blocks it and tells the coordinator; a fourth is refused", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const hive = yield* Hive
      const mailbox = yield* DurableMailbox
      const { cell, epic } = yield* completed

      const first = yield* swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: [issue], summary: "almost" })
      expect(first).toMatchObject({ rejections: 1, remaining_attempts: 2, blocked: false, cell_status: "in_progress", notified: ["w1"] })
      expect(yield* hive.get(cell)).toMatchObject({ status: "in_progress", assignee: "w1" })
      const [mail] = yield* mailbox.inbox("w1", { includeBodies: true })
      expect(mail).toMatchObject({ subject: `Changes requested: ${cell} (review 1 of 3)`, importance: "high", thread: epic })
      expect(mail!.body).toContain("- src/limit.ts:3: no test for the 429 (suggestion: add one)")

      // The respawned worker's prompt starts with the issues; the next review shows the earlier rejection.
      const respawn = yield* swarm.spawnSubtask({ cell_id: cell, agent_name: "w1" })
      expect(respawn.prompt).toContain("## Fix first: the last review asked for changes\n- src/limit.ts:3: no test for the 429 (suggestion: add one)")
      yield* swarm.complete({ cell_id: cell, agent_name: "w1", summary: "test added" })
      const again = yield* swarm.review({ cell_id: cell })
      expect(again).toMatchObject({ attempt: 2, remaining_attempts: 2 })
      expect(again.prompt).toContain("## Earlier rejections (check they are fixed)\nReview 1:\n- src/limit.ts:3: no test for the 429 (suggestion: add one)")

      // Issues as JSON text (the swarm-tools form) work too.
      const second = yield* swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: JSON.stringify([{ issue: "still flaky" }]) })
      expect(second).toMatchObject({ rejections: 2, remaining_attempts: 1, blocked: false })
      const third = yield* swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: [{ issue: "wrong status code" }] })
      expect(third).toMatchObject({ rejections: 3, remaining_attempts: 0, blocked: true, cell_status: "blocked", notified: ["lead"] })
      expect((yield* hive.get(cell)).status).toBe("blocked")
      const [alert] = yield* mailbox.inbox("lead", { includeBodies: true })
      expect(alert).toMatchObject({ subject: `BLOCKED: ${cell} rejected 3 times`, importance: "urgent", thread: epic })
      expect(alert!.body).toContain("- wrong status code")

      const before = yield* head
      expect(yield* Effect.flip(swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: [issue] }))).toMatchObject({
        _tag: "ReviewLimitReached",
        cellId: cell,
        rejections: 3,
        limit: 3
      })
      expect(yield* head).toBe(before)
      const status = yield* swarm.status({ epic_id: epic })
      expect(status.subtasks[0]!.review).toEqual({ status: "needs_changes", rejections: 3, blocked: true })
      expect(status.summary).toContain(`Blocked: ${cell} (rejected 3 times).`)
    }).pipe(Effect.provide(swarmLayer(backend))))

  it.scoped("needs_changes without issues, or with issues that are not valid JSON, is InvalidInput and changes nothing", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const { cell } = yield* completed
      const before = yield* head
      expect(yield* Effect.flip(swarm.reviewFeedback({ cell_id: cell, status: "needs_changes" }))).toMatchObject({
        _tag: "InvalidInput",
        issues: [{ path: "issues", message: "needs_changes requires at least one issue" }]
      })
      const bad = yield* Effect.flip(swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: "[{ not json" }))
      expect(bad._tag).toBe("InvalidInput")
      const wrong = yield* Effect.flip(swarm.reviewFeedback({ cell_id: cell, status: "needs_changes", issues: JSON.stringify([{ line: 2 }]) }))
      expect(wrong).toMatchObject({ _tag: "InvalidInput", issues: [{ path: "issues[0].issue" }] })
      expect(yield* head).toBe(before)
    }).pipe(Effect.provide(swarmLayer(backend))))
})
