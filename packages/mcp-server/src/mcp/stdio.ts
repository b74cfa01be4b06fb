/**
 * `waggle mcp`: the MCP server on stdin/stdout. stdout carries the protocol and nothing else: the
 * logger writes to stderr, and `console.log`/`info`/`debug` are redirected to stderr too, in case a
 * dependency prints. The process ends when stdin closes (the client went away) or on a signal.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import type { Profile } from "../Profiles.js"
import { toolsOf } from "../Registry.js"
import { makeSession } from "../ToolContext.js"
import { makeRuntime } from "../WaggleLayer.js"
import { startupError } from "./startup.js"
import { createMcpServer } from "./server.js"

/** Nothing but the protocol may reach stdout. */
export const guardStdout = (): void => {
  const toStderr = (...args: Array<unknown>) => console.error(...args)
  console.log = toStderr
  console.info = toStderr
  console.debug = toStderr
}

export const serveStdio = async (options: { readonly profile: Profile }): Promise<number> => {
  guardStdout()
  const runtime = makeRuntime()
  try {
    await runtime.runtime()
  } catch (error) {
    process.stderr.write(`waggle mcp: cannot start: ${startupError(error)}\n`)
    await runtime.dispose().catch(() => undefined)
    return 3
  }
  const server = createMcpServer({ runtime, tools: toolsOf(options.profile), session: makeSession("stdio") })
  const transport = new StdioServerTransport()
  return new Promise<number>((resolve) => {
    let closing = false
    const shutdown = () => {
      if (closing) return
      closing = true
      void server.close()
        .catch(() => undefined)
        .then(() => runtime.dispose())
        .catch(() => undefined)
        .then(() => resolve(0))
    }
    server.onclose = shutdown
    process.stdin.once("end", shutdown)
    process.stdin.once("close", shutdown)
    process.once("SIGINT", shutdown)
    process.once("SIGTERM", shutdown)
    server.connect(transport).catch((error: unknown) => {
      process.stderr.write(`waggle mcp: ${String(error)}\n`)
      shutdown()
    })
  })
}
