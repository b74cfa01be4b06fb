/**
 * The `Swarm` service: the coordination logic behind the swarm_* tools. Every method takes the
 * tool's raw arguments (decoded with its `SwarmInputs` schema: bad input is `InvalidInput` and
 * changes nothing) and returns the tool's result (its `SwarmOutputs` schema: plain JSON). The
 * tools are prompt-producing: no model runs here; agents read the prompts and call back.
 *
 * The layer installs the swarm's event module (events `swarm_subtask_spawned`,
 * `swarm_progress_reported`, `swarm_checkpoint_saved`, `swarm_review_recorded`,
 * `swarm_completion_*`; projections `swarm_subtasks`, `swarm_checkpoints`, `swarm_reviews`).
 * `Memory` is optional (without it: no memories in worker prompts, none stored on completion);
 * `SwarmConfig` is optional (defaults otherwise).
 */
import { Context, Effect, Layer } from "effect"
import { Hive } from "@waggle/hive"
import { Learning } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableDeferred, DurableMailbox, EventStore, FileReservations, Project, Storage } from "@waggle/primitives"
import type { InvalidInput, MigrationError, StorageError } from "@waggle/primitives"
import { checkpoint, recover } from "./Checkpoints.js"
import type { CheckpointError, RecoverError } from "./Checkpoints.js"
import { complete } from "./Completion.js"
import type { CompleteError } from "./Completion.js"
import { decompose, insights, validateDecomposition } from "./Decompose.js"
import type { DecomposeError } from "./Decompose.js"
import { recordOutcome } from "./Outcomes.js"
import type { RecordOutcomeError } from "./Outcomes.js"
import { progress } from "./Progress.js"
import type { ProgressError } from "./Progress.js"
import { review, reviewFeedback } from "./Review.js"
import type { ReviewError, ReviewFeedbackError } from "./Review.js"
import { awaitSubtask, spawn } from "./Spawn.js"
import type { AwaitError, SpawnError } from "./Spawn.js"
import { status } from "./Status.js"
import type { StatusError } from "./Status.js"
import { SwarmConfig, defaults as defaultConfig } from "./SwarmConfig.js"
import type * as Outputs from "./SwarmOutputs.js"
import type { SwarmContext } from "./internal/context.js"
import { SwarmModule } from "./internal/module.js"

export type {
  AwaitError,
  CheckpointError,
  CompleteError,
  DecomposeError,
  ProgressError,
  RecordOutcomeError,
  RecoverError,
  ReviewError,
  ReviewFeedbackError,
  SpawnError,
  StatusError
}

export interface SwarmService {
  /** swarm_decompose: the decomposition prompt, with learning's insights and precedent. */
  readonly decompose: (input: unknown) => Effect.Effect<Outputs.Decompose, DecomposeError>
  /** swarm_validate_decomposition: errors and warnings of an answer; when valid, the epic to create. */
  readonly validateDecomposition: (input: unknown) => Effect.Effect<Outputs.ValidationReport, InvalidInput>
  /** swarm_spawn_subtask: claims the cell for the worker, records the spawn, writes the worker prompt. */
  readonly spawnSubtask: (input: unknown) => Effect.Effect<Outputs.SpawnSubtask, SpawnError>
  /** swarm_progress: records a report (and a milestone checkpoint), syncs blocked status, mails the coordinator. */
  readonly progress: (input: unknown) => Effect.Effect<Outputs.Progress, ProgressError>
  /** swarm_checkpoint: a durable snapshot of the subtask's state. */
  readonly checkpoint: (input: unknown) => Effect.Effect<Outputs.Checkpoint, CheckpointError>
  /** swarm_recover: the latest checkpoint and progress of a cell (or epic), with a resume prompt. */
  readonly recover: (input: unknown) => Effect.Effect<Outputs.Recover, RecoverError>
  /** swarm_status: the epic's overview. */
  readonly status: (input: unknown) => Effect.Effect<Outputs.Status, StatusError>
  /** swarm_complete: verify, close, release, resolve, learn, remember, notify (see `Completion.ts`). */
  readonly complete: (input: unknown) => Effect.Effect<Outputs.Complete, CompleteError>
  /** swarm_record_outcome: an outcome into learning with the swarm's defaults. */
  readonly recordOutcome: (input: unknown) => Effect.Effect<Outputs.RecordOutcome, RecordOutcomeError>
  /** swarm_review: the review prompt for a completed subtask. */
  readonly review: (input: unknown) => Effect.Effect<Outputs.Review, ReviewError>
  /** swarm_review_feedback: approve, or reject with issues (blocked at the limit). */
  readonly reviewFeedback: (input: unknown) => Effect.Effect<Outputs.ReviewFeedback, ReviewFeedbackError>
  /** swarm_insights: learning's strategy insights for a task, with precedent. */
  readonly insights: (input: unknown) => Effect.Effect<Outputs.Insights, InvalidInput | StorageError>
  /** swarm_await: waits for a subtask's completion deferred (spawned with create_deferred). */
  readonly awaitSubtask: (input: unknown) => Effect.Effect<Outputs.AwaitSubtask, AwaitError>
}

const make = Effect.gen(function*() {
  const store = yield* EventStore
  yield* store.install(SwarmModule)
  const ctx: SwarmContext = {
    store,
    storage: yield* Storage,
    project: yield* Project,
    hive: yield* Hive,
    mailbox: yield* DurableMailbox,
    reservations: yield* FileReservations,
    deferred: yield* DurableDeferred,
    learning: yield* Learning,
    memory: yield* Effect.serviceOption(Memory),
    config: yield* Effect.map(Effect.serviceOption(SwarmConfig), (c) => c._tag === "Some" ? c.value : defaultConfig)
  }
  const service: SwarmService = {
    decompose: decompose(ctx),
    validateDecomposition: validateDecomposition(ctx),
    spawnSubtask: spawn(ctx),
    progress: progress(ctx),
    checkpoint: checkpoint(ctx),
    recover: recover(ctx),
    status: status(ctx),
    complete: complete(ctx),
    recordOutcome: recordOutcome(ctx),
    review: review(ctx),
    reviewFeedback: reviewFeedback(ctx),
    insights: insights(ctx),
    awaitSubtask: awaitSubtask(ctx)
  }
  return service
})

export class Swarm extends Context.Tag("@waggle/swarm/Swarm")<Swarm, SwarmService>() {
  /** The swarm on the project's services; installs the swarm module. Memory and SwarmConfig are used when present. */
  static readonly layer: Layer.Layer<
    Swarm,
    MigrationError | StorageError,
    Hive | DurableMailbox | FileReservations | DurableDeferred | Learning | EventStore | Storage | Project
  > = Layer.effect(Swarm, make)
}
