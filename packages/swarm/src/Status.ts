/**
 * `swarm_status`: an epic at a glance: its subtasks by status, who holds which, what each one
 * last reported, their reviews and completions, the reservations their workers hold, and what is
 * blocked (status blocked, or waiting for open dependencies).
 */
import { Effect } from "effect"
import type { AmbiguousId, Cell, CellNotFound, NotAnEpic } from "@waggle/hive"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import type { SwarmContext } from "./internal/context.js"
import { inputDecoder } from "./internal/context.js"
import { progressOf, subtaskRows } from "./internal/rows.js"
import type { SubtaskRow } from "./internal/rows.js"
import { oneLine } from "./internal/text.js"

export type StatusError = InvalidInput | StorageError | CellNotFound | AmbiguousId | NotAnEpic

/** The open cells a cell waits for (`blocks` dependencies not closed). */
const openBlockers = (ctx: SwarmContext, cell: Cell, known: ReadonlyMap<string, Cell>) =>
  Effect.filter(
    cell.dependencies.filter((d) => d.kind === "blocks").map((d) => d.id),
    (id) => {
      const local = known.get(id)
      if (local !== undefined) return Effect.succeed(local.status !== "closed")
      return ctx.hive.get(id).pipe(
        Effect.map((c) => c.status !== "closed"),
        Effect.catchTags({ CellNotFound: () => Effect.succeed(false), AmbiguousId: () => Effect.succeed(false) })
      )
    }
  )

const subtaskStatus = (cell: Cell, row: SubtaskRow | undefined, blockedBy: ReadonlyArray<string>): Outputs.SubtaskStatus => ({
  cell_id: cell.id,
  title: cell.title,
  status: cell.status,
  assignee: cell.assignee,
  blocked_by: [...blockedBy],
  files: [...cell.files],
  progress: progressOf(row),
  last_checkpoint_at: row?.last_checkpoint_at ?? null,
  review: row === undefined || row.review_status === null
    ? null
    : { status: row.review_status, rejections: row.rejections, blocked: row.review_blocked === 1 },
  completion: row?.completion_state ?? "none"
})

const summaryOf = (
  epic: Cell,
  total: number,
  by: Outputs.Status["by_status"],
  subtasks: ReadonlyArray<Outputs.SubtaskStatus>,
  completeTool: string
): string => {
  const parts = [
    `Epic ${epic.id} "${oneLine(epic.title, 120)}": ${by.closed}/${total} closed, ${by.in_progress} in progress, ` +
    `${by.open} open, ${by.blocked} blocked.`
  ]
  const blocked = subtasks.filter((s) => s.status === "blocked" || (s.status !== "closed" && s.blocked_by.length > 0))
  if (blocked.length > 0) {
    parts.push(`Blocked: ${
      blocked.map((s) =>
        `${s.cell_id}${s.review?.blocked === true ? ` (rejected ${s.review.rejections} times)` : ""}` +
        `${s.blocked_by.length > 0 ? ` (waits for ${s.blocked_by.join(", ")})` : ""}`
      ).join("; ")
    }.`)
  }
  const held = subtasks.filter((s) => s.status === "in_progress" && s.assignee !== null)
  if (held.length > 0) {
    parts.push(`Working: ${
      held.map((s) => `${s.cell_id} by ${s.assignee}${s.progress?.progress_percent == null ? "" : ` (${s.progress.progress_percent}%)`}`).join("; ")
    }.`)
  }
  const stuck = subtasks.filter((s) => s.completion === "running")
  if (stuck.length > 0) parts.push(`Completion stopped half-way (call ${completeTool} again): ${stuck.map((s) => s.cell_id).join(", ")}.`)
  return parts.join(" ")
}

export const status = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Status, "swarm_status")
  return (input: unknown): Effect.Effect<Outputs.Status, StatusError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const epicId = yield* ctx.hive.resolve(a.epic_id)
      const progress = yield* ctx.hive.epicProgress(epicId)
      const epic = yield* ctx.hive.get(epicId)
      const children = yield* ctx.hive.query({ parent: epicId, sort: "id", limit: 10_000 })
      const known = new Map(children.map((c) => [c.id, c]))
      const rows = yield* subtaskRows(ctx.storage, ctx.store.project, children.map((c) => c.id))
      const subtasks = yield* Effect.forEach(children, (c) =>
        Effect.map(openBlockers(ctx, c, known), (blockedBy) => subtaskStatus(c, rows.get(c.id), blockedBy)))
      const agents = [...new Set(children.flatMap((c) => (c.assignee === null ? [] : [c.assignee])))].sort()
      const reservations = (yield* Effect.forEach(agents, (agent) =>
        ctx.reservations.list({ agent }).pipe(Effect.catchTag("InvalidInput", Effect.die)))).flat().map((r) => ({
          agent: r.agent,
          pattern: r.pattern,
          exclusive: r.exclusive,
          expires_at: r.expiresAt
        }))
      const by = progress.byStatus
      return {
        epic_id: epicId,
        title: epic.title,
        status: epic.status,
        total: progress.total,
        by_status: { open: by.open, in_progress: by.in_progress, blocked: by.blocked, closed: by.closed },
        percent_complete: progress.total === 0 ? 0 : Math.round((by.closed / progress.total) * 100),
        closure_eligible: progress.closureEligible,
        subtasks,
        reservations,
        blocked: subtasks
          .filter((s) => s.status === "blocked" || (s.status !== "closed" && s.blocked_by.length > 0))
          .map((s) => s.cell_id),
        summary: summaryOf(epic, progress.total, by, subtasks, ctx.config.tools.complete)
      }
    })
}
