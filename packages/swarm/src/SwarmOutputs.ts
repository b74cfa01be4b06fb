/**
 * The output schemas of the swarm operations, one per tool. JSON-friendly by construction: plain
 * objects, arrays, strings, numbers (times in ms since the epoch), booleans and null; no Dates,
 * Options or undefined. `JSONSchema.make(SwarmOutputs.Complete)` is a ready tool output schema.
 */
import { Schema } from "effect"

const Str = Schema.String
const Num = Schema.Number
const Bool = Schema.Boolean
const NullStr = Schema.NullOr(Str)
const NullNum = Schema.NullOr(Num)
const Strs = Schema.Array(Str)

export const StrategyChoice = Schema.Struct({
  name: Str,
  /** Probability that it is the best strategy (0..1). */
  confidence: Num,
  reasoning: Str,
  mode: Schema.Literal("warmup", "thompson")
})

export const StrategySummary = Schema.Struct({
  name: Str,
  description: Str,
  success_rate: Num,
  observations: Num,
  maturity: Str,
  anti_pattern: NullStr
})

export const PrecedentItem = Schema.Struct({ id: Str, summary: Str, score: Num })

export const AntiPatternItem = Schema.Struct({
  kind: Schema.Literal("pattern", "strategy"),
  name: Str,
  text: Str,
  failure_rate: Num,
  observations: Num
})

export const Decompose = Schema.Struct({
  prompt: Str,
  task: Str,
  strategy: StrategyChoice,
  strategies: Schema.Array(StrategySummary),
  anti_patterns: Strs,
  patterns: Strs,
  precedent: Schema.Array(PrecedentItem),
  /** JSON Schema of the answer the prompt asks for. */
  response_schema: Schema.Unknown,
  next_steps: Strs
})
export type Decompose = typeof Decompose.Type

export const ValidationIssue = Schema.Struct({
  code: Schema.Literal(
    "invalid_json",
    "schema",
    "no_subtasks",
    "empty_title",
    "duplicate_title",
    "dependency_out_of_range",
    "self_dependency",
    "duplicate_dependency",
    "dependency_cycle",
    "invalid_path",
    "missing_file",
    "directory_path",
    "new_file_exists",
    "glob_base_missing",
    "duplicate_file",
    "no_files",
    "file_conflict",
    "sequential_file_overlap"
  ),
  message: Str,
  /** Where in the answer, e.g. `subtasks[2].files[0]` ("" for the whole answer). */
  path: Str,
  /** The subtasks (indices) involved. */
  subtasks: Schema.Array(Num)
})
export type ValidationIssue = typeof ValidationIssue.Type

export const EpicInput = Schema.Struct({
  title: Str,
  description: Str,
  labels: Strs,
  subtasks: Schema.Array(Schema.Struct({
    title: Str,
    description: Str,
    files: Strs,
    /** Indices of the subtasks it waits for. */
    blockedBy: Schema.Array(Num)
  }))
})
export type EpicInput = typeof EpicInput.Type

export const ValidationReport = Schema.Struct({
  valid: Bool,
  errors: Schema.Array(ValidationIssue),
  warnings: Schema.Array(ValidationIssue),
  stats: Schema.Struct({ subtasks: Num, files: Num, total_complexity: Num, parallel_start: Num }),
  /** When valid: the epic as `Hive.createEpic` (hive_create_epic) takes it. */
  epic_input: Schema.NullOr(EpicInput)
})
export type ValidationReport = typeof ValidationReport.Type

export const MemoryItem = Schema.Struct({ id: Str, content: Str, score: Num })

export const SpawnSubtask = Schema.Struct({
  prompt: Str,
  cell_id: Str,
  epic_id: NullStr,
  title: Str,
  agent_name: Str,
  coordinator: Str,
  files: Strs,
  strategy: NullStr,
  /** The token the coordinator can await (swarm_await / DurableDeferred.await). */
  deferred_token: NullStr,
  /** Whether the prompt resumes from a checkpoint. */
  resumed_from_checkpoint: Bool,
  anti_patterns: Strs,
  memories: Schema.Array(MemoryItem)
})
export type SpawnSubtask = typeof SpawnSubtask.Type

export const CheckpointRecord = Schema.Struct({
  /** Its position in the event log. */
  id: Num,
  cell_id: Str,
  epic_id: NullStr,
  agent: Str,
  kind: Schema.Literal("manual", "milestone"),
  milestone: NullNum,
  progress_percent: NullNum,
  files_touched: Strs,
  notes: NullStr,
  next_steps: Strs,
  error_context: NullStr,
  created_at: Num
})
export type CheckpointRecord = typeof CheckpointRecord.Type

export const ProgressRecord = Schema.Struct({
  status: Schema.Literal("in_progress", "blocked", "completed", "failed"),
  progress_percent: NullNum,
  message: NullStr,
  files_touched: Strs,
  blockers: Strs,
  agent: Str,
  reported_at: Num
})
export type ProgressRecord = typeof ProgressRecord.Type

export const Progress = Schema.Struct({
  cell_id: Str,
  epic_id: NullStr,
  status: Str,
  progress_percent: NullNum,
  cell_status: Str,
  /** The checkpoint this report stored (a milestone was reached), if any. */
  checkpoint: Schema.NullOr(CheckpointRecord),
  message_id: NullStr
})
export type Progress = typeof Progress.Type

export const Checkpoint = Schema.Struct({ checkpoint: CheckpointRecord, summary: Str })
export type Checkpoint = typeof Checkpoint.Type

export const ReservationItem = Schema.Struct({ agent: Str, pattern: Str, exclusive: Bool, expires_at: Num })

export const Recover = Schema.Struct({
  found: Bool,
  cell_id: NullStr,
  epic_id: NullStr,
  title: NullStr,
  cell_status: NullStr,
  assignee: NullStr,
  checkpoint: Schema.NullOr(CheckpointRecord),
  progress: Schema.NullOr(ProgressRecord),
  /** What the cell's holder still has reserved. */
  reservations: Schema.Array(ReservationItem),
  /** How to resume, for the replacement worker. */
  prompt: Str
})
export type Recover = typeof Recover.Type

export const CompletionState = Schema.Literal("none", "running", "finished", "abandoned")

export const SubtaskStatus = Schema.Struct({
  cell_id: Str,
  title: Str,
  status: Str,
  assignee: NullStr,
  /** Open cells it waits for. */
  blocked_by: Strs,
  files: Strs,
  progress: Schema.NullOr(ProgressRecord),
  last_checkpoint_at: NullNum,
  review: Schema.NullOr(Schema.Struct({ status: Str, rejections: Num, blocked: Bool })),
  completion: CompletionState
})
export type SubtaskStatus = typeof SubtaskStatus.Type

export const Status = Schema.Struct({
  epic_id: Str,
  title: Str,
  status: Str,
  total: Num,
  by_status: Schema.Struct({ open: Num, in_progress: Num, blocked: Num, closed: Num }),
  percent_complete: Num,
  closure_eligible: Bool,
  subtasks: Schema.Array(SubtaskStatus),
  reservations: Schema.Array(ReservationItem),
  /** Subtasks that cannot proceed: status blocked, open dependencies, or stuck completions. */
  blocked: Strs,
  summary: Str
})
export type Status = typeof Status.Type

export const VerificationStep = Schema.Struct({
  command: Str,
  exit_code: NullNum,
  timed_out: Bool,
  passed: Bool,
  duration_ms: Num,
  output: Str
})
export type VerificationStep = typeof VerificationStep.Type

export const OutcomeSummary = Schema.Struct({
  position: Num,
  score: Num,
  signal: Str,
  transitions: Strs,
  inversions: Strs
})
export type OutcomeSummary = typeof OutcomeSummary.Type

export const Complete = Schema.Struct({
  cell_id: Str,
  epic_id: NullStr,
  success: Bool,
  cell_status: Str,
  /** A completion that had stopped half-way was finished by this call. */
  resumed: Bool,
  verification: Schema.Array(VerificationStep),
  reservations_released: Strs,
  deferred: Schema.Literal("none", "resolved", "rejected", "already_completed", "expired"),
  outcome: Schema.NullOr(OutcomeSummary),
  memories_stored: Strs,
  memory_warning: NullStr,
  coordinator: Str,
  message_id: NullStr
})
export type Complete = typeof Complete.Type

export const RecordOutcome = Schema.Struct({
  cell_id: Str,
  epic_id: NullStr,
  strategy: NullStr,
  success: Bool,
  position: Num,
  recorded_at: Num,
  score: Num,
  signal: Str,
  transitions: Strs,
  inversions: Strs
})
export type RecordOutcome = typeof RecordOutcome.Type

export const ReviewIssueOut = Schema.Struct({ file: NullStr, line: NullNum, issue: Str, suggestion: NullStr })

export const Review = Schema.Struct({
  prompt: Str,
  cell_id: Str,
  epic_id: NullStr,
  title: Str,
  files: Strs,
  acceptance_criteria: Strs,
  /** This review's number (1 = first). */
  attempt: Num,
  remaining_attempts: Num,
  diff_available: Bool,
  response_schema: Schema.Unknown
})
export type Review = typeof Review.Type

export const ReviewFeedback = Schema.Struct({
  cell_id: Str,
  epic_id: NullStr,
  status: Schema.Literal("approved", "needs_changes"),
  /** Rejections so far, this one included. */
  rejections: Num,
  remaining_attempts: Num,
  blocked: Bool,
  cell_status: Str,
  issues: Schema.Array(ReviewIssueOut),
  /** Who was mailed. */
  notified: Strs,
  message: Str
})
export type ReviewFeedback = typeof ReviewFeedback.Type

export const Insights = Schema.Struct({
  task: Str,
  strategy: StrategyChoice,
  strategies: Schema.Array(StrategySummary),
  anti_patterns: Schema.Array(AntiPatternItem),
  patterns: Schema.Array(Schema.Struct({ name: Str, maturity: Str, success_rate: Num, observations: Num })),
  rules: Schema.Array(Schema.Struct({ id: Str, text: Str, confidence: Num })),
  precedent: Schema.Array(PrecedentItem),
  notes: Strs,
  prompt: Str
})
export type Insights = typeof Insights.Type

export const AwaitSubtask = Schema.Struct({ cell_id: Str, value: Schema.Unknown })
export type AwaitSubtask = typeof AwaitSubtask.Type
