/**
 * `swarm_review` and `swarm_review_feedback`: the coordinator's review of a completed subtask.
 *
 * - The review prompt shows the epic, the subtask, the worker's summary, the files (given, else
 *   those the completion reported, else the cell's) and their diff (given, else `git diff HEAD`
 *   of those files), the acceptance criteria (given, else the "Acceptance criteria" list in the
 *   cell's description, else general ones) and the issues of earlier rejections.
 * - Approval closes the cell if it is not closed yet (then it also releases the worker's
 *   reservations and resolves a pending completion deferred), otherwise it confirms it.
 * - A rejection (`needs_changes`, at least one issue) reopens a closed cell and gives it back to
 *   the worker (in progress) with the issues by mail; the limit-th rejection (3 by default)
 *   blocks the cell instead and mails the coordinator. Rejecting a blocked subtask again is
 *   `ReviewLimitReached`.
 * - Order: the hive is brought to the verdict's state first (each step checks the cell first, so
 *   a retry converges), then the verdict is recorded (`swarm_review_recorded`, compare-and-set on
 *   the rejection count: a concurrent verdict is `ReviewConflict`), then the mail is sent.
 */
import { Effect, Either, Schema } from "effect"
import type { AmbiguousId, Cell, CellAlreadyClaimed, CellBlocked, CellNotFound, InvalidTransition } from "@waggle/hive"
import { InvalidInput, issuesOf } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import * as ReviewPrompt from "./ReviewPrompt.js"
import { ReviewConflict, ReviewLimitReached } from "./SwarmErrors.js"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import { issueText, ReviewRecorded } from "./internal/events.js"
import type { StoredIssue } from "./internal/events.js"
import type { SwarmContext } from "./internal/context.js"
import { appendOwn, checkEpic, epicOf, inputDecoder, sendMail } from "./internal/context.js"
import { diffAgainstHead } from "./internal/git.js"
import { completionOf, reviews, subtaskRow } from "./internal/rows.js"

export type ReviewError = InvalidInput | StorageError | CellNotFound | AmbiguousId

export const review = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Review, "swarm_review")
  return (input: unknown): Effect.Effect<Outputs.Review, ReviewError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const cell = yield* ctx.hive.get(Inputs.cellIdOf(a))
      yield* checkEpic(ctx, cell, a.epic_id, "swarm_review")
      const epic = yield* epicOf(ctx, cell)
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, cell.id)
      const plan = row === undefined ? null : completionOf(row).plan
      const previous = (yield* reviews(ctx.storage, ctx.store.project, cell.id)).filter((r) => r.status === "needs_changes")
      const files = [...(a.files_touched ?? (plan !== null && plan.filesTouched.length > 0 ? plan.filesTouched : cell.files))]
      const fromDescription = ReviewPrompt.criteriaFrom(cell.description)
      const criteria = [...(a.acceptance_criteria ?? (fromDescription.length > 0 ? fromDescription : ReviewPrompt.DEFAULT_CRITERIA))]
      const diff = a.diff ?? (yield* diffAgainstHead(ctx.project.root, files))
      const limit = ctx.config.reviewLimit
      const rejections = row?.rejections ?? 0
      const prompt = ReviewPrompt.build({
        cellId: cell.id,
        title: cell.title,
        description: cell.description,
        status: cell.status,
        worker: cell.assignee ?? row?.worker ?? null,
        epic: epic === null ? null : { id: epic.id, title: epic.title, description: epic.description },
        completion: cell.closedReason ?? plan?.summary ?? null,
        files,
        diff,
        criteria,
        previous: previous.map((r) => ({ attempt: r.rejections, issues: r.issues.map(issueText) })),
        attempt: Math.min(rejections + 1, limit),
        limit,
        feedbackTool: ctx.config.tools.reviewFeedback
      })
      return {
        prompt,
        cell_id: cell.id,
        epic_id: cell.parent,
        title: cell.title,
        files,
        acceptance_criteria: criteria,
        attempt: rejections + 1,
        remaining_attempts: Math.max(0, limit - rejections),
        diff_available: diff !== null,
        response_schema: ReviewPrompt.verdictJsonSchema
      }
    })
}

export type ReviewFeedbackError =
  | InvalidInput
  | StorageError
  | CellNotFound
  | AmbiguousId
  | InvalidTransition
  | CellBlocked
  | CellAlreadyClaimed
  | ReviewLimitReached
  | ReviewConflict

const OPERATION = "swarm_review_feedback"
const decodeIssuesJson = Schema.decodeUnknownEither(Schema.parseJson(Inputs.ReviewIssues), { errors: "all", onExcessProperty: "error" })

const issuesOfInput = (issues: Inputs.ReviewFeedback["issues"]): Effect.Effect<ReadonlyArray<Inputs.ReviewIssue>, InvalidInput> => {
  if (issues === undefined) return Effect.succeed([])
  if (typeof issues !== "string") return Effect.succeed(issues)
  return Either.match(decodeIssuesJson(issues), {
    onLeft: (e) => Effect.fail(new InvalidInput({ operation: OPERATION, issues: issuesOf(e).map((i) => ({ path: `issues${i.path === "" || i.path.startsWith("[") ? i.path : `.${i.path}`}`, message: i.message })) })),
    onRight: Effect.succeed
  })
}

const dieOn = { NotAnEpic: Effect.die, DependencyCycle: Effect.die, SelfDependency: Effect.die } as const

/** The hive state a rejection asks for: reopened, then back with the worker, or blocked at the limit. */
const applyRejection = (ctx: SwarmContext, cell: Cell, worker: string | null, blocked: boolean) =>
  Effect.gen(function*() {
    let current = cell
    if (current.status === "closed") current = yield* ctx.hive.reopen(current.id)
    if (blocked) {
      if (current.status !== "blocked") current = yield* ctx.hive.update(current.id, { status: "blocked" }).pipe(Effect.catchTags(dieOn))
    } else if (worker !== null) current = yield* ctx.hive.claim(current.id, worker)
    return current
  })

/** Approval: the cell closed; if this closes it, the worker's reservations go and the deferred resolves. */
const applyApproval = (ctx: SwarmContext, cell: Cell, worker: string | null, summary: string, token: string | null) =>
  Effect.gen(function*() {
    if (cell.status === "closed") return cell
    const closed = yield* ctx.hive.close(cell.id, { reason: `approved: ${summary}` })
    if (worker !== null) yield* ctx.reservations.releaseMine(worker).pipe(Effect.catchTag("InvalidInput", Effect.die))
    if (token !== null) {
      yield* ctx.deferred.resolve(token, { cell_id: cell.id, success: true, summary: `approved: ${summary}`, files_touched: [] }).pipe(
        Effect.catchTags({ AlreadyCompleted: () => Effect.void, DeferredNotFound: () => Effect.void, InvalidInput: Effect.die })
      )
    }
    return closed
  })

export const reviewFeedback = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.ReviewFeedback, OPERATION)
  return (input: unknown): Effect.Effect<Outputs.ReviewFeedback, ReviewFeedbackError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const issues = yield* issuesOfInput(a.issues)
      if (a.status === "needs_changes" && issues.length === 0) {
        return yield* new InvalidInput({ operation: OPERATION, issues: [{ path: "issues", message: "needs_changes requires at least one issue" }] })
      }
      const cell = yield* ctx.hive.get(Inputs.cellIdOf(a))
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, cell.id)
      const limit = ctx.config.reviewLimit
      const before = row?.rejections ?? 0
      const reviewer = a.agent_name ?? row?.coordinator ?? ctx.config.coordinator
      const worker = a.worker_id ?? cell.assignee ?? row?.worker ?? null
      const rejected = a.status === "needs_changes"
      if (rejected && (row?.review_blocked === 1 || before >= limit)) {
        return yield* new ReviewLimitReached({ cellId: cell.id, rejections: before, limit })
      }
      const rejections = rejected ? before + 1 : before
      const blocked = rejected && rejections >= limit
      const summary = a.summary ?? (rejected ? `${issues.length} issue(s) to fix` : "review approved")
      const after = rejected
        ? yield* applyRejection(ctx, cell, worker, blocked)
        : yield* applyApproval(ctx, cell, worker, summary, row?.deferred_token ?? null)

      const stored: Array<StoredIssue> = issues.map((i) => ({
        file: i.file ?? null,
        line: i.line ?? null,
        issue: i.issue,
        suggestion: i.suggestion ?? null
      }))
      yield* ctx.store.transact((tx) =>
        Effect.gen(function*() {
          const current = yield* subtaskRow(tx, tx.project, cell.id)
          if ((current?.rejections ?? 0) !== before) return yield* new ReviewConflict({ cellId: cell.id })
          yield* appendOwn(tx, cell.id, ReviewRecorded.make({
            cellId: cell.id,
            epicId: cell.parent,
            reviewer,
            worker,
            status: a.status,
            summary: a.summary ?? null,
            issues: stored,
            rejections,
            blocked
          }))
        })
      )

      const thread = cell.parent ?? cell.id
      const notified: Array<string> = []
      const list = stored.map((i) => `- ${issueText(i)}`).join("\n")
      if (blocked) {
        const coordinator = row?.coordinator ?? ctx.config.coordinator
        yield* sendMail(ctx, {
          from: reviewer,
          to: [coordinator],
          subject: `BLOCKED: ${cell.id} rejected ${rejections} times`,
          body: `Cell ${cell.id} (${cell.title}) was rejected ${rejections} times and is now blocked.\n` +
            `Last issues:\n${list}\nReassign it, rescope it, or split it; reviewing it again is refused.`,
          thread,
          importance: "urgent"
        })
        notified.push(coordinator)
      } else if (worker !== null) {
        yield* sendMail(ctx, rejected
          ? {
            from: reviewer,
            to: [worker],
            subject: `Changes requested: ${cell.id} (review ${rejections} of ${limit})`,
            body: `${summary}\nFix these, then call ${ctx.config.tools.complete} again:\n${list}\n` +
              `${limit - rejections} review(s) left before the subtask is blocked.`,
            thread,
            importance: "high"
          }
          : { from: reviewer, to: [worker], subject: `Approved: ${cell.id}`, body: summary, thread })
        notified.push(worker)
      }
      return {
        cell_id: cell.id,
        epic_id: cell.parent,
        status: a.status,
        rejections,
        remaining_attempts: Math.max(0, limit - rejections),
        blocked,
        cell_status: after.status,
        issues: stored,
        notified,
        message: blocked
          ? `Rejected ${rejections} times: ${cell.id} is blocked and the coordinator was told.`
          : rejected
          ? `Changes requested (${limit - rejections} review(s) left); ${cell.id} is back with ${worker ?? "nobody"}.`
          : `Approved; ${cell.id} is closed.`
      }
    })
}
