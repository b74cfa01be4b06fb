/** The agent registry's event module: one event, one projection table. */
import { EventModule, Projection, sql } from "@waggle/primitives"
import { AgentRegistered } from "./events.js"
import { migration } from "./migration.js"

const agentsProjection = Projection.make("waggle_agents", ["waggle_agents"]).on(AgentRegistered, (e) => [
  sql`INSERT INTO waggle_agents (project, name, task, program, model, registered_at, updated_at)
      VALUES (${e.project}, ${e.data.name}, ${e.data.task}, ${e.data.program}, ${e.data.model}, ${e.createdAt}, ${e.createdAt})
      ON CONFLICT (project, name) DO UPDATE SET
        task = coalesce(excluded.task, task),
        program = coalesce(excluded.program, program),
        model = coalesce(excluded.model, model),
        updated_at = excluded.updated_at`
])

export const AgentsModule = EventModule.make({
  name: "agents",
  migrations: [migration],
  events: [AgentRegistered],
  projections: [agentsProjection]
})
