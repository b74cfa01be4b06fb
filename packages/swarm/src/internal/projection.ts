/**
 * The swarm projection: events → `swarm_subtasks`, `swarm_checkpoints`, `swarm_reviews`. Handlers
 * use the event only (data, position, createdAt) and the rows already there.
 */
import { Projection, sql } from "@waggle/primitives"
import type { Statement } from "@waggle/primitives"
import {
  CheckpointSaved,
  CompletionAbandoned,
  CompletionFinished,
  CompletionStarted,
  CompletionStepDone,
  ProgressReported,
  ReviewRecorded,
  SubtaskSpawned
} from "./events.js"

export const TABLES = ["swarm_subtasks", "swarm_checkpoints", "swarm_reviews"] as const

/** Makes sure the cell has a row (and learns its epic when the event knows it). */
const ensure = (project: string, cellId: string, epicId: string | null): Statement =>
  sql`INSERT INTO swarm_subtasks (project, cell_id, epic_id) VALUES (${project}, ${cellId}, ${epicId})
      ON CONFLICT (project, cell_id) DO UPDATE SET epic_id = COALESCE(excluded.epic_id, swarm_subtasks.epic_id)`

const json = (value: unknown): string => JSON.stringify(value)

export const swarmProjection = Projection.make("swarm", TABLES)
  .on(SubtaskSpawned, ({ data: d, project, createdAt }) => [
    ensure(project, d.cellId, d.epicId),
    sql`UPDATE swarm_subtasks SET worker = ${d.worker}, coordinator = ${d.coordinator},
          strategy = COALESCE(${d.strategy}, strategy), deferred_token = COALESCE(${d.deferredToken}, deferred_token),
          spawned_at = ${createdAt}
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(ProgressReported, ({ data: d, project, createdAt }) => [
    ensure(project, d.cellId, d.epicId),
    sql`UPDATE swarm_subtasks SET progress_status = ${d.status}, progress_percent = ${d.percent},
          progress_message = ${d.message}, progress_agent = ${d.agent}, progress_files = ${json(d.filesTouched)},
          progress_blockers = ${json(d.blockers)}, progress_at = ${createdAt}
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(CheckpointSaved, ({ data: d, project, position, createdAt }) => [
    ensure(project, d.cellId, d.epicId),
    sql`INSERT INTO swarm_checkpoints (project, cell_id, position, epic_id, agent, kind, milestone, percent, files, notes,
          next_steps, error_context, created_at)
        VALUES (${project}, ${d.cellId}, ${position}, ${d.epicId}, ${d.agent}, ${d.kind}, ${d.milestone}, ${d.percent},
          ${json(d.filesTouched)}, ${d.notes}, ${json(d.nextSteps)}, ${d.errorContext}, ${createdAt})`,
    sql`UPDATE swarm_subtasks SET last_checkpoint_at = ${createdAt}, milestone = max(milestone, ${d.milestone ?? 0})
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(ReviewRecorded, ({ data: d, project, position, createdAt }) => [
    ensure(project, d.cellId, d.epicId),
    sql`INSERT INTO swarm_reviews (project, cell_id, position, epic_id, reviewer, worker, status, summary, issues,
          rejections, blocked, created_at)
        VALUES (${project}, ${d.cellId}, ${position}, ${d.epicId}, ${d.reviewer}, ${d.worker}, ${d.status}, ${d.summary},
          ${json(d.issues)}, ${d.rejections}, ${d.blocked ? 1 : 0}, ${createdAt})`,
    sql`UPDATE swarm_subtasks SET rejections = ${d.rejections}, review_status = ${d.status},
          review_blocked = ${d.blocked ? 1 : 0}, reviewed_at = ${createdAt}
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(CompletionStarted, ({ data: d, project, position, createdAt }) => [
    ensure(project, d.cellId, d.plan.epicId),
    sql`UPDATE swarm_subtasks SET completion_state = 'running', completion_agent = ${d.plan.agent},
          completion_position = ${position}, completion_at = ${createdAt}, completion_plan = ${json(d.plan)},
          completion_steps = '[]'
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(CompletionStepDone, ({ data: d, project }) => [
    sql`UPDATE swarm_subtasks SET completion_steps = json_insert(completion_steps, '$[#]', json(${json({ step: d.step, result: d.result })}))
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(CompletionFinished, ({ data: d, project, createdAt }) => [
    sql`UPDATE swarm_subtasks SET completion_state = 'finished', completed_at = ${createdAt}
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
  .on(CompletionAbandoned, ({ data: d, project }) => [
    sql`UPDATE swarm_subtasks SET completion_state = 'abandoned'
        WHERE project = ${project} AND cell_id = ${d.cellId}`
  ])
