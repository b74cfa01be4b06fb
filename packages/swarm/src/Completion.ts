/**
 * `swarm_complete`: finishing a subtask. Atomicity, decided:
 *
 * Hive, reservations, deferreds, learning, memory and mail live in one database, but each service
 * commits its own transactions and exposes no way to join them, so a completion cannot be one
 * transaction. It is a journal (saga) with one commit point and forward recovery:
 *
 * 1. Checks, no writes: the agent holds the cell, the cell is open, the strategy is known.
 * 2. Verification, no writes: the commands run in the project root; the first that fails or
 *    times out stops everything with `VerificationFailed` (nothing changed anywhere).
 * 3. Plan (one transaction, compare-and-set): `swarm_completion_started` records everything the
 *    following steps need; a second concurrent completion of the cell gets `CompletionInProgress`.
 * 4. Commit point, the cell step: success closes the cell (reason = summary); `success: false`
 *    blocks it instead. If this fails (someone closed or deleted the cell meanwhile), the plan is
 *    compensated (`swarm_completion_abandoned`) and the error returned: nothing else happened.
 * 5. Follow-ups, in order, each noted as done (`swarm_completion_step_done`) after it succeeds:
 *    release the worker's reservations; resolve the subtask's deferred (reject it on failure);
 *    record the outcome in learning; store the summary and learnings in memory (best effort: a
 *    memory failure is a warning); mail the coordinator. A failing step stops the run with
 *    `CompletionIncomplete` (done and pending steps named); calling `swarm_complete` again (same
 *    agent) resumes from the plan, without verifying again, and steps done are not repeated.
 *    A crash between a step and its note repeats that step on resume: the cell, reservation,
 *    deferred and mail steps converge (they check first); the outcome is at-least-once.
 * 6. `swarm_completion_finished`.
 */
import { Clock, Effect } from "effect"
import type { UnknownStrategy } from "@waggle/learning"
import { CompletionIncomplete, CompletionInProgress, VerificationFailed } from "./SwarmErrors.js"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import * as Verification from "./Verification.js"
import { appendOwn, epicOf, inputDecoder, requireOpenHeld, strategyFor } from "./internal/context.js"
import type { HeldCellError, SwarmContext } from "./internal/context.js"
import { runStep } from "./internal/completionSteps.js"
import type { StepError } from "./internal/completionSteps.js"
import {
  COMPLETION_STEPS,
  CompletionAbandoned,
  CompletionFinished,
  CompletionStarted,
  CompletionStepDone
} from "./internal/events.js"
import type { CompletionPlan, CompletionStep, StepResult } from "./internal/events.js"
import { completionOf, subtaskRow } from "./internal/rows.js"

export type CompleteError =
  | HeldCellError
  | UnknownStrategy
  | VerificationFailed
  | CompletionInProgress
  | CompletionIncomplete

const OPERATION = "swarm_complete"

const output = (
  cellId: string,
  plan: CompletionPlan,
  results: ReadonlyMap<CompletionStep, StepResult>,
  resumed: boolean
): Outputs.Complete => ({
  cell_id: cellId,
  epic_id: plan.epicId,
  success: plan.success,
  cell_status: results.get("cell")?.cell_status ?? "unknown",
  resumed,
  verification: plan.verification,
  reservations_released: results.get("reservations")?.released ?? [],
  deferred: results.get("deferred")?.deferred ?? "none",
  outcome: results.get("outcome")?.outcome ?? null,
  memories_stored: results.get("memory")?.memories ?? [],
  memory_warning: results.get("memory")?.memory_warning ?? null,
  coordinator: plan.coordinator,
  message_id: results.get("mail")?.message_id ?? null
})

/** Runs the steps not done yet, noting each; then notes the completion finished. */
const runSteps = (
  ctx: SwarmContext,
  cellId: string,
  plan: CompletionPlan,
  done: ReadonlyArray<{ readonly step: CompletionStep; readonly result: StepResult }>,
  startedAt: number,
  resumed: boolean
) =>
  Effect.gen(function*() {
    const results = new Map<CompletionStep, StepResult>(done.map((d) => [d.step, d.result]))
    for (const step of COMPLETION_STEPS) {
      if (results.has(step)) continue
      const result = yield* runStep(step, { ctx, cellId, plan, startedAt, resumed, results }).pipe(
        Effect.catchAll((error): Effect.Effect<never, StepError | CompletionIncomplete> =>
          step === "cell" && !resumed
            ? Effect.zipRight(
              ctx.store.transact((tx) => appendOwn(tx, cellId, CompletionAbandoned.make({ cellId, reason: error.message }))),
              Effect.fail(error)
            )
            : Effect.fail(new CompletionIncomplete({
              cellId,
              done: COMPLETION_STEPS.filter((s) => results.has(s)),
              pending: COMPLETION_STEPS.filter((s) => !results.has(s)),
              reason: error.message
            }))
        )
      )
      yield* ctx.store.transact((tx) => appendOwn(tx, cellId, CompletionStepDone.make({ cellId, step, result })))
      results.set(step, result)
    }
    yield* ctx.store.transact((tx) => appendOwn(tx, cellId, CompletionFinished.make({ cellId })))
    return output(cellId, plan, results, resumed)
  })

export const complete = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Complete, OPERATION)
  return (input: unknown): Effect.Effect<Outputs.Complete, CompleteError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const cell = yield* ctx.hive.get(Inputs.cellIdOf(a))
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, cell.id)

      if (row?.completion_state === "running") {
        if (row.completion_agent !== a.agent_name) {
          return yield* new CompletionInProgress({ cellId: cell.id, agent: row.completion_agent ?? "?" })
        }
        const { plan, steps } = completionOf(row)
        return yield* runSteps(ctx, cell.id, plan!, steps, row.completion_at ?? 0, true)
      }

      yield* requireOpenHeld(cell, a.agent_name, OPERATION)
      const epic = yield* epicOf(ctx, cell)
      const strategy = yield* strategyFor(ctx, a.strategy, row?.strategy, epic)

      const commands = a.skip_verification === true ? [] : a.verification_commands ?? []
      const verification = yield* Verification.runAll(
        commands,
        ctx.project.root,
        a.verification_timeout_ms ?? ctx.config.verificationTimeoutMs
      )
      const failed = verification.find((v) => !v.passed)
      if (failed !== undefined) {
        return yield* new VerificationFailed({
          command: failed.command,
          exitCode: failed.exit_code,
          timedOut: failed.timed_out,
          output: failed.output
        })
      }

      const now = yield* Clock.currentTimeMillis
      const startedWork = a.start_time ?? row?.spawned_at ?? cell.createdAt
      const success = a.success ?? true
      const plan: CompletionPlan = {
        agent: a.agent_name,
        epicId: cell.parent,
        title: cell.title,
        coordinator: row?.coordinator ?? ctx.config.coordinator,
        summary: a.summary,
        result: a.result ?? a.summary,
        success,
        failureMode: success ? null : a.failure_mode ?? a.summary.slice(0, 500),
        filesTouched: [...new Set(a.files_touched ?? [])],
        durationMs: Math.max(0, now - startedWork),
        errorCount: a.error_count ?? 0,
        retryCount: a.retry_count ?? 0,
        strategy,
        learnings: [...(a.learnings ?? [])],
        deferredToken: row?.deferred_token ?? null,
        verification: [...verification]
      }
      const startedAt = yield* ctx.store.transact((tx) =>
        Effect.gen(function*() {
          const current = yield* subtaskRow(tx, tx.project, cell.id)
          if (current?.completion_state === "running") {
            return yield* new CompletionInProgress({ cellId: cell.id, agent: current.completion_agent ?? "?" })
          }
          yield* appendOwn(tx, cell.id, CompletionStarted.make({ cellId: cell.id, plan }))
          return tx.now
        })
      )
      return yield* runSteps(ctx, cell.id, plan, [], startedAt, false)
    })
}
