/**
 * What every tool call receives besides its input: the caller's session. One session per MCP
 * connection (stdio: the process; Streamable HTTP: the `Mcp-Session-Id`), one per `waggle call`.
 *
 * The session remembers the agent identity registered by `swarmmail_init`, so that later calls on
 * the same connection act as that agent without repeating its name. Tools that act for an agent
 * also accept an explicit `agent_name`, which wins (needed by one-shot CLI calls and by clients
 * that drive several agents over one connection).
 */
import { Effect, Ref } from "effect"
import { AgentRequired } from "./ToolErrors.js"

export type SessionKind = "stdio" | "http" | "cli" | "memory"

export interface ToolSession {
  readonly kind: SessionKind
  /** The agent this session acts as: set by `swarmmail_init`; else `WAGGLE_AGENT`. */
  readonly agent: Ref.Ref<string | undefined>
  /** Reports progress of a long operation (MCP progress notifications, or stderr for the CLI). */
  readonly progress: (message: string) => Effect.Effect<void>
}

export interface ToolContext {
  readonly session: ToolSession
}

/** A fresh session; `agent` defaults to the `WAGGLE_AGENT` environment variable. */
export const makeSession = (
  kind: SessionKind,
  options: { readonly agent?: string | undefined; readonly progress?: (message: string) => Effect.Effect<void> } = {}
): ToolSession => {
  const initial = options.agent ?? (nonEmpty(process.env["WAGGLE_AGENT"]))
  return {
    kind,
    agent: Ref.unsafeMake<string | undefined>(initial),
    progress: options.progress ?? (() => Effect.void)
  }
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s.trim() === "" ? undefined : s)

/**
 * The agent a call acts as: the explicit `agent_name` if given, else the session's. Fails with
 * `AgentRequired` (naming the tool) when neither is known.
 */
export const agentOf = (
  ctx: ToolContext,
  tool: string,
  explicit: string | undefined
): Effect.Effect<string, AgentRequired> =>
  explicit !== undefined
    ? Effect.succeed(explicit)
    : Effect.flatMap(Ref.get(ctx.session.agent), (agent) =>
      agent === undefined ? Effect.fail(new AgentRequired({ tool })) : Effect.succeed(agent))
