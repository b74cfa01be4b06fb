/**
 * In stdio mode stdout is the protocol: a raw `waggle mcp` process (no SDK in between, debug logs
 * on) answers a session of requests, good and bad, and every line it writes to stdout is a
 * JSON-RPC message; logs go to stderr. Invalid arguments never crash it.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCli } from "./support/cli.js"
import { makeProject, waggleArgs } from "./support/project.js"
import type { TestProject } from "./support/project.js"

let project: TestProject

beforeAll(() => {
  project = makeProject()
})

afterAll(() => project?.remove())

const request = (id: number, method: string, params: unknown) => ({ jsonrpc: "2.0", id, method, params })

describe("waggle mcp on stdio", () => {
  it("writes only JSON-RPC messages to stdout, answers every request, survives bad input", async () => {
    const child = spawn(process.execPath, waggleArgs("mcp"), {
      cwd: project.dir,
      env: { ...process.env, ...project.env, WAGGLE_LOG_LEVEL: "all" },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)))
    const responses = () =>
      stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as { id?: number; result?: any; error?: any })
    const waitFor = async (id: number) => {
      for (let i = 0; i < 600; i++) {
        const found = responses().find((r) => r.id === id)
        if (found !== undefined) return found
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`no response ${id}\n${stderr}`)
    }
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`)

    send(request(1, "initialize", { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "0" } }))
    expect((await waitFor(1)).result.serverInfo.name).toBe("waggle")
    send({ jsonrpc: "2.0", method: "notifications/initialized" })
    send(request(2, "tools/list", {}))
    send(request(3, "tools/call", { name: "hive_create", arguments: { title: "from raw stdio" } }))
    send(request(4, "tools/call", { name: "hive_create", arguments: { title: 42, nope: true } }))
    send(request(5, "tools/call", { name: "no_such_tool", arguments: {} }))
    send(request(6, "tools/call", { name: "swarmmail_inbox", arguments: {} }))
    child.stdin.write("this is not json\n")

    expect((await waitFor(2)).result.tools.length).toBeGreaterThan(40)
    expect((await waitFor(3)).result.structuredContent.title).toBe("from raw stdio")
    // Requests run concurrently: read after the write has been answered.
    send(request(7, "tools/call", { name: "hive_cells", arguments: {} }))
    const invalid = (await waitFor(4)).result
    expect(invalid.isError).toBe(true)
    const body = JSON.parse(invalid.content[0].text)
    expect(body.error).toBe("ValidationError")
    expect(body.issues.map((i: any) => i.path.join("."))).toEqual(expect.arrayContaining(["title", "nope"]))
    expect((await waitFor(5)).error.message).toContain("no_such_tool")
    expect(JSON.parse((await waitFor(6)).result.content[0].text).error).toBe("AgentRequired")
    expect((await waitFor(7)).result.structuredContent.cells).toHaveLength(1)

    // A long operation reports progress to a client that asked for it (progressToken).
    send(request(8, "tools/call", { name: "hive_sync", arguments: {}, _meta: { progressToken: "sync-1" } }))
    expect((await waitFor(8)).result.structuredContent.pushed).toBe(true)
    const progress = stdout.split("\n").filter((l) => l.includes("notifications/progress")).map((l) => JSON.parse(l))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.every((p) => p.params.progressToken === "sync-1")).toBe(true)
    expect(progress.map((p) => p.params.progress)).toEqual([...progress.keys()].map((i) => i + 1))

    child.stdin.end()
    expect(await exited).toBe(0)
    for (const line of stdout.split("\n").filter((l) => l !== "")) {
      expect(JSON.parse(line).jsonrpc, line).toBe("2.0")
    }
  }, 120_000)
})

describe("a database that cannot be opened", () => {
  it("stops waggle mcp (exit 3, reason on stderr, nothing on stdout) and fails waggle call with exit 3", async () => {
    const garbage = path.join(path.dirname(project.dbFile), "garbage.db")
    fs.writeFileSync(garbage, "not a database ".repeat(500))
    const env = { ...project.env, WAGGLE_DB_URL: `file:${garbage}` }
    const [server, cli] = await Promise.all([runCli(["mcp"], { cwd: project.dir, env }), runCli(["call", "hive_ready", "{}"], { cwd: project.dir, env })])
    expect(server.code).toBe(3)
    expect(server.stdout).toBe("")
    expect(server.stderr).toContain("cannot start")
    expect(server.stderr).toContain(garbage)
    expect(cli.code).toBe(3)
    expect(cli.stderr).toContain("cannot open database")
  }, 120_000)
})
