/**
 * `swarm_progress`: a worker reports status, percent, a message, files touched and blockers.
 *
 * - Only the cell's holder reports (`NotYourCell`), on a cell that is not closed.
 * - The report is an event (`swarm_progress_reported`). When the percent first reaches a
 *   milestone (25, 50, 75 by default; the highest one reached counts, so 20 → 60 stores the 50%
 *   checkpoint), a `swarm_checkpoint_saved` event (kind `milestone`) is appended in the same
 *   transaction: the check and both appends are one compare-and-set, so two reports never store
 *   the same milestone twice.
 * - `blocked` sets the cell's status to blocked; `in_progress` on a blocked cell starts it again.
 *   This hive update runs first and is idempotent, so a retried report converges.
 * - Unless `notify: false`, the coordinator gets a mail in the epic's thread (high importance for
 *   blocked and failed). The mail is sent after the report is stored: a failed send is an error,
 *   the report stays; retrying stores a second report (reports are a log) and sends the mail.
 */
import { Effect } from "effect"
import type { Cell, CellAlreadyClaimed, CellBlocked } from "@waggle/hive"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import { CheckpointSaved, ProgressReported } from "./internal/events.js"
import type { HeldCellError, SwarmContext } from "./internal/context.js"
import { appendOwn, inputDecoder, requireOpenHeld, sendMail } from "./internal/context.js"
import { subtaskRow } from "./internal/rows.js"

export type ProgressError = HeldCellError | CellBlocked | CellAlreadyClaimed

const OPERATION = "swarm_progress"

/** The highest milestone at or below `percent`, or 0. */
export const milestoneOf = (milestones: ReadonlyArray<number>, percent: number | null): number =>
  percent === null ? 0 : Math.max(0, ...milestones.filter((m) => m <= percent))

/** A live, unclosed cell held by the agent. */
export const heldCell = (ctx: SwarmContext, cellRef: string, agent: string, operation: string) =>
  Effect.gen(function*() {
    const cell = yield* ctx.hive.get(cellRef)
    yield* requireOpenHeld(cell, agent, operation)
    return cell
  })

const syncStatus = (ctx: SwarmContext, cell: Cell, status: Inputs.ProgressStatus, agent: string) => {
  if (status === "blocked" && cell.status !== "blocked") {
    return ctx.hive.update(cell.id, { status: "blocked" }).pipe(
      Effect.catchTags({ NotAnEpic: Effect.die, DependencyCycle: Effect.die, SelfDependency: Effect.die })
    )
  }
  if (status === "in_progress" && cell.status !== "in_progress") return ctx.hive.claim(cell.id, agent)
  return Effect.succeed(cell)
}

export const progress = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Progress, OPERATION)
  return (input: unknown): Effect.Effect<Outputs.Progress, ProgressError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const held = yield* heldCell(ctx, Inputs.cellIdOf(a), a.agent_name, OPERATION)
      const cell = yield* syncStatus(ctx, held, a.status, a.agent_name)
      const percent = a.progress_percent ?? null
      const files = [...new Set(a.files_touched ?? [])]
      const checkpoint = yield* ctx.store.transact((tx) =>
        Effect.gen(function*() {
          const row = yield* subtaskRow(tx, tx.project, cell.id)
          const reached = milestoneOf(ctx.config.milestones, percent)
          yield* appendOwn(tx, cell.id, ProgressReported.make({
            cellId: cell.id,
            epicId: cell.parent,
            agent: a.agent_name,
            status: a.status,
            percent,
            message: a.message ?? null,
            filesTouched: files,
            blockers: [...(a.blockers ?? [])]
          }))
          if (reached <= (row?.milestone ?? 0)) return null
          const data = {
            cellId: cell.id,
            epicId: cell.parent,
            agent: a.agent_name,
            kind: "milestone" as const,
            milestone: reached,
            percent,
            filesTouched: files,
            notes: a.message ?? null,
            nextSteps: [],
            errorContext: null
          }
          const appended = yield* appendOwn(tx, cell.id, CheckpointSaved.make(data))
          const saved: Outputs.CheckpointRecord = {
            id: appended.events[0]!.position,
            cell_id: cell.id,
            epic_id: cell.parent,
            agent: a.agent_name,
            kind: "milestone",
            milestone: reached,
            progress_percent: percent,
            files_touched: files,
            notes: data.notes,
            next_steps: [],
            error_context: null,
            created_at: tx.now
          }
          return saved
        })
      )
      let messageId: string | null = null
      if (a.notify !== false) {
        const row = yield* subtaskRow(ctx.storage, ctx.store.project, cell.id)
        const coordinator = row?.coordinator ?? ctx.config.coordinator
        const lines = [
          `Status: ${a.status}${percent === null ? "" : ` (${percent}%)`}`,
          ...(a.message === undefined ? [] : [`Message: ${a.message}`]),
          ...(files.length === 0 ? [] : [`Files touched: ${files.join(", ")}`]),
          ...((a.blockers ?? []).length === 0 ? [] : [`Blockers:\n${a.blockers!.map((b) => `- ${b}`).join("\n")}`]),
          ...(checkpoint === null ? [] : [`Checkpoint stored at the ${checkpoint.milestone}% milestone.`])
        ]
        messageId = yield* sendMail(ctx, {
          from: a.agent_name,
          to: [coordinator],
          subject: `Progress ${cell.id}: ${a.status}${percent === null ? "" : ` ${percent}%`}`,
          body: lines.join("\n"),
          thread: cell.parent ?? cell.id,
          importance: a.status === "blocked" || a.status === "failed" ? "high" : "normal"
        })
      }
      return {
        cell_id: cell.id,
        epic_id: cell.parent,
        status: a.status,
        progress_percent: percent,
        cell_status: cell.status,
        checkpoint,
        message_id: messageId
      }
    })
}
