/** Work sessions: start one (getting the previous session's handoff notes), end it with notes. */
import { CellRef, HiveSessions } from "@waggle/hive"
import { Text } from "@waggle/primitives"
import { Effect, Option, Schema } from "effect"
import { defined, IDEMPOTENT, opt, tool } from "../internal/tool.js"
import { agentOf } from "../ToolContext.js"
import { AgentName } from "./common.js"

const SessionOut = Schema.Struct({
  session_id: Schema.String,
  agent: Schema.String,
  cell_id: Schema.NullOr(Schema.String),
  /** The previous session's handoff notes. */
  handoff: Schema.NullOr(Schema.String)
})

const sessionStart = tool("Start a work session (gets the last handoff)", IDEMPOTENT)
  .input(Schema.Struct({ agent_name: opt(AgentName), cell_id: opt(CellRef) }))
  .output(SessionOut)
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "hive_session_start", input.agent_name)
      const sessions = yield* HiveSessions
      const started = yield* sessions.start(agent, defined({ cell: input.cell_id }))
      return {
        session_id: started.session.id,
        agent,
        cell_id: started.session.cell,
        handoff: started.handoff
      }
    })
  )

const sessionEnd = tool("End your session with handoff notes", IDEMPOTENT)
  .input(Schema.Struct({ handoff: opt(Text.pipe(Schema.maxLength(100_000))), agent_name: opt(AgentName) }))
  .output(Schema.Struct({ ended: Schema.Boolean, session_id: Schema.NullOr(Schema.String) }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "hive_session_end", input.agent_name)
      const sessions = yield* HiveSessions
      const ended = yield* sessions.end(agent, defined({ handoff: input.handoff }))
      return { ended: Option.isSome(ended), session_id: Option.getOrNull(Option.map(ended, (s) => s.id)) }
    })
  )

export const sessionTools = { session_start: sessionStart, session_end: sessionEnd }
