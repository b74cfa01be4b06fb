/** Reading the swarm projections (on committed data, or inside a transaction). */
import { Effect, Schema } from "effect"
import { sql } from "@waggle/primitives"
import type { Row, Statement, StorageError } from "@waggle/primitives"
import type { CheckpointRecord, ProgressRecord } from "../SwarmOutputs.js"
import { CompletionPlan, CompletionStep, StepResult } from "./events.js"
import type { StoredIssue } from "./events.js"

export interface Queryable {
  readonly query: <R = Row>(statement: Statement) => Effect.Effect<ReadonlyArray<R>, StorageError>
}

export interface SubtaskRow {
  readonly cell_id: string
  readonly epic_id: string | null
  readonly worker: string | null
  readonly coordinator: string | null
  readonly strategy: string | null
  readonly deferred_token: string | null
  readonly spawned_at: number | null
  readonly progress_status: ProgressRecord["status"] | null
  readonly progress_percent: number | null
  readonly progress_message: string | null
  readonly progress_agent: string | null
  readonly progress_files: string
  readonly progress_blockers: string
  readonly progress_at: number | null
  readonly milestone: number
  readonly last_checkpoint_at: number | null
  readonly rejections: number
  readonly review_status: string | null
  readonly review_blocked: number
  readonly reviewed_at: number | null
  readonly completion_state: "none" | "running" | "finished" | "abandoned"
  readonly completion_agent: string | null
  readonly completion_position: number | null
  readonly completion_at: number | null
  readonly completion_plan: string | null
  readonly completion_steps: string
}

interface CheckpointRow {
  readonly cell_id: string
  readonly position: number
  readonly epic_id: string | null
  readonly agent: string
  readonly kind: "manual" | "milestone"
  readonly milestone: number | null
  readonly percent: number | null
  readonly files: string
  readonly notes: string | null
  readonly next_steps: string
  readonly error_context: string | null
  readonly created_at: number
}

export interface ReviewRow {
  readonly position: number
  readonly reviewer: string
  readonly status: "approved" | "needs_changes"
  readonly summary: string | null
  readonly issues: ReadonlyArray<StoredIssue>
  readonly rejections: number
}

const strings = (text: string): Array<string> => JSON.parse(text) as Array<string>

export const subtaskRow = (db: Queryable, project: string, cellId: string): Effect.Effect<SubtaskRow | undefined, StorageError> =>
  Effect.map(db.query<SubtaskRow>(sql`SELECT * FROM swarm_subtasks WHERE project = ${project} AND cell_id = ${cellId}`), (rows) => rows[0])

export const subtaskRows = (db: Queryable, project: string, cellIds: ReadonlyArray<string>): Effect.Effect<Map<string, SubtaskRow>, StorageError> =>
  Effect.map(
    db.query<SubtaskRow>(sql`SELECT * FROM swarm_subtasks WHERE project = ${project}
      AND cell_id IN (SELECT value FROM json_each(${JSON.stringify(cellIds)}))`),
    (rows) => new Map(rows.map((r) => [r.cell_id, r]))
  )

export const progressOf = (row: SubtaskRow | undefined): ProgressRecord | null =>
  row === undefined || row.progress_status === null || row.progress_at === null
    ? null
    : {
      status: row.progress_status,
      progress_percent: row.progress_percent,
      message: row.progress_message,
      files_touched: strings(row.progress_files),
      blockers: strings(row.progress_blockers),
      agent: row.progress_agent ?? "",
      reported_at: row.progress_at
    }

const toCheckpoint = (r: CheckpointRow): CheckpointRecord => ({
  id: r.position,
  cell_id: r.cell_id,
  epic_id: r.epic_id,
  agent: r.agent,
  kind: r.kind,
  milestone: r.milestone,
  progress_percent: r.percent,
  files_touched: strings(r.files),
  notes: r.notes,
  next_steps: strings(r.next_steps),
  error_context: r.error_context,
  created_at: r.created_at
})

/** The latest checkpoint of a cell, or of any subtask of an epic. */
export const latestCheckpoint = (
  db: Queryable,
  project: string,
  by: { readonly cellId: string } | { readonly epicId: string }
): Effect.Effect<CheckpointRecord | null, StorageError> =>
  Effect.map(
    db.query<CheckpointRow>(
      "cellId" in by
        ? sql`SELECT * FROM swarm_checkpoints WHERE project = ${project} AND cell_id = ${by.cellId} ORDER BY position DESC LIMIT 1`
        : sql`SELECT * FROM swarm_checkpoints WHERE project = ${project} AND epic_id = ${by.epicId} ORDER BY position DESC LIMIT 1`
    ),
    (rows) => (rows[0] === undefined ? null : toCheckpoint(rows[0]))
  )

/** A cell's reviews, oldest first. */
export const reviews = (db: Queryable, project: string, cellId: string): Effect.Effect<Array<ReviewRow>, StorageError> =>
  Effect.map(
    db.query<Omit<ReviewRow, "issues"> & { readonly issues: string }>(
      sql`SELECT position, reviewer, status, summary, issues, rejections FROM swarm_reviews
          WHERE project = ${project} AND cell_id = ${cellId} ORDER BY position`
    ),
    (rows) => rows.map((r) => ({ ...r, issues: JSON.parse(r.issues) as ReadonlyArray<StoredIssue> }))
  )

const decodePlan = Schema.decodeUnknownSync(Schema.parseJson(CompletionPlan))
const decodeSteps = Schema.decodeUnknownSync(Schema.parseJson(Schema.Array(Schema.Struct({ step: CompletionStep, result: StepResult }))))

/** The plan and the steps done of the cell's current (or last) completion. */
export const completionOf = (row: SubtaskRow) => ({
  plan: row.completion_plan === null ? null : decodePlan(row.completion_plan),
  steps: decodeSteps(row.completion_steps)
})
