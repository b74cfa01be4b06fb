/**
 * The swarm tools as data, for hosts (the MCP server, a CLI): name, description, input and output
 * schemas, and the `Swarm` method that implements each. A host registers each tool with
 * `JSONSchema.make(tool.input)` / `JSONSchema.make(tool.output)` and calls `swarm[tool.method](args)`.
 */
import type { Schema } from "effect"
import type { SwarmService } from "./Swarm.js"
import * as Inputs from "./SwarmInputs.js"
import * as Outputs from "./SwarmOutputs.js"

export interface ToolDefinition {
  readonly name: string
  readonly description: string
  readonly input: Schema.Schema.Any
  readonly output: Schema.Schema.Any
  readonly method: keyof SwarmService
}

export const tools: ReadonlyArray<ToolDefinition> = [
  {
    name: "swarm_decompose",
    description: "Decomposition prompt for a task, with learned strategy insights, anti-patterns and similar past tasks, and the JSON shape to answer with.",
    input: Inputs.Decompose,
    output: Outputs.Decompose,
    method: "decompose"
  },
  {
    name: "swarm_validate_decomposition",
    description: "Check a decomposition answer: file conflicts, dependency errors and cycles, missing files, titles. Valid answers come back as an epic to create.",
    input: Inputs.ValidateDecomposition,
    output: Outputs.ValidationReport,
    method: "validateDecomposition"
  },
  {
    name: "swarm_spawn_subtask",
    description: "Claim a subtask for a worker and get the worker's prompt (files, reservation and mail protocol, learned anti-patterns, memories).",
    input: Inputs.SpawnSubtask,
    output: Outputs.SpawnSubtask,
    method: "spawnSubtask"
  },
  {
    name: "swarm_progress",
    description: "Report progress on your subtask to the coordinator; 25/50/75% store a checkpoint, blocked blocks the cell.",
    input: Inputs.Progress,
    output: Outputs.Progress,
    method: "progress"
  },
  {
    name: "swarm_checkpoint",
    description: "Save your subtask's state (files touched, notes, next steps) so that a replacement can resume.",
    input: Inputs.Checkpoint,
    output: Outputs.Checkpoint,
    method: "checkpoint"
  },
  {
    name: "swarm_recover",
    description: "Latest checkpoint and progress of a subtask (or of an epic's most recent one), with a resume prompt.",
    input: Inputs.Recover,
    output: Outputs.Recover,
    method: "recover"
  },
  {
    name: "swarm_status",
    description: "An epic's overview: subtasks by status, holders, last progress, reviews, reservations, blocked items.",
    input: Inputs.Status,
    output: Outputs.Status,
    method: "status"
  },
  {
    name: "swarm_complete",
    description: "Finish your subtask: run verification commands, close the cell, release reservations, record the outcome and learnings, notify the coordinator.",
    input: Inputs.Complete,
    output: Outputs.Complete,
    method: "complete"
  },
  {
    name: "swarm_record_outcome",
    description: "Record a subtask's outcome (duration, errors, retries, success, strategy) for learning.",
    input: Inputs.RecordOutcome,
    output: Outputs.RecordOutcome,
    method: "recordOutcome"
  },
  {
    name: "swarm_review",
    description: "Review prompt for a completed subtask: epic goal, summary, files and diff, acceptance criteria, earlier rejections.",
    input: Inputs.Review,
    output: Outputs.Review,
    method: "review"
  },
  {
    name: "swarm_review_feedback",
    description: "Approve a subtask, or send it back with issues; the third rejection blocks it and tells the coordinator.",
    input: Inputs.ReviewFeedback,
    output: Outputs.ReviewFeedback,
    method: "reviewFeedback"
  },
  {
    name: "swarm_insights",
    description: "Learned strategy insights for a task: recommended strategy, confidence, anti-patterns, precedent.",
    input: Inputs.Insights,
    output: Outputs.Insights,
    method: "insights"
  },
  {
    name: "swarm_await",
    description: "Wait for a subtask spawned with create_deferred to complete; returns what its worker reported.",
    input: Inputs.AwaitSubtask,
    output: Outputs.AwaitSubtask,
    method: "awaitSubtask"
  }
]
