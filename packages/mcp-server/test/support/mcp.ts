/**
 * MCP clients for the tests: the real SDK `Client` over stdio (a server child process). HTTP clients
 * run in worker processes only (`test/workers/agentClient.ts`): under vitest's `source` condition the
 * SDK's HTTP client resolves a dependency to TypeScript that Node cannot load.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { waggleArgs } from "./project.js"

export interface Connected {
  readonly client: Client
  /** The server's stderr, as far as it was read (stdio only). */
  readonly stderr: () => string
  readonly close: () => Promise<void>
}

export const connectStdio = async (
  cwd: string,
  env: Record<string, string>,
  extraArgs: ReadonlyArray<string> = []
): Promise<Connected> => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: waggleArgs("mcp", ...extraArgs),
    cwd,
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const client = new Client({ name: "waggle-test", version: "0.0.0" })
  await client.connect(transport)
  return { client, stderr: () => stderr, close: () => client.close() }
}

/** A tool call's outcome: the structured result, or the tool error's `{ error, message, ... }`. */
export type Outcome =
  | { readonly ok: true; readonly value: any; readonly text: string }
  | { readonly ok: false; readonly error: any }

export const outcomeOf = (result: CallToolResult): Outcome => {
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("")
  return result.isError === true ? { ok: false, error: JSON.parse(text) } : { ok: true, value: result.structuredContent, text }
}

export const call = async (client: Client, name: string, args: unknown): Promise<Outcome> =>
  outcomeOf((await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult)

/** Calls a tool that must succeed; returns its structured result. */
export const ok = async (client: Client, name: string, args: unknown = {}): Promise<any> => {
  const outcome = await call(client, name, args)
  if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`)
  return outcome.value
}

/** Calls a tool that must fail; returns its error body. */
export const fails = async (client: Client, name: string, args: unknown = {}): Promise<any> => {
  const outcome = await call(client, name, args)
  if (outcome.ok) throw new Error(`${name} should have failed, returned ${JSON.stringify(outcome.value)}`)
  return outcome.error
}
