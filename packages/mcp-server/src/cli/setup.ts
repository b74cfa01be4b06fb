/**
 * `waggle setup claude|cursor|opencode`: registers the stdio server with a client, merging into the
 * client's project config (other servers and settings are kept):
 * - Claude Code: `.mcp.json` → `mcpServers.waggle = { type: "stdio", command, args, env }`
 *   (same as `claude mcp add --scope project waggle -- waggle mcp`)
 * - Cursor: `.cursor/mcp.json` → `mcpServers.waggle = { command, args, env }`
 * - OpenCode: `opencode.json` → `mcp.waggle = { type: "local", command: [...], enabled, environment }`
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { ParsedArgs } from "./args.js"
import { has, UsageError, valueOf } from "./args.js"
import { err, out } from "./io.js"

export const Clients = ["claude", "cursor", "opencode"] as const
export type Client = typeof Clients[number]

export interface SetupPlan {
  readonly file: string
  /** The client's whole config after the merge. */
  readonly config: Record<string, unknown>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const FILES: Record<Client, string> = { claude: ".mcp.json", cursor: path.join(".cursor", "mcp.json"), opencode: "opencode.json" }

/** The config for `client` with the server `name` running `command` (merged into `existing`). */
export const planSetup = (
  client: Client,
  options: { readonly dir: string; readonly name: string; readonly command: ReadonlyArray<string>; readonly existing: unknown }
): SetupPlan => {
  const [cmd, ...args] = options.command
  if (cmd === undefined) throw new UsageError("--command must not be empty")
  const base = isRecord(options.existing) ? options.existing : {}
  const file = path.join(options.dir, FILES[client])
  if (client === "opencode") {
    const mcp = isRecord(base["mcp"]) ? base["mcp"] : {}
    const entry = { type: "local", command: [cmd, ...args], enabled: true, environment: {} }
    return {
      file,
      config: { $schema: "https://opencode.ai/config.json", ...base, mcp: { ...mcp, [options.name]: entry } }
    }
  }
  const servers = isRecord(base["mcpServers"]) ? base["mcpServers"] : {}
  const entry = client === "claude" ? { type: "stdio", command: cmd, args, env: {} } : { command: cmd, args, env: {} }
  return { file, config: { ...base, mcpServers: { ...servers, [options.name]: entry } } }
}

const readExisting = (file: string): unknown => {
  if (!fs.existsSync(file)) return undefined
  const text = fs.readFileSync(file, "utf8")
  if (text.trim() === "") return undefined
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new SetupError(`${file} is not valid JSON (${(error as Error).message}); fix it or move it away first`)
  }
}

class SetupError extends Error {}

export const runSetup = (args: ParsedArgs): number => {
  const [client, ...extra] = args.positionals
  if (client === undefined || !(Clients as ReadonlyArray<string>).includes(client) || extra.length > 0) {
    throw new UsageError(`usage: waggle setup ${Clients.join("|")} [--dir D] [--profile P] [--command "waggle"] [--print]`)
  }
  const dir = path.resolve(valueOf(args, "dir") ?? process.cwd())
  const name = valueOf(args, "name") ?? "waggle"
  const profile = valueOf(args, "profile")
  const base = (valueOf(args, "command") ?? "waggle").split(/\s+/).filter((s) => s.length > 0)
  const command = [...base, "mcp", ...(profile === undefined ? [] : ["--profile", profile])]
  try {
    const existing = readExisting(path.join(dir, FILES[client as Client]))
    const plan = planSetup(client as Client, { dir, name, command, existing })
    const text = `${JSON.stringify(plan.config, null, 2)}\n`
    if (has(args, "print")) {
      out(text)
      return 0
    }
    fs.mkdirSync(path.dirname(plan.file), { recursive: true })
    fs.writeFileSync(plan.file, text)
    err(`waggle setup: wrote ${plan.file} (server "${name}": ${command.join(" ")})`)
    return 0
  } catch (error) {
    if (error instanceof SetupError) {
      err(`waggle setup: ${error.message}`)
      return 1
    }
    throw error
  }
}
