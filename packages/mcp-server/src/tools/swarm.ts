/**
 * The coordination tools: thin wrappers over the `Swarm` service (prompt-producing; no model runs
 * in the server). Inputs and outputs are the swarm's own schemas (`SwarmInputs`, `SwarmOutputs`),
 * published with terse descriptions. A worker's own `agent_name` (progress, checkpoint, complete)
 * may be left out: the session's agent is used.
 */
import { Swarm, SwarmInputs, SwarmOutputs } from "@waggle/swarm"
import type { SwarmService } from "@waggle/swarm"
import type { DurationLike, RouteAnnotations } from "@waggle/router"
import { Effect, Ref, Schema } from "effect"
import { hidden, opt, READ, req, tool, WRITE } from "../internal/tool.js"
import { agentOf } from "../ToolContext.js"
import type { ToolContext } from "../ToolContext.js"

type Method = Exclude<keyof SwarmService, never>

interface Spec {
  readonly name: string
  readonly method: Method
  readonly description: string
  readonly annotations: RouteAnnotations
  readonly input: Schema.Schema.Any
  readonly output: Schema.Schema.Any
  /** Descriptions for the tool list (the swarm's own are longer). */
  readonly docs: Readonly<Record<string, string>>
  /** Accepted but not listed (aliases, rarely used options); `project_key`, `bead_id`, `task_id`, `files_modified` always are. */
  readonly hidden?: ReadonlyArray<string>
  /** The worker's `agent_name` may come from the session. */
  readonly selfAgent?: boolean
  /** An optional field that defaults to the session's agent when it has one (e.g. the spawning coordinator). */
  readonly sessionDefault?: string
  readonly timeout?: DurationLike
}

/** The struct under a filtered struct (`Struct.pipe(Schema.filter(...))`). */
const fieldsOf = (schema: Schema.Schema.Any): Schema.Struct.Fields => {
  const s = schema as unknown as { readonly fields?: Schema.Struct.Fields; readonly from?: Schema.Schema.Any }
  if (s.fields !== undefined) return s.fields
  if (s.from !== undefined) return fieldsOf(s.from)
  throw new TypeError("a swarm input schema must be a struct")
}

/** The field's value schema, without `optional`'s wrapper. */
const valueOf = (field: Schema.Struct.Field): Schema.Schema.Any => {
  const f = field as unknown as { readonly from?: Schema.Schema.Any; readonly ast?: unknown }
  return Schema.isSchema(field) ? (field as Schema.Schema.Any) : (f.from as Schema.Schema.Any)
}

const isOptional = (field: Schema.Struct.Field): boolean =>
  !Schema.isSchema(field) && (field as unknown as { readonly ast: { readonly isOptional: boolean } }).ast.isOptional

/** The published input: the swarm's fields with our descriptions (and `agent_name` optional for workers). */
const inputOf = (spec: Spec) => {
  const fields: Record<string, Schema.Struct.Field> = {}
  for (const [name, field] of Object.entries(fieldsOf(spec.input))) {
    const value = valueOf(field)
    const doc = spec.docs[name]
    const optional = isOptional(field) || (spec.selfAgent === true && name === "agent_name")
    const unlisted = optional && (ALWAYS_HIDDEN.includes(name) || (spec.hidden ?? []).includes(name))
    fields[name] = unlisted ? hidden(value) : optional ? opt(value, doc) : doc === undefined ? field : req(value, doc)
  }
  return Schema.Struct(fields)
}

/** Plugin-compatible aliases and the project check: accepted, never listed. */
const ALWAYS_HIDDEN = ["project_key", "bead_id", "task_id", "files_modified"]

const make = (spec: Spec) =>
  tool(spec.description, spec.annotations, spec.timeout ?? "2m")
    .input(inputOf(spec) as unknown as Schema.Schema<Record<string, unknown>, Record<string, unknown>, never>)
    .output(spec.output as Schema.Schema<unknown, unknown, never>)
    .handler(({ input, ctx }: { readonly input: Record<string, unknown>; readonly ctx: ToolContext }) =>
      Effect.gen(function*() {
        let args = spec.selfAgent === true && input["agent_name"] === undefined
          ? { ...input, agent_name: yield* agentOf(ctx, spec.name, undefined) }
          : input
        if (spec.sessionDefault !== undefined && args[spec.sessionDefault] === undefined) {
          const agent = yield* Ref.get(ctx.session.agent)
          if (agent !== undefined) args = { ...args, [spec.sessionDefault]: agent }
        }
        const swarm = yield* Swarm
        return (yield* (swarm[spec.method] as (input: unknown) => Effect.Effect<unknown, unknown>)(args)) as unknown
      })
    )

const specs: ReadonlyArray<Spec> = [
  {
    name: "swarm_decompose",
    method: "decompose",
    description: "Decomposition prompt for a task (with learned strategy)",
    annotations: READ,
    input: SwarmInputs.Decompose,
    output: SwarmOutputs.Decompose,
    docs: {},
    hidden: ["precedent_limit"]
  },
  {
    name: "swarm_validate_decomposition",
    method: "validateDecomposition",
    description: "Validate a decomposition answer",
    annotations: READ,
    input: SwarmInputs.ValidateDecomposition,
    output: SwarmOutputs.ValidationReport,
    docs: {}
  },
  {
    name: "swarm_spawn_subtask",
    method: "spawnSubtask",
    description: "Claim a subtask for a worker; get its prompt",
    annotations: WRITE,
    input: SwarmInputs.SpawnSubtask,
    output: SwarmOutputs.SpawnSubtask,
    docs: { agent_name: "the worker", coordinator: "default: you" },
    hidden: ["deferred_ttl_ms"],
    sessionDefault: "coordinator"
  },
  {
    name: "swarm_progress",
    method: "progress",
    description: "Report progress to the coordinator",
    annotations: WRITE,
    input: SwarmInputs.Progress,
    output: SwarmOutputs.Progress,
    docs: {},
    hidden: ["notify"],
    selfAgent: true
  },
  {
    name: "swarm_checkpoint",
    method: "checkpoint",
    description: "Checkpoint your subtask's state",
    annotations: WRITE,
    input: SwarmInputs.Checkpoint,
    output: SwarmOutputs.Checkpoint,
    docs: {},
    selfAgent: true
  },
  {
    name: "swarm_recover",
    method: "recover",
    description: "Resume prompt from a subtask's checkpoint",
    annotations: READ,
    input: SwarmInputs.Recover,
    output: SwarmOutputs.Recover,
    docs: {}
  },
  {
    name: "swarm_status",
    method: "status",
    description: "An epic's status",
    annotations: READ,
    input: SwarmInputs.Status,
    output: SwarmOutputs.Status,
    docs: {}
  },
  {
    name: "swarm_complete",
    method: "complete",
    description: "Finish your subtask: verify, close, release, learn",
    annotations: WRITE,
    input: SwarmInputs.Complete,
    output: SwarmOutputs.Complete,
    docs: {},
    hidden: ["verification_timeout_ms", "start_time", "error_count", "retry_count", "strategy", "result"],
    selfAgent: true,
    timeout: "2h"
  },
  {
    name: "swarm_record_outcome",
    method: "recordOutcome",
    description: "Record a subtask's outcome",
    annotations: WRITE,
    input: SwarmInputs.RecordOutcome,
    output: SwarmOutputs.RecordOutcome,
    docs: {},
    hidden: ["failure_details", "patterns", "criteria"]
  },
  {
    name: "swarm_review",
    method: "review",
    description: "Review prompt for a finished subtask",
    annotations: READ,
    input: SwarmInputs.Review,
    output: SwarmOutputs.Review,
    docs: {}
  },
  {
    name: "swarm_review_feedback",
    method: "reviewFeedback",
    description: "Approve or reject a subtask (3rd rejection blocks)",
    annotations: WRITE,
    input: SwarmInputs.ReviewFeedback,
    output: SwarmOutputs.ReviewFeedback,
    docs: {},
    hidden: ["worker_id"]
  },
  {
    name: "swarm_insights",
    method: "insights",
    description: "Learned strategy insights for a task",
    annotations: READ,
    input: SwarmInputs.Insights,
    output: SwarmOutputs.Insights,
    docs: {},
    hidden: ["precedent_limit"]
  },
  {
    name: "swarm_await",
    method: "awaitSubtask",
    description: "Await a subtask spawned with create_deferred",
    annotations: READ,
    input: SwarmInputs.AwaitSubtask,
    output: SwarmOutputs.AwaitSubtask,
    docs: {},
    timeout: "25h"
  }
]

/** The swarm tools by name under `swarm_`. */
export const swarmTools = Object.fromEntries(specs.map((spec) => [spec.name.slice("swarm_".length), make(spec)])) as Record<
  string,
  ReturnType<typeof make>
>

