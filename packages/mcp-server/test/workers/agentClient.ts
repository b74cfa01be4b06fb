/**
 * One agent as its own process: an MCP client (the real SDK) that runs the tool calls it reads on
 * stdin (one JSON line `{ id, tool, args }` each) and writes one JSON line `{ id, ok, value | error }`
 * per call on stdout. `stdio`: it starts its own `waggle mcp` server child; `http <url> [token]`:
 * it connects to a running `waggle serve`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import * as readline from "node:readline"
import { waggleArgs } from "../support/project.js"

const [mode, url, token] = process.argv.slice(2)
const print = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`)

const transport: Transport = mode === "http"
  ? new StreamableHTTPClientTransport(
    new URL(url!),
    token === undefined ? {} : { requestInit: { headers: { authorization: `Bearer ${token}` } } }
  )
  : new StdioClientTransport({
    command: process.execPath,
    args: waggleArgs("mcp"),
    cwd: process.cwd(),
    env: process.env as Record<string, string>,
    stderr: "inherit"
  })

const client = new Client({ name: "waggle-agent", version: "0.0.0" })
await client.connect(transport)
print({ ready: true })

const lines = readline.createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line.trim() === "") continue
  const { id, tool, args } = JSON.parse(line) as { id: number; tool: string; args: Record<string, unknown> }
  try {
    const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult
    const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("")
    print(result.isError === true ? { id, ok: false, error: JSON.parse(text) } : { id, ok: true, value: result.structuredContent })
  } catch (error) {
    print({ id, ok: false, error: { error: "ProtocolError", message: String(error) } })
  }
}
await client.close()
