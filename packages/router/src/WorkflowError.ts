/** Errors of workflows: rejected definitions (at build time) and failed runs. */
import { Schema } from "effect"

/** The steps depend on each other in a cycle; `cycle` lists it, first step repeated at the end. */
export class WorkflowCycle extends Schema.TaggedError<WorkflowCycle>()("WorkflowCycle", {
  workflow: Schema.String,
  cycle: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `Workflow ${this.workflow} has a dependency cycle: ${this.cycle.join(" → ")}`
  }
}

/** A step depends on a step that does not exist. */
export class MissingDependency extends Schema.TaggedError<MissingDependency>()("MissingDependency", {
  workflow: Schema.String,
  step: Schema.String,
  dependency: Schema.String
}) {
  override get message(): string {
    return `Step ${this.step} of workflow ${this.workflow} depends on unknown step ${this.dependency}`
  }
}

/** Two steps have the same name. */
export class DuplicateStep extends Schema.TaggedError<DuplicateStep>()("DuplicateStep", {
  workflow: Schema.String,
  step: Schema.String
}) {
  override get message(): string {
    return `Workflow ${this.workflow} declares step ${this.step} twice`
  }
}

export type WorkflowBuildError = WorkflowCycle | MissingDependency | DuplicateStep

/** A step took longer than its timeout (all attempts included). */
export class StepTimeout extends Schema.TaggedError<StepTimeout>()("StepTimeout", {
  workflow: Schema.String,
  step: Schema.String,
  timeout: Schema.String
}) {
  override get message(): string {
    return `Step ${this.step} of workflow ${this.workflow} timed out after ${this.timeout}`
  }
}

/**
 * A run failed: `step` names the first step that failed, `error` is its failure.
 * The steps running at that moment were interrupted.
 */
export class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {
  workflow: Schema.String,
  runId: Schema.String,
  step: Schema.String,
  error: Schema.Unknown
}) {
  override get message(): string {
    const inner = this.error instanceof Error ? this.error.message : String(this.error)
    return `Step ${this.step} of workflow ${this.workflow} failed: ${inner}`
  }
}

/** {@link StepFailed} with the type of the steps' errors. */
export interface StepFailure<E> extends StepFailed {
  readonly error: E | StepTimeout
}
