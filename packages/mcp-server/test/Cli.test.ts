/**
 * The `waggle` CLI as real processes: `call` (same validation and results as MCP, JSON out, exit
 * codes), `tools --size` (the budgets), usage errors, and `prime`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { jsonOf, runCli } from "./support/cli.js"
import { connectStdio, ok } from "./support/mcp.js"
import type { Connected } from "./support/mcp.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"

let project: TestProject
let mcp: Connected
const waggle = (args: ReadonlyArray<string>, input?: string) =>
  runCli(args, input === undefined ? { cwd: project.dir, env: project.env } : { cwd: project.dir, env: project.env, input })

beforeAll(async () => {
  project = makeProject()
  mcp = await connectStdio(project.dir, project.env)
}, 120_000)

afterAll(async () => {
  await mcp?.close()
  project?.remove()
})

describe("waggle call", () => {
  it("prints the tool's result as JSON and exits 0; the same result as over MCP", async () => {
    const created = await waggle(["call", "hive_create", JSON.stringify({ title: "From the CLI", priority: 0 })])
    expect(created.code).toBe(0)
    const cell = jsonOf(created)
    expect(cell).toMatchObject({ title: "From the CLI", priority: 0, status: "open" })

    await ok(mcp.client, "swarmmail_init", { agent_name: "parity" })
    const [viaCli, viaMcp] = await Promise.all([
      waggle(["call", "hive_cells", JSON.stringify({ id: cell.id })]).then(jsonOf),
      ok(mcp.client, "hive_cells", { id: cell.id })
    ])
    expect(viaCli).toEqual(viaMcp)

    const claimed = await waggle(["call", "hive_claim", JSON.stringify({ id: cell.id }), "--agent", "parity"])
    expect(jsonOf(claimed).cell).toMatchObject({ assignee: "parity" })
    const [healthCli, healthMcp] = await Promise.all([
      waggle(["call", "swarmmail_health", "-", "--agent", "parity"], "{}").then(jsonOf),
      ok(mcp.client, "swarmmail_health", {})
    ])
    expect(healthCli).toEqual(healthMcp)
  }, 120_000)

  it("exit codes: 2 for invalid arguments (the same error as MCP), 1 for a tool's refusal, 2 for an unknown tool or bad JSON", async () => {
    const [invalid, missing, unknown, badJson, noAgent] = await Promise.all([
      waggle(["call", "hive_create", JSON.stringify({ title: 7, extra: true })]),
      waggle(["call", "hive_close", JSON.stringify({ id: "zzzz-none", reason: "x" })]),
      waggle(["call", "no_such_tool", "{}"]),
      waggle(["call", "hive_create", "{title"]),
      waggle(["call", "swarmmail_inbox", "{}"])
    ])
    expect(invalid.code).toBe(2)
    const viaMcp = await mcp.client.callTool({ name: "hive_create", arguments: { title: 7, extra: true } })
    expect(jsonOf(invalid)).toEqual(JSON.parse((viaMcp.content as Array<{ text: string }>)[0]!.text))
    expect(jsonOf(invalid).issues.map((i: any) => i.path[0]).sort()).toEqual(["extra", "title"])

    expect(missing.code).toBe(1)
    expect(jsonOf(missing)).toMatchObject({ error: "CellNotFound", id: "zzzz-none" })
    expect(unknown.code).toBe(2)
    expect(jsonOf(unknown).error).toBe("UnknownTool")
    expect(badJson.code).toBe(2)
    expect(jsonOf(badJson).error).toBe("InvalidJson")
    expect(noAgent.code).toBe(2)
    expect(jsonOf(noAgent).error).toBe("AgentRequired")
  }, 120_000)
})

describe("long operations", () => {
  it("show progress on stderr, keep stdout for the JSON result", async () => {
    const result = await waggle(["call", "hive_sync", "{}"])
    expect(result.code, result.stderr).toBe(0)
    expect(jsonOf(result)).toMatchObject({ committed: true, pushed: true })
    expect(result.stderr).toMatch(/hive sync: .*\n.*hive sync: done/s)
  }, 120_000)
})

describe("waggle tools", () => {
  const sizeOf = async (profile: string) => {
    const result = await waggle(["tools", "--profile", profile, "--size", "--json"])
    expect(result.code).toBe(0)
    return jsonOf(result) as { tools: number; bytes: number; tokens: number }
  }

  it("profiles stay within their budgets: core under 4,000 tokens, full under 12,000", async () => {
    const [minimal, core, full] = await Promise.all([sizeOf("minimal"), sizeOf("core"), sizeOf("full")])
    expect(minimal.tools).toBeGreaterThanOrEqual(7)
    expect(minimal.tools).toBeLessThanOrEqual(10)
    expect(core.tools).toBeGreaterThanOrEqual(20)
    expect(core.tokens).toBeLessThan(4000)
    expect(full.tools).toBe(49)
    expect(full.tokens).toBeLessThan(12_000)
    expect(core.bytes).toBeLessThan(full.bytes)
  }, 120_000)

  it("lists the tools of a profile with their descriptions and the size", async () => {
    const listed = await waggle(["tools", "--profile", "minimal"])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain("swarm_complete")
    expect(listed.stdout).not.toContain("hive_create_epic")
    expect(listed.stdout).toMatch(/profile minimal: \d+ tools, \d+ bytes, ~\d+ tokens/)
  }, 60_000)
})

describe("usage errors", () => {
  it("exit with 2 and a message on stderr", async () => {
    const results = await Promise.all([
      waggle(["frobnicate"]),
      waggle(["tools", "--profile", "huge"]),
      waggle(["call"]),
      waggle(["tools", "--no-such-flag"]),
      waggle(["setup", "vscode"])
    ])
    for (const r of results) {
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^waggle: /)
      expect(r.stdout).toBe("")
    }
    const help = await waggle(["--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("setup      claude|cursor|opencode")
  }, 120_000)
})

describe("waggle prime", () => {
  it("gives an agent its work, mail, reservations and memories within the budget", async () => {
    await ok(mcp.client, "hive_create", { title: "Wire the greeting into the CLI", priority: 1 })
    await ok(mcp.client, "swarmmail_send", { to: ["primed"], subject: "Please take the CLI wiring", body: "thanks", agent_name: "lead" })
    await ok(mcp.client, "swarmmail_reserve", { paths: ["src/index.ts"], agent_name: "primed" })
    await ok(mcp.client, "hivemind_store", { information: "The CLI wiring lives in src/index.ts" })
    const result = await waggle(["prime", "--agent", "primed", "--budget", "400"])
    expect(result.code).toBe(0)
    const text = result.stdout
    expect(text).toContain("# Waggle context")
    expect(text).toContain("Wire the greeting into the CLI")
    expect(text).toContain("Please take the CLI wiring")
    expect(text).toContain("src/index.ts")
    expect(text.trimEnd().length).toBeLessThanOrEqual(400 * 4)
    const tiny = await waggle(["prime", "--agent", "primed", "--budget", "50"])
    expect(tiny.stdout.trimEnd().length).toBeLessThanOrEqual(200)
    expect(tiny.stdout).toContain("# Waggle context")
  }, 120_000)
})
