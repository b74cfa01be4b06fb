/**
 * Where a workflow run records the output of each completed step, so that running
 * it again with the same `runId` (after a crash, a deploy, a kill) skips the steps
 * already done. Before running a step the executor asks `lookup`; after the step
 * completes it calls `record`. Outputs are passed through the step's `output`
 * schema when it has one (encoded before `record`, decoded after `lookup`), so a
 * durable journal only ever stores JSON-ready values.
 *
 * Without a StepJournal in the context, nothing is recorded. `StepJournal.layerMemory`
 * keeps records in memory (per process); a durable journal (e.g. on the
 * @waggle/primitives event store) is a Layer implementing the same two functions.
 */
import { Context, Effect, Layer, Option, Schema } from "effect"

/** Identifies one step of one run. */
export interface StepKey {
  readonly workflow: string
  readonly runId: string
  readonly step: string
}

/** The journal could not be read or written. */
export class JournalError extends Schema.TaggedError<JournalError>()("JournalError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

export interface StepJournalService {
  /** The recorded output of a completed step, if any. */
  readonly lookup: (key: StepKey) => Effect.Effect<Option.Option<unknown>, JournalError>
  /** Records the output of a step that just completed. */
  readonly record: (key: StepKey, output: unknown) => Effect.Effect<void, JournalError>
}

export class StepJournal extends Context.Tag("@waggle/router/StepJournal")<StepJournal, StepJournalService>() {
  /** A journal kept in memory: resumes within one process. */
  static readonly layerMemory: Layer.Layer<StepJournal> = Layer.sync(StepJournal, () => makeMemoryJournal())
}

const keyOf = (key: StepKey) => JSON.stringify([key.workflow, key.runId, key.step])

/** An in-memory journal (also handy in tests: `entries()` shows what was recorded). */
export const makeMemoryJournal = (): StepJournalService & { readonly entries: () => ReadonlyMap<string, unknown> } => {
  const records = new Map<string, unknown>()
  return {
    lookup: (key) => Effect.sync(() => (records.has(keyOf(key)) ? Option.some(records.get(keyOf(key))) : Option.none())),
    record: (key, output) => Effect.sync(() => void records.set(keyOf(key), output)),
    entries: () => records
  }
}
