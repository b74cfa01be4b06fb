/**
 * The input schemas of the swarm operations, one per tool. Names follow the swarm-tools plugin
 * where the job is the same (`bead_id`, `epic_id`, `agent_name`, `project_key`, `files_touched`,
 * `summary`); `cell_id` is the hive's name for `bead_id` (give either). Every field carries a
 * description, so `JSONSchema.make(SwarmInputs.Complete)` is a ready tool input schema.
 */
import { Schema } from "effect"
import { BoundedText, Name, Text } from "@waggle/primitives"

const describe = <S extends Schema.Schema.Any>(schema: S, description: string): S =>
  schema.annotations({ description }) as S

export const MAX_FILES = 500
export const AgentName = Name(200)
export const CellId = BoundedText(200)
export const StrategyName = Name(100)
export const FilePath = BoundedText(1000)
export const Files = Schema.Array(FilePath).pipe(Schema.maxItems(MAX_FILES))
const Count = Schema.Int.pipe(Schema.nonNegative())
const Percent = Schema.Int.pipe(Schema.between(0, 100))

const projectKey = Schema.optional(
  describe(BoundedText(4096), "The project's path or key; when given it must be this server's project")
)

const cellRef = {
  cell_id: Schema.optional(describe(CellId, "The subtask's cell id")),
  bead_id: Schema.optional(describe(CellId, "Same as cell_id (swarm-tools name)"))
}

type CellRefFields = { readonly cell_id?: string | undefined; readonly bead_id?: string | undefined; readonly task_id?: string | undefined }

/** The cell an input names: `cell_id`, or its aliases `bead_id` / `task_id`. */
export const cellIdOf = (input: CellRefFields): string => (input.cell_id ?? input.bead_id ?? input.task_id)!

const exactlyOneCell = (input: CellRefFields) => {
  const given = [input.cell_id, input.bead_id, input.task_id].filter((x) => x !== undefined)
  if (given.length === 1) return true
  return { path: ["cell_id"], message: given.length === 0 ? "give cell_id (or bead_id)" : "give only one of cell_id, bead_id, task_id" }
}

export const Decompose = Schema.Struct({
  task: describe(BoundedText(10_000), "The task to decompose"),
  context: Schema.optional(describe(Text.pipe(Schema.maxLength(50_000)), "Codebase facts and constraints for the decomposer")),
  max_subtasks: Schema.optional(describe(Schema.Int.pipe(Schema.between(1, 50)), "Suggested upper bound on subtasks")),
  precedent_limit: Schema.optional(describe(Schema.Int.pipe(Schema.between(0, 20)), "How many similar past tasks to show (default 3; 0: none)")),
  project_key: projectKey
})
export type Decompose = typeof Decompose.Encoded

export const ValidateDecomposition = Schema.Struct({
  response: describe(
    Schema.Union(Text.pipe(Schema.maxLength(1_000_000)), Schema.Record({ key: Schema.String, value: Schema.Unknown })),
    "The decomposer's answer: JSON text (code fences allowed) or the parsed object"
  ),
  strategy: Schema.optional(describe(StrategyName, "The strategy the decomposition follows (labels the epic)")),
  project_key: projectKey
})
export type ValidateDecomposition = typeof ValidateDecomposition.Encoded

export const SpawnSubtask = Schema.Struct({
  ...cellRef,
  epic_id: Schema.optional(describe(CellId, "The epic; checked against the cell's parent")),
  agent_name: describe(AgentName, "The worker's agent name: the cell is claimed for it"),
  coordinator: Schema.optional(describe(AgentName, "Who the worker reports to (default from the configuration: coordinator)")),
  shared_context: Schema.optional(describe(Text.pipe(Schema.maxLength(20_000)), "Context shared by every worker of the epic")),
  strategy: Schema.optional(describe(StrategyName, "The decomposition strategy, recorded for the outcome")),
  create_deferred: Schema.optional(describe(Schema.Boolean, "Create a durable deferred the coordinator can await; resolved by swarm_complete")),
  deferred_ttl_ms: Schema.optional(describe(Schema.Int.pipe(Schema.between(1000, 366 * 24 * 3_600_000)), "Lifetime of that deferred (default 24 h)")),
  reassign: Schema.optional(describe(Schema.Boolean, "Take the cell over from its current holder (releases that agent's reservations)")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type SpawnSubtask = typeof SpawnSubtask.Encoded

export const ProgressStatus = Schema.Literal("in_progress", "blocked", "completed", "failed")
export type ProgressStatus = typeof ProgressStatus.Type

export const Progress = Schema.Struct({
  ...cellRef,
  agent_name: describe(AgentName, "The worker holding the cell"),
  status: describe(ProgressStatus, "Current status (blocked also blocks the cell)"),
  progress_percent: Schema.optional(describe(Percent, "0..100; reaching 25, 50 or 75 stores a checkpoint")),
  message: Schema.optional(describe(BoundedText(4000), "What was done or what blocks")),
  files_touched: Schema.optional(describe(Files, "Files modified so far")),
  blockers: Schema.optional(describe(Schema.Array(BoundedText(1000)).pipe(Schema.maxItems(20)), "What blocks the work")),
  notify: Schema.optional(describe(Schema.Boolean, "Mail the coordinator (default true)")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type Progress = typeof Progress.Encoded

export const Checkpoint = Schema.Struct({
  ...cellRef,
  epic_id: Schema.optional(describe(CellId, "The epic; checked against the cell's parent")),
  agent_name: describe(AgentName, "The worker holding the cell"),
  files_touched: Schema.optional(describe(Files, "Files modified so far")),
  files_modified: Schema.optional(describe(Files, "Same as files_touched (swarm-tools name)")),
  progress_percent: Schema.optional(describe(Percent, "0..100")),
  notes: Schema.optional(describe(Text.pipe(Schema.maxLength(20_000)), "State a replacement worker needs")),
  next_steps: Schema.optional(describe(Schema.Array(BoundedText(2000)).pipe(Schema.maxItems(50)), "What remains, in order")),
  error_context: Schema.optional(describe(Text.pipe(Schema.maxLength(20_000)), "The error being handled, if any")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type Checkpoint = typeof Checkpoint.Encoded

export const Recover = Schema.Struct({
  ...cellRef,
  epic_id: Schema.optional(describe(CellId, "Without a cell: the most recent checkpoint among the epic's subtasks")),
  agent_name: Schema.optional(describe(AgentName, "The replacement worker (addressed by the prompt)")),
  project_key: projectKey
}).pipe(Schema.filter((i) =>
  [i.cell_id, i.bead_id, i.epic_id].filter((x) => x !== undefined).length === 1 ||
  { path: ["cell_id"], message: "give exactly one of cell_id (bead_id) or epic_id" }
))
export type Recover = typeof Recover.Encoded

export const Status = Schema.Struct({
  epic_id: describe(CellId, "The epic"),
  project_key: projectKey
})
export type Status = typeof Status.Encoded

export const Complete = Schema.Struct({
  ...cellRef,
  agent_name: describe(AgentName, "The worker holding the cell"),
  summary: describe(BoundedText(4000), "What was done (the close reason and the coordinator's mail)"),
  result: Schema.optional(describe(Text.pipe(Schema.maxLength(100_000)), "The cell's result (default: the summary)")),
  files_touched: Schema.optional(describe(Files, "Files modified")),
  verification_commands: Schema.optional(describe(
    Schema.Array(BoundedText(4000)).pipe(Schema.maxItems(20)),
    "Shell commands run in the project root before anything changes; a failure stops the completion"
  )),
  verification_timeout_ms: Schema.optional(describe(Schema.Int.pipe(Schema.between(100, 1_800_000)), "Per command (default 120000)")),
  skip_verification: Schema.optional(describe(Schema.Boolean, "Do not run the verification commands")),
  success: Schema.optional(describe(Schema.Boolean, "false: the subtask failed (the cell is blocked, not closed; default true)")),
  failure_mode: Schema.optional(describe(BoundedText(500), "Why it failed (with success: false)")),
  error_count: Schema.optional(describe(Count, "Errors met")),
  retry_count: Schema.optional(describe(Count, "Retries needed")),
  start_time: Schema.optional(describe(Count, "When the work started (ms since the epoch; default: when it was spawned)")),
  strategy: Schema.optional(describe(StrategyName, "Overrides the strategy recorded at spawn")),
  learnings: Schema.optional(describe(Schema.Array(BoundedText(8000)).pipe(Schema.maxItems(20)), "Lessons to store in memory")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type Complete = typeof Complete.Encoded

const CriterionInput = Schema.Union(
  BoundedText(1000),
  Schema.Struct({ criterion: BoundedText(1000), met: Schema.Boolean })
)

export const RecordOutcome = Schema.Struct({
  ...cellRef,
  epic_id: Schema.optional(describe(CellId, "Default: the cell's parent")),
  task: Schema.optional(describe(BoundedText(2000), "Short task summary for precedent (default: the cell's title)")),
  duration_ms: Schema.optional(describe(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), "Default: since the subtask was spawned")),
  error_count: Schema.optional(describe(Count, "Default 0")),
  retry_count: Schema.optional(describe(Count, "Default 0")),
  success: describe(Schema.Boolean, "Whether the subtask succeeded"),
  files_touched: Schema.optional(describe(Files, "Files modified")),
  strategy: Schema.optional(describe(StrategyName, "Default: the strategy recorded at spawn")),
  patterns: Schema.optional(describe(Schema.Array(Name(500)).pipe(Schema.maxItems(50)), "Patterns the work followed")),
  failure_mode: Schema.optional(describe(BoundedText(200), "Failure class (timeout, conflict, ...)")),
  failure_details: Schema.optional(describe(BoundedText(1700), "Failure details")),
  criteria: Schema.optional(describe(
    Schema.Array(CriterionInput).pipe(Schema.maxItems(100)),
    "Criteria met: names (met = success) or { criterion, met }"
  )),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type RecordOutcome = typeof RecordOutcome.Encoded

const reviewRef = {
  ...cellRef,
  task_id: Schema.optional(describe(CellId, "Same as cell_id (swarm-tools review name)"))
}

export const Review = Schema.Struct({
  ...reviewRef,
  epic_id: Schema.optional(describe(CellId, "The epic; checked against the cell's parent")),
  files_touched: Schema.optional(describe(Files, "Files to review (default: those the completion reported)")),
  diff: Schema.optional(describe(Text.pipe(Schema.maxLength(1_000_000)), "The diff or its summary (default: git diff --stat of the files)")),
  acceptance_criteria: Schema.optional(describe(
    Schema.Array(BoundedText(1000)).pipe(Schema.maxItems(30)),
    "Default: the cell description's acceptance criteria, else general ones"
  )),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type Review = typeof Review.Encoded

export const ReviewIssue = Schema.Struct({
  file: Schema.optional(FilePath),
  line: Schema.optional(Schema.Int.pipe(Schema.positive())),
  issue: BoundedText(4000),
  suggestion: Schema.optional(BoundedText(4000))
})
export type ReviewIssue = typeof ReviewIssue.Type
export const ReviewIssues = Schema.Array(ReviewIssue).pipe(Schema.maxItems(50))

export const ReviewFeedback = Schema.Struct({
  ...reviewRef,
  status: describe(Schema.Literal("approved", "needs_changes"), "The verdict"),
  summary: Schema.optional(describe(BoundedText(4000), "The review's summary")),
  issues: Schema.optional(describe(
    Schema.Union(ReviewIssues, Text.pipe(Schema.maxLength(200_000))),
    "Required with needs_changes: [{ file?, line?, issue, suggestion? }], or that array as JSON text"
  )),
  agent_name: Schema.optional(describe(AgentName, "The reviewer (default: the subtask's coordinator)")),
  worker_id: Schema.optional(describe(AgentName, "The worker (default: the cell's assignee)")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type ReviewFeedback = typeof ReviewFeedback.Encoded

export const Insights = Schema.Struct({
  task: describe(BoundedText(10_000), "The task"),
  precedent_limit: Schema.optional(describe(Schema.Int.pipe(Schema.between(0, 20)), "How many similar past tasks (default 3)")),
  project_key: projectKey
})
export type Insights = typeof Insights.Encoded

export const AwaitSubtask = Schema.Struct({
  ...cellRef,
  timeout_ms: Schema.optional(describe(Schema.Int.pipe(Schema.between(0, 86_400_000)), "Default: until the deferred expires")),
  project_key: projectKey
}).pipe(Schema.filter(exactlyOneCell))
export type AwaitSubtask = typeof AwaitSubtask.Encoded
