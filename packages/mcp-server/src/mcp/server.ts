/**
 * The MCP server: the SDK's low-level `Server` with `tools/list` and `tools/call` answered from the
 * registry (its JSON Schemas as they are; `McpServer` wants zod schemas). Results carry
 * `structuredContent` (the tool's encoded output) and a compact text rendering; failures are
 * tool errors (`isError: true`) whose text is `{ error, message, ...fields }`.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js"
import { Cause, Effect, Exit, Option } from "effect"
import { renderText } from "../internal/render.js"
import { callTool, findTool, listed } from "../Registry.js"
import type { ToolDefinition } from "../Registry.js"
import type { ToolSession } from "../ToolContext.js"
import { failureOfCause } from "../ToolFailure.js"
import { VERSION } from "../Version.js"
import type { WaggleRuntime } from "../WaggleLayer.js"

export interface McpServerOptions {
  readonly runtime: WaggleRuntime
  readonly tools: ReadonlyArray<ToolDefinition>
  readonly session: ToolSession
}

const INSTRUCTIONS = "Waggle: shared work tracker (hive_*), agent mail and file reservations (swarmmail_*), " +
  "semantic memory (hivemind_*) and swarm coordination (swarm_*). Start with swarmmail_init."

/** The result of a call, as MCP wants it. */
export const toCallResult = (exit: Exit.Exit<unknown, unknown>): CallToolResult => {
  if (Exit.isSuccess(exit)) {
    const value = exit.value as Record<string, unknown>
    return { content: [{ type: "text", text: renderText(value) }], structuredContent: value }
  }
  const failure = failureOfCause(exit.cause)
  return { content: [{ type: "text", text: JSON.stringify(failure.body) }], isError: true }
}

export const createMcpServer = (options: McpServerOptions): Server => {
  const server = new Server(
    { name: "waggle", version: VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS }
  )
  const listing = options.tools.map(listed)

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing as Array<(typeof listing)[number] & { [k: string]: unknown }> }))

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = findTool(request.params.name, options.tools)
    if (tool === undefined) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`)
    const token = request.params._meta?.progressToken
    let step = 0
    const progress = (message: string) =>
      token === undefined
        ? Effect.void
        : Effect.promise(() =>
          extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: ++step, message } })
            .catch(() => undefined)
        )
    const effect = callTool(tool, request.params.arguments, { session: { ...options.session, progress } })
    const exit = await options.runtime.runPromiseExit(effect, { signal: extra.signal })
    if (Exit.isFailure(exit) && Option.isNone(Cause.failureOption(exit.cause)) && !Cause.isInterruptedOnly(exit.cause)) {
      // A defect: the caller gets an internal error; the details go to the log (stderr).
      await options.runtime.runPromise(Effect.logError(`${tool.name} failed`, exit.cause)).catch(() => undefined)
    }
    return toCallResult(exit)
  })

  return server
}
