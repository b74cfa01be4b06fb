/**
 * The agents registered in a project. `swarmmail_init` registers the calling agent (generating a
 * memorable name such as "BlueLake" when none is given); the registry is a projection of
 * `agent_registered` events, so it syncs, rebuilds and is shared by every process like the rest.
 */
import { Context, Effect, Layer, Random } from "effect"
import { EventStore, sql, Storage } from "@waggle/primitives"
import type { MigrationError, StorageError } from "@waggle/primitives"
import { AgentRegistered, agentStream } from "./internal/agents/events.js"
import { AgentsModule } from "./internal/agents/module.js"
import { memorableName, NAME_SPACE } from "./internal/agents/names.js"

export { AgentsModule } from "./internal/agents/module.js"

export interface AgentInfo {
  readonly name: string
  readonly task: string | null
  readonly program: string | null
  readonly model: string | null
  readonly registeredAt: number
  readonly updatedAt: number
}

export interface RegisterInput {
  /** Omitted: a memorable name not yet used in the project. */
  readonly name?: string
  readonly task?: string
  readonly program?: string
  readonly model?: string
}

export interface AgentsService {
  /** Registers (or re-registers) an agent; `created` is false when the name was already known. */
  readonly register: (input: RegisterInput) => Effect.Effect<AgentInfo & { readonly created: boolean }, StorageError>
  readonly list: Effect.Effect<ReadonlyArray<AgentInfo>, StorageError>
}

interface AgentRow {
  readonly name: string
  readonly task: string | null
  readonly program: string | null
  readonly model: string | null
  readonly registered_at: number
  readonly updated_at: number
}

const toInfo = (r: AgentRow): AgentInfo => ({
  name: r.name,
  task: r.task,
  program: r.program,
  model: r.model,
  registeredAt: r.registered_at,
  updatedAt: r.updated_at
})

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  yield* store.install(AgentsModule)
  const project = store.project
  const select = (name: string) =>
    sql`SELECT name, task, program, model, registered_at, updated_at FROM waggle_agents WHERE project = ${project} AND name = ${name}`

  const service: AgentsService = {
    register: (input) =>
      store.transact((tx) =>
        Effect.gen(function*() {
          let name = input.name
          if (name === undefined) {
            // Random names until a free one; past a few collisions, a numbered one.
            for (let attempt = 0; name === undefined; attempt++) {
              const base = memorableName(yield* Random.next, yield* Random.next)
              const candidate = attempt < 8 ? base : `${base}${Math.floor((yield* Random.next) * NAME_SPACE)}`
              if ((yield* tx.queryOne(select(candidate))) === undefined) name = candidate
            }
          }
          const before = yield* tx.queryOne<AgentRow>(select(name))
          const event = AgentRegistered.make({
            name,
            task: input.task ?? null,
            program: input.program ?? null,
            model: input.model ?? null
          })
          yield* tx.append(agentStream(name), event).pipe(
            Effect.catchAll((e) => (e._tag === "StorageError" ? Effect.fail(e) : Effect.die(e)))
          )
          const after = yield* tx.queryOne<AgentRow>(select(name))
          return { ...toInfo(after!), created: before === undefined }
        })
      ),
    list: Effect.map(
      storage.query<AgentRow>(
        sql`SELECT name, task, program, model, registered_at, updated_at FROM waggle_agents WHERE project = ${project} ORDER BY registered_at, name`
      ),
      (rows) => rows.map(toInfo)
    )
  }
  return service
})

export class Agents extends Context.Tag("@waggle/mcp-server/Agents")<Agents, AgentsService>() {
  static readonly layer: Layer.Layer<Agents, MigrationError | StorageError, EventStore | Storage> = Layer.effect(Agents, make)
}
