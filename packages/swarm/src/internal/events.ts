/**
 * The swarm's events, one stream per cell (`swarm:<cell id>`). Payloads hold what happened, with
 * no clock readings: the log gives each event its `createdAt` and `position`.
 */
import { Schema } from "effect"
import { Event } from "@waggle/primitives"

export const streamOf = (cellId: string) => `swarm:${cellId}`

const Str = Schema.String
const NullStr = Schema.NullOr(Str)
const NullNum = Schema.NullOr(Schema.Number)
const Strs = Schema.Array(Str)

export const ProgressStatus = Schema.Literal("in_progress", "blocked", "completed", "failed")

/** The coordinator handed the cell to a worker (and maybe registered a completion deferred). */
export const SubtaskSpawned = Event.define("swarm_subtask_spawned", {
  cellId: Str,
  epicId: NullStr,
  worker: Str,
  coordinator: Str,
  strategy: NullStr,
  deferredToken: NullStr
})

export const ProgressReported = Event.define("swarm_progress_reported", {
  cellId: Str,
  epicId: NullStr,
  agent: Str,
  status: ProgressStatus,
  percent: NullNum,
  message: NullStr,
  filesTouched: Strs,
  blockers: Strs
})

export const CheckpointKind = Schema.Literal("manual", "milestone")

export const CheckpointSaved = Event.define("swarm_checkpoint_saved", {
  cellId: Str,
  epicId: NullStr,
  agent: Str,
  kind: CheckpointKind,
  milestone: NullNum,
  percent: NullNum,
  filesTouched: Strs,
  notes: NullStr,
  nextSteps: Strs,
  errorContext: NullStr
})

export const StoredIssue = Schema.Struct({ file: NullStr, line: NullNum, issue: Str, suggestion: NullStr })
export type StoredIssue = typeof StoredIssue.Type

/** An issue as one line of text: `file:line: issue (suggestion: ...)`. */
export const issueText = (i: StoredIssue): string =>
  `${i.file === null ? "" : `${i.file}${i.line === null ? "" : `:${i.line}`}: `}${i.issue}` +
  (i.suggestion === null ? "" : ` (suggestion: ${i.suggestion})`)

export const ReviewRecorded = Event.define("swarm_review_recorded", {
  cellId: Str,
  epicId: NullStr,
  reviewer: Str,
  worker: NullStr,
  status: Schema.Literal("approved", "needs_changes"),
  summary: NullStr,
  issues: Schema.Array(StoredIssue),
  /** Rejections of the cell so far, this review included. */
  rejections: Schema.Number,
  /** This rejection reached the limit: the cell is blocked. */
  blocked: Schema.Boolean
})

export const StoredVerification = Schema.Struct({
  command: Str,
  exit_code: NullNum,
  timed_out: Schema.Boolean,
  passed: Schema.Boolean,
  duration_ms: Schema.Number,
  output: Str
})

/** Everything the completion's steps need, fixed when it starts (a resumed completion uses it as is). */
export const CompletionPlan = Schema.Struct({
  agent: Str,
  epicId: NullStr,
  title: Str,
  coordinator: Str,
  summary: Str,
  result: Str,
  success: Schema.Boolean,
  failureMode: NullStr,
  filesTouched: Strs,
  durationMs: Schema.Number,
  errorCount: Schema.Number,
  retryCount: Schema.Number,
  strategy: NullStr,
  learnings: Strs,
  deferredToken: NullStr,
  verification: Schema.Array(StoredVerification)
})
export type CompletionPlan = typeof CompletionPlan.Type

export const CompletionStep = Schema.Literal("cell", "reservations", "deferred", "outcome", "memory", "mail")
export type CompletionStep = typeof CompletionStep.Type
export const COMPLETION_STEPS: ReadonlyArray<CompletionStep> = ["cell", "reservations", "deferred", "outcome", "memory", "mail"]

export const StepResult = Schema.Struct({
  cell_status: Schema.optional(Str),
  released: Schema.optional(Strs),
  deferred: Schema.optional(Schema.Literal("none", "resolved", "rejected", "already_completed", "expired")),
  outcome: Schema.optional(Schema.Struct({
    position: Schema.Number,
    score: Schema.Number,
    signal: Str,
    transitions: Strs,
    inversions: Strs
  })),
  memories: Schema.optional(Strs),
  memory_warning: Schema.optional(Str),
  message_id: Schema.optional(Str)
})
export type StepResult = typeof StepResult.Type

export const CompletionStarted = Event.define("swarm_completion_started", { cellId: Str, plan: CompletionPlan })
export const CompletionStepDone = Event.define("swarm_completion_step_done", { cellId: Str, step: CompletionStep, result: StepResult })
export const CompletionFinished = Event.define("swarm_completion_finished", { cellId: Str })
/** The commit point (closing the cell) failed: nothing else had happened; the completion is void. */
export const CompletionAbandoned = Event.define("swarm_completion_abandoned", { cellId: Str, reason: Str })
