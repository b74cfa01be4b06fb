/** The durable journal's events and projection: one `workflow_step_completed` per recorded step. */
import { Schema } from "effect"
import { Event, EventModule, Projection, sql } from "@waggle/primitives"

export const WorkflowStepCompleted = Event.define("workflow_step_completed", {
  workflow: Schema.String,
  runId: Schema.String,
  step: Schema.String,
  /** The step's output as JSON (already encoded with the step's output schema, if any). */
  output: Schema.String
})

const steps = Projection.make("workflow_steps", ["workflow_steps"]).on(WorkflowStepCompleted, (e) => [
  // the first record of a step stands; a late duplicate (two runners racing) changes nothing
  sql`INSERT INTO workflow_steps (project, workflow, run_id, step, output, completed_at, position)
      VALUES (${e.project}, ${e.data.workflow}, ${e.data.runId}, ${e.data.step}, ${e.data.output}, ${e.createdAt}, ${e.position})
      ON CONFLICT (project, workflow, run_id, step) DO NOTHING`
])

export const DurableWorkflowModule = EventModule.make({
  name: "router_workflows",
  migrations: [{
    version: 1,
    name: "workflow_steps",
    sql: `
CREATE TABLE workflow_steps (
  project      TEXT    NOT NULL,
  workflow     TEXT    NOT NULL,
  run_id       TEXT    NOT NULL,
  step         TEXT    NOT NULL,
  output       TEXT    NOT NULL,
  completed_at INTEGER NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (project, workflow, run_id, step)
) STRICT, WITHOUT ROWID;`
  }],
  events: [WorkflowStepCompleted],
  projections: [steps]
})
