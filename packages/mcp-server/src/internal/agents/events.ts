/** The agent registry's events. */
import { Schema } from "effect"
import { Event } from "@waggle/primitives"

const Nullable = Schema.NullOr(Schema.String)

/** An agent joined the project (or registered again, updating its task). */
export const AgentRegistered = Event.define("agent_registered", {
  name: Schema.String,
  task: Nullable,
  program: Nullable,
  model: Nullable
})

export const agentStream = (name: string) => `agent:${name}`
