/** The tools' own typed errors (the services' errors pass through unchanged). */
import { Schema } from "effect"

/** The tool acts for an agent, and none is known: call `swarmmail_init` first or pass `agent_name`. */
export class AgentRequired extends Schema.TaggedError<AgentRequired>()("AgentRequired", {
  tool: Schema.String
}) {
  override get message(): string {
    return `${this.tool} needs an agent: call swarmmail_init first, or pass agent_name`
  }
}

/** `project_path` names another project than the one this server serves. Nothing changed. */
export class ProjectMismatch extends Schema.TaggedError<ProjectMismatch>()("ProjectMismatch", {
  requested: Schema.String,
  served: Schema.String
}) {
  override get message(): string {
    return `this server serves ${this.served}, not ${this.requested}: start one in that project`
  }
}

/** The tool is not in the registry (or not in the active profile). */
export class UnknownTool extends Schema.TaggedError<UnknownTool>()("UnknownTool", {
  tool: Schema.String
}) {
  override get message(): string {
    return `unknown tool ${this.tool} (see \`waggle tools\`)`
  }
}
