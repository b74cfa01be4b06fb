/**
 * `waggle serve`: the MCP server over Streamable HTTP on node:http, at `/mcp`. One MCP session per
 * client (`Mcp-Session-Id`), each with its own tool session (agent identity); every request passes
 * the security guard first (see `httpSecurity.ts`).
 */
import { randomUUID } from "node:crypto"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js"
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js"
import type { ToolDefinition } from "../Registry.js"
import { makeSession } from "../ToolContext.js"
import type { WaggleRuntime } from "../WaggleLayer.js"
import { configurationError, makeGuard } from "./httpSecurity.js"
import type { SecurityOptions } from "./httpSecurity.js"
import { createMcpServer } from "./server.js"

export interface HttpServerOptions extends SecurityOptions {
  readonly runtime: WaggleRuntime
  readonly tools: ReadonlyArray<ToolDefinition>
  /** Largest request body accepted (default 4 MiB). */
  readonly maxBodyBytes?: number
  /** Sessions without a request for this long are closed (default 30 minutes). */
  readonly idleSessionMs?: number
}

export interface RunningHttpServer {
  readonly url: string
  readonly port: number
  readonly close: () => Promise<void>
}

const reply = (res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
  if (res.headersSent) return void res.end()
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }))
}

class TooLarge extends Error {}

const readBody = (req: http.IncomingMessage, max: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      // Past the limit: keep draining (so the 413 reaches the client) but keep nothing.
      if (size > max) reject(new TooLarge())
      else chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

export const startHttpServer = async (options: HttpServerOptions): Promise<RunningHttpServer> => {
  const invalid = configurationError(options)
  if (invalid !== undefined) throw new Error(invalid)
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const lastSeen = new Map<string, number>()
  let guard = makeGuard(options)
  // Clients that vanish without DELETE leave sessions behind: close the idle ones.
  const idleMs = options.idleSessionMs ?? 30 * 60_000
  const sweeper = setInterval(() => {
    const now = Date.now()
    for (const [id, seen] of lastSeen) {
      if (now - seen > idleMs) void sessions.get(id)?.close().catch(() => undefined)
    }
  }, Math.min(60_000, idleMs))
  sweeper.unref()

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const refusal = guard(req)
    if (refusal !== undefined) {
      return reply(res, refusal.status, refusal.message, refusal.status === 401 ? { "www-authenticate": "Bearer" } : {})
    }
    const url = new URL(req.url ?? "/", "http://localhost")
    if (url.pathname !== "/mcp") return reply(res, 404, "not found: the MCP endpoint is /mcp")
    const sessionId = req.headers["mcp-session-id"]
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined
    if (existing !== undefined) lastSeen.set(sessionId as string, Date.now())

    if (req.method !== "POST") {
      if (existing === undefined) return reply(res, sessionId === undefined ? 400 : 404, "unknown or missing session")
      return existing.handleRequest(req, res)
    }
    let body: unknown
    try {
      body = JSON.parse(await readBody(req, maxBody))
    } catch (error) {
      return error instanceof TooLarge
        ? reply(res, 413, `request body over ${maxBody} bytes`, { connection: "close" })
        : reply(res, 400, "parse error: the body is not JSON")
    }
    if (existing !== undefined) return existing.handleRequest(req, res, body)
    if (sessionId !== undefined) return reply(res, 404, "unknown session")
    if (!isInitializeRequest(body)) return reply(res, 400, "no session: initialize first")

    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport)
        lastSeen.set(id, Date.now())
      }
    })
    transport.onclose = () => {
      if (transport.sessionId !== undefined) {
        sessions.delete(transport.sessionId)
        lastSeen.delete(transport.sessionId)
      }
    }
    const server = createMcpServer({ runtime: options.runtime, tools: options.tools, session: makeSession("http") })
    await server.connect(transport)
    await transport.handleRequest(req, res, body)
  }

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`waggle serve: ${String(error)}\n`)
      reply(res, 500, "internal error")
    })
  })
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject)
    httpServer.listen(options.port, options.host, () => resolve())
  })
  const port = (httpServer.address() as AddressInfo).port
  // With port 0 the real port is known only now: the allowed Host values carry it.
  guard = makeGuard({ ...options, port })
  const shown = options.host.includes(":") ? `[${options.host}]` : options.host
  return {
    url: `http://${shown}:${port}/mcp`,
    port,
    close: async () => {
      clearInterval(sweeper)
      for (const transport of sessions.values()) await transport.close().catch(() => undefined)
      sessions.clear()
      httpServer.closeAllConnections()
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
    }
  }
}
