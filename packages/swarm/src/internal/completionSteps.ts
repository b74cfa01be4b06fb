/**
 * The steps of a completion after its plan is recorded, each making one service's state match the
 * plan. Each step is written so that running it again after a crash converges (the cell step
 * checks the cell's state first, the deferred step accepts an earlier completion, the mail step
 * looks for the mail it may already have sent); only the outcome may be recorded twice if the
 * process dies between recording it and noting that it did (at-least-once).
 */
import { Effect, Option } from "effect"
import type { AmbiguousId, Cell, CellNotFound, InvalidTransition } from "@waggle/hive"
import type { UnknownStrategy } from "@waggle/learning"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import type { SwarmContext } from "./context.js"
import { sendMail } from "./context.js"
import type { CompletionPlan, CompletionStep, StepResult } from "./events.js"
import { outcomeSummary } from "../Outcomes.js"
import { oneLine } from "./text.js"

export interface StepContext {
  readonly ctx: SwarmContext
  readonly cellId: string
  readonly plan: CompletionPlan
  /** When the completion started (its first event). */
  readonly startedAt: number
  /** Whether this run resumes a completion that stopped. */
  readonly resumed: boolean
  readonly results: ReadonlyMap<CompletionStep, StepResult>
}

const dieOn = { NotAnEpic: Effect.die, DependencyCycle: Effect.die, SelfDependency: Effect.die, CellBlocked: Effect.die } as const

/** Success: the cell closed with the summary; failure: the cell blocked (the work is not done). */
const cellStep = ({ ctx, cellId, plan, resumed }: StepContext) =>
  Effect.gen(function*() {
    if (resumed) {
      const cell = yield* ctx.hive.get(cellId, { includeDeleted: true })
      if (plan.success ? cell.status === "closed" : cell.status === "blocked") return { cell_status: cell.status }
    }
    const cell: Cell = plan.success
      ? yield* ctx.hive.close(cellId, { reason: plan.summary, result: plan.result })
      : yield* ctx.hive.update(cellId, { status: "blocked" }).pipe(Effect.catchTags(dieOn))
    return { cell_status: cell.status }
  })

const reservationsStep = ({ ctx, plan }: StepContext) =>
  Effect.map(
    ctx.reservations.releaseMine(plan.agent).pipe(Effect.catchTag("InvalidInput", Effect.die)),
    (released): StepResult => ({ released: released.map((r) => r.pattern) })
  )

const deferredStep = ({ ctx, cellId, plan }: StepContext) => {
  const token = plan.deferredToken
  if (token === null) return Effect.succeed<StepResult>({ deferred: "none" })
  const complete = plan.success
    ? Effect.as(
      ctx.deferred.resolve(token, { cell_id: cellId, success: true, summary: plan.summary, files_touched: plan.filesTouched }),
      "resolved" as const
    )
    : Effect.as(ctx.deferred.reject(token, `failed: ${plan.failureMode ?? plan.summary}`), "rejected" as const)
  return complete.pipe(
    Effect.catchTags({
      AlreadyCompleted: (e) => Effect.succeed(e.state === "expired" ? ("expired" as const) : ("already_completed" as const)),
      DeferredNotFound: () => Effect.succeed("none" as const),
      InvalidInput: Effect.die
    }),
    Effect.map((deferred): StepResult => ({ deferred }))
  )
}

const outcomeStep = ({ ctx, cellId, plan }: StepContext) =>
  Effect.map(
    ctx.learning.recordOutcome({
      cellId,
      task: plan.title.slice(0, 2000),
      durationMs: plan.durationMs,
      success: plan.success,
      errorCount: plan.errorCount,
      retryCount: plan.retryCount,
      filesTouched: plan.filesTouched,
      ...(plan.epicId === null ? {} : { epicId: plan.epicId }),
      ...(plan.strategy === null ? {} : { strategy: plan.strategy }),
      ...(plan.failureMode === null ? {} : { failureMode: plan.failureMode })
    }),
    (r): StepResult => ({ outcome: outcomeSummary(r) })
  )

/** Best effort: memory is optional, and a failing embedder must not hold the completion back. */
const memoryStep = ({ ctx, cellId, plan }: StepContext) =>
  Option.match(ctx.memory, {
    onNone: () => Effect.succeed<StepResult>({ memories: [] }),
    onSome: (memory) => {
      const metadata = { cell_id: cellId, epic_id: plan.epicId, agent: plan.agent }
      const record = `Subtask "${oneLine(plan.title, 300)}" ${plan.success ? "succeeded" : "failed"}` +
        `${plan.strategy === null ? "" : ` (strategy ${plan.strategy})`}: ${plan.summary}` +
        (plan.failureMode === null ? "" : ` Failure: ${plan.failureMode}`)
      const items = [
        { information: record, tags: ["swarm", "completion"] },
        ...plan.learnings.map((l) => ({ information: l, tags: ["swarm", "learning"] }))
      ]
      return Effect.forEach(items, (item) =>
        Effect.map(memory.upsert(item.information, { tags: item.tags, metadata, source: plan.agent }), (r) => r.id)).pipe(
          Effect.map((ids): StepResult => ({ memories: ids })),
          Effect.catchAll((e) => Effect.succeed<StepResult>({ memories: [], memory_warning: `memory not stored: ${e.message}` }))
        )
    }
  })

export const mailSubject = (cellId: string, plan: CompletionPlan) =>
  `${plan.success ? "Complete" : "FAILED"}: ${cellId} ${oneLine(plan.title, 150)}`

const mailStep = ({ ctx, cellId, plan, startedAt, resumed, results }: StepContext) =>
  Effect.gen(function*() {
    const thread = plan.epicId ?? cellId
    const subject = mailSubject(cellId, plan).slice(0, 200)
    if (resumed) {
      const sent = (yield* ctx.mailbox.thread(thread).pipe(Effect.catchTag("InvalidInput", Effect.die)))
        .find((m) => m.from === plan.agent && m.subject === subject && m.sentAt >= startedAt)
      if (sent !== undefined) return { message_id: sent.id }
    }
    const outcome = results.get("outcome")?.outcome
    const released = results.get("reservations")?.released ?? []
    const eligible = plan.epicId === null || !plan.success
      ? false
      : yield* ctx.hive.epicProgress(plan.epicId).pipe(
        Effect.map((p) => p.closureEligible),
        Effect.orElseSucceed(() => false)
      )
    const lines = [
      `Summary: ${plan.summary}`,
      ...(plan.failureMode === null ? [] : [`Failure: ${plan.failureMode}`]),
      `Files touched: ${plan.filesTouched.length === 0 ? "(none reported)" : plan.filesTouched.join(", ")}`,
      plan.verification.length === 0
        ? "Verification: none run"
        : `Verification: ${plan.verification.map((v) => `\`${v.command}\` ${v.passed ? "passed" : "failed"}`).join("; ")}`,
      `Reservations released: ${released.length}`,
      ...(outcome === undefined ? [] : [`Outcome recorded: ${outcome.signal} (score ${outcome.score.toFixed(2)})` +
        (outcome.inversions.length === 0 ? "" : `; new anti-patterns: ${outcome.inversions.join("; ")}`)]),
      plan.success
        ? `Cell ${cellId} is closed. Review it with ${ctx.config.tools.review} if it needs a review.`
        : `Cell ${cellId} is blocked: reassign it (${ctx.config.tools.spawn} with reassign: true) or rescope it.`,
      ...(eligible ? [`All subtasks of epic ${plan.epicId} are closed: the epic can be closed.`] : [])
    ]
    const id = yield* sendMail(ctx, {
      from: plan.agent,
      to: [plan.coordinator],
      subject,
      body: lines.join("\n"),
      thread,
      importance: plan.success ? "normal" : "urgent"
    })
    return { message_id: id }
  })

export type StepError = InvalidInput | StorageError | CellNotFound | AmbiguousId | InvalidTransition | UnknownStrategy

export const runStep = (step: CompletionStep, s: StepContext): Effect.Effect<StepResult, StepError> => {
  switch (step) {
    case "cell":
      return cellStep(s)
    case "reservations":
      return reservationsStep(s)
    case "deferred":
      return deferredStep(s)
    case "outcome":
      return outcomeStep(s)
    case "memory":
      return memoryStep(s)
    case "mail":
      return mailStep(s)
  }
}
