/**
 * `swarm_checkpoint` and `swarm_recover`: durable state for workers that lose their context.
 *
 * - A checkpoint (`swarm_checkpoint_saved`, kind `manual`) records what a replacement needs:
 *   files touched, progress, notes, next steps, the error being handled. Only the holder of an
 *   unclosed cell checkpoints it. Checkpoints are never overwritten: recovery reads the latest.
 *   (`swarm_progress` stores kind `milestone` checkpoints by itself.)
 * - Recovery needs no ownership: given a cell, it returns the cell's latest checkpoint and
 *   progress, what its holder still has reserved, and a prompt for the replacement; given an
 *   epic, the same for the subtask checkpointed most recently. Nothing found is `found: false`.
 */
import { Effect } from "effect"
import type { AmbiguousId, CellNotFound } from "@waggle/hive"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import { heldCell } from "./Progress.js"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import * as WorkerPrompt from "./WorkerPrompt.js"
import { CheckpointSaved } from "./internal/events.js"
import type { HeldCellError, SwarmContext } from "./internal/context.js"
import { appendOwn, checkEpic, inputDecoder } from "./internal/context.js"
import { latestCheckpoint, progressOf, subtaskRow } from "./internal/rows.js"

export type CheckpointError = HeldCellError

export const checkpoint = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Checkpoint, "swarm_checkpoint")
  return (input: unknown): Effect.Effect<Outputs.Checkpoint, CheckpointError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const cell = yield* heldCell(ctx, Inputs.cellIdOf(a), a.agent_name, "swarm_checkpoint")
      yield* checkEpic(ctx, cell, a.epic_id, "swarm_checkpoint")
      const files = [...new Set([...(a.files_touched ?? []), ...(a.files_modified ?? [])])]
      const data = {
        cellId: cell.id,
        epicId: cell.parent,
        agent: a.agent_name,
        kind: "manual" as const,
        milestone: null,
        percent: a.progress_percent ?? null,
        filesTouched: files,
        notes: a.notes ?? null,
        nextSteps: [...(a.next_steps ?? [])],
        errorContext: a.error_context ?? null
      }
      const saved = yield* ctx.store.transact((tx) =>
        Effect.map(appendOwn(tx, cell.id, CheckpointSaved.make(data)), (r): Outputs.CheckpointRecord => ({
          id: r.events[0]!.position,
          cell_id: cell.id,
          epic_id: cell.parent,
          agent: a.agent_name,
          kind: "manual",
          milestone: null,
          progress_percent: data.percent,
          files_touched: files,
          notes: data.notes,
          next_steps: data.nextSteps,
          error_context: data.errorContext,
          created_at: tx.now
        }))
      )
      return {
        checkpoint: saved,
        summary: `Checkpoint ${saved.id} saved for ${cell.id}` +
          `${saved.progress_percent === null ? "" : ` at ${saved.progress_percent}%`} (${files.length} files)`
      }
    })
}

export type RecoverError = InvalidInput | StorageError | CellNotFound | AmbiguousId

export const recover = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Recover, "swarm_recover")
  return (input: unknown): Effect.Effect<Outputs.Recover, RecoverError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const project = ctx.store.project
      let cellId: string
      if (a.epic_id !== undefined) {
        const epicId = yield* ctx.hive.resolve(a.epic_id)
        const latest = yield* latestCheckpoint(ctx.storage, project, { epicId })
        if (latest === null) {
          return {
            found: false,
            cell_id: null,
            epic_id: epicId,
            title: null,
            cell_status: null,
            assignee: null,
            checkpoint: null,
            progress: null,
            reservations: [],
            prompt: `No checkpoint was saved for any subtask of epic ${epicId}: start each from its description.`
          }
        }
        cellId = latest.cell_id
      } else {
        cellId = yield* ctx.hive.resolve(Inputs.cellIdOf(a))
      }
      const cell = yield* ctx.hive.get(cellId, { includeDeleted: true })
      const checkpointRecord = yield* latestCheckpoint(ctx.storage, project, { cellId })
      const progress = progressOf(yield* subtaskRow(ctx.storage, project, cellId))
      const reservations = cell.assignee === null
        ? []
        : (yield* ctx.reservations.list({ agent: cell.assignee }).pipe(Effect.catchTag("InvalidInput", Effect.die))).map((r) => ({
          agent: r.agent,
          pattern: r.pattern,
          exclusive: r.exclusive,
          expires_at: r.expiresAt
        }))
      const resume = { checkpoint: checkpointRecord, progress }
      return {
        found: checkpointRecord !== null || progress !== null,
        cell_id: cell.id,
        epic_id: cell.parent,
        title: cell.title,
        cell_status: cell.status,
        assignee: cell.assignee,
        checkpoint: checkpointRecord,
        progress,
        reservations,
        prompt: WorkerPrompt.recovery({
          agent: a.agent_name ?? null,
          cellId: cell.id,
          title: cell.title,
          status: cell.status,
          assignee: cell.assignee,
          epicId: cell.parent,
          resume,
          reservations,
          tools: ctx.config.tools
        })
      }
    })
}
