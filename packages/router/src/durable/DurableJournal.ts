/**
 * A `StepJournal` on the Waggle event store: each completed step's output is an event
 * (`workflow_step_completed`) and a row of the `workflow_steps` projection. A workflow whose
 * process died is run again with the same `runId` and resumes after its last recorded step, with
 * the recorded outputs as inputs; recorded steps are not run again.
 *
 * What "not run again" covers: a step whose output was recorded. A step that was running when the
 * process died had not been recorded, so it runs again (at-least-once for in-flight steps): give
 * such steps idempotent side effects, or make their effects database writes in the same
 * transaction as the record.
 */
import { Effect, Layer, Option } from "effect"
import type { MigrationError, StorageError } from "@waggle/primitives"
import { EventStore, sql, Storage } from "@waggle/primitives"
import { JournalError, StepJournal } from "../StepJournal.js"
import type { StepKey } from "../StepJournal.js"
import { DurableWorkflowModule, WorkflowStepCompleted } from "./module.js"

const streamOf = (key: StepKey) => `workflow:${key.workflow}:${key.runId}`

const toJson = (value: unknown): Effect.Effect<string, JournalError> =>
  Effect.try({
    try: () => {
      const json = JSON.stringify(value === undefined ? null : value)
      if (json === undefined) throw new Error("the output is not JSON-serialisable")
      return json
    },
    catch: (cause) => new JournalError({ message: "Cannot store a step output that is not JSON: give the step an `output` schema", cause })
  })

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  yield* store.install(DurableWorkflowModule)
  const failed = (message: string) => (cause: unknown) => new JournalError({ message, cause })

  const journal: typeof StepJournal.Service = {
    lookup: (key) =>
      storage.queryOne<{ output: string }>(
        sql`SELECT output FROM workflow_steps
            WHERE project = ${store.project} AND workflow = ${key.workflow} AND run_id = ${key.runId} AND step = ${key.step}`
      ).pipe(
        Effect.map((row) => (row === undefined ? Option.none() : Option.some(JSON.parse(row.output) as unknown))),
        Effect.mapError(failed(`Cannot read the journal of ${key.workflow}/${key.runId}`))
      ),
    record: (key, output) =>
      Effect.flatMap(toJson(output), (json) =>
        store.append(streamOf(key), [WorkflowStepCompleted.make({ ...key, output: json })]).pipe(
          Effect.asVoid,
          Effect.mapError(failed(`Cannot record step ${key.step} of ${key.workflow}/${key.runId}`))
        ))
  }
  return journal
})

export const DurableJournal = {
  /** A `StepJournal` on the event store of this process's `Storage` and `Project`. */
  layer: Layer.effect(StepJournal, make) as Layer.Layer<StepJournal, MigrationError | StorageError, EventStore | Storage>
}
