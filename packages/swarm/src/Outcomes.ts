/**
 * `swarm_record_outcome`: an outcome straight into learning, with the swarm's defaults filled in
 * from what the swarm knows about the cell: its epic (the cell's parent), its strategy (recorded
 * at spawn), its task summary (the cell's title) and its duration (since the spawn). A cell the
 * hive does not know is recorded as given.
 */
import { Clock, Effect } from "effect"
import type { AmbiguousId } from "@waggle/hive"
import type { OutcomeInput, OutcomeResult, UnknownStrategy } from "@waggle/learning"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import type { SwarmContext } from "./internal/context.js"
import { inputDecoder } from "./internal/context.js"
import { subtaskRow } from "./internal/rows.js"

export const outcomeSummary = (r: OutcomeResult): Outputs.OutcomeSummary => ({
  position: r.position,
  score: r.score,
  signal: r.signal,
  transitions: r.transitions.map((t) => `${t.kind} ${t.name}: ${t.from} → ${t.to}`),
  inversions: r.inversions.map((i) => i.antiPattern)
})

/** `failure_mode` and `failure_details` as learning's one failure text. */
export const failureText = (mode: string | undefined, details: string | undefined): string | undefined =>
  mode === undefined ? details : details === undefined ? mode : `${mode}: ${details}`

export type RecordOutcomeError = InvalidInput | StorageError | AmbiguousId | UnknownStrategy

export const recordOutcome = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.RecordOutcome, "swarm_record_outcome")
  return (input: unknown): Effect.Effect<Outputs.RecordOutcome, RecordOutcomeError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const ref = Inputs.cellIdOf(a)
      const cell = yield* ctx.hive.get(ref).pipe(Effect.catchTag("CellNotFound", () => Effect.succeed(null)))
      const cellId = cell?.id ?? ref
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, cellId)
      const now = yield* Clock.currentTimeMillis
      const epicId = a.epic_id ?? cell?.parent ?? row?.epic_id ?? null
      const strategy = a.strategy ?? row?.strategy ?? null
      const task = a.task ?? cell?.title.slice(0, 2000)
      const failureMode = failureText(a.failure_mode, a.failure_details)
      const outcome: OutcomeInput = {
        cellId,
        durationMs: a.duration_ms ?? (row?.spawned_at == null ? 0 : Math.max(0, now - row.spawned_at)),
        success: a.success,
        errorCount: a.error_count ?? 0,
        retryCount: a.retry_count ?? 0,
        filesTouched: [...(a.files_touched ?? [])],
        ...(epicId === null ? {} : { epicId }),
        ...(task === undefined ? {} : { task }),
        ...(strategy === null ? {} : { strategy }),
        ...(a.patterns === undefined ? {} : { patterns: [...a.patterns] }),
        ...(failureMode === undefined ? {} : { failureMode }),
        ...(a.criteria === undefined ? {} : {
          criteria: a.criteria.map((c) => (typeof c === "string" ? { criterion: c, met: a.success } : { ...c }))
        })
      }
      const result = yield* ctx.learning.recordOutcome(outcome)
      return {
        cell_id: cellId,
        epic_id: epicId,
        strategy,
        success: a.success,
        ...outcomeSummary(result),
        recorded_at: result.recordedAt
      }
    })
}
