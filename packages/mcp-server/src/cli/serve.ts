/**
 * `waggle serve [--host 127.0.0.1] [--port 7777] [--token T] [--allowed-host H] [--allowed-origin O]
 * [--profile P]`: the MCP server over Streamable HTTP. Binding beyond loopback requires a token
 * (`--token` or `WAGGLE_TOKEN`); runs until SIGINT/SIGTERM.
 */
import { startHttpServer } from "../mcp/http.js"
import { configurationError } from "../mcp/httpSecurity.js"
import { guardStdout } from "../mcp/stdio.js"
import { toolsOf } from "../Registry.js"
import type { ParsedArgs } from "./args.js"
import { UsageError, valueOf, valuesOf } from "./args.js"
import { err } from "./io.js"
import { withRuntime } from "./runtime.js"
import { profileOf } from "./tools.js"

export const runServe = (args: ParsedArgs): Promise<number> => {
  const host = valueOf(args, "host") ?? "127.0.0.1"
  const portText = valueOf(args, "port") ?? "7777"
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be 0..65535, got ${portText}`)
  const token = valueOf(args, "token") ?? (process.env["WAGGLE_TOKEN"] || undefined)
  const security = { host, port, token, allowedHosts: valuesOf(args, "allowed-host"), allowedOrigins: valuesOf(args, "allowed-origin") }
  const invalid = configurationError(security)
  if (invalid !== undefined) throw new UsageError(invalid)
  const tools = toolsOf(profileOf(args, "full"))
  guardStdout()
  return withRuntime("serve", async (runtime) => {
    const server = await startHttpServer({ ...security, runtime, tools })
    // The one line a parent process may wait for: where the server listens.
    err(`waggle serve: listening on ${server.url}${token === undefined ? "" : " (bearer token required)"}`)
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve())
      process.once("SIGTERM", () => resolve())
    })
    await server.close()
    return 0
  })
}
