/**
 * `waggle setup` writes each client's own format (parsed back and checked, other settings kept);
 * `waggle doctor` passes on a healthy database and fails (exit 1) on a corrupted one.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { planSetup } from "../src/cli/setup.js"
import { jsonOf, runCli } from "./support/cli.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"

let project: TestProject

beforeAll(() => {
  project = makeProject()
})

afterAll(() => project?.remove())

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"))

describe("waggle setup", () => {
  it("writes .mcp.json (Claude Code), .cursor/mcp.json (Cursor) and opencode.json (OpenCode), keeping what was there", async () => {
    const dir = path.join(project.dir, "clients")
    fs.mkdirSync(path.join(dir, ".cursor"), { recursive: true })
    fs.writeFileSync(path.join(dir, ".mcp.json"), JSON.stringify({ mcpServers: { other: { command: "other-server", args: [] } } }))
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ theme: "dark", mcp: { other: { type: "remote", url: "https://x" } } }))
    const results = await Promise.all([
      runCli(["setup", "claude", "--dir", dir], { cwd: project.dir }),
      runCli(["setup", "cursor", "--dir", dir, "--profile", "core"], { cwd: project.dir }),
      runCli(["setup", "opencode", "--dir", dir, "--command", "pnpm exec waggle"], { cwd: project.dir })
    ])
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe("")
    }

    const claude = readJson(path.join(dir, ".mcp.json"))
    expect(claude.mcpServers.waggle).toEqual({ type: "stdio", command: "waggle", args: ["mcp"], env: {} })
    expect(claude.mcpServers.other).toEqual({ command: "other-server", args: [] })

    const cursor = readJson(path.join(dir, ".cursor", "mcp.json"))
    expect(cursor.mcpServers.waggle).toEqual({ command: "waggle", args: ["mcp", "--profile", "core"], env: {} })

    const opencode = readJson(path.join(dir, "opencode.json"))
    expect(opencode.theme).toBe("dark")
    expect(opencode.mcp.other).toEqual({ type: "remote", url: "https://x" })
    expect(opencode.mcp.waggle).toEqual({ type: "local", command: ["pnpm", "exec", "waggle", "mcp"], enabled: true, environment: {} })
    expect(opencode.mcp.waggle).not.toHaveProperty("args")
  }, 120_000)

  it("--print shows the config without writing; a file that is not JSON is left alone (exit 1)", async () => {
    const dir = path.join(project.dir, "print")
    fs.mkdirSync(dir)
    const printed = await runCli(["setup", "opencode", "--dir", dir, "--print"], { cwd: project.dir })
    expect(printed.code).toBe(0)
    expect(JSON.parse(printed.stdout).mcp.waggle.command).toEqual(["waggle", "mcp"])
    expect(fs.existsSync(path.join(dir, "opencode.json"))).toBe(false)

    fs.writeFileSync(path.join(dir, ".mcp.json"), "{ not json")
    const refused = await runCli(["setup", "claude", "--dir", dir], { cwd: project.dir })
    expect(refused.code).toBe(1)
    expect(fs.readFileSync(path.join(dir, ".mcp.json"), "utf8")).toBe("{ not json")
  }, 120_000)

  it("plans the same shapes in-process", () => {
    const plan = planSetup("claude", { dir: "/p", name: "w", command: ["node", "bin.js", "mcp"], existing: undefined })
    expect(plan).toEqual({ file: "/p/.mcp.json", config: { mcpServers: { w: { type: "stdio", command: "node", args: ["bin.js", "mcp"], env: {} } } } })
  })
})

describe("waggle doctor", () => {
  it("reports a healthy database (exit 0): reachable, integrity, WAL, migrations, embedder, versions", async () => {
    const made = await runCli(["call", "hive_create", JSON.stringify({ title: "doctor's patient" })], { cwd: project.dir, env: project.env })
    expect(made.code, made.stderr).toBe(0)
    const result = await runCli(["doctor", "--json"], { cwd: project.dir, env: project.env })
    expect(result.code, result.stdout).toBe(0)
    const report = jsonOf(result)
    expect(report.healthy).toBe(true)
    const status = Object.fromEntries(report.checks.map((c: any) => [c.name, c.status]))
    expect(status).toEqual({
      versions: "ok",
      project: "ok",
      database: "ok",
      integrity: "ok",
      wal: "ok",
      migrations: "ok",
      embedder: "ok"
    })
    const text = await runCli(["doctor"], { cwd: project.dir, env: project.env })
    expect(text.code).toBe(0)
    expect(text.stdout.trim().split("\n").at(-1)).toBe("healthy")
  }, 120_000)

  it("fails (exit 1) on a corrupted database file and on a file that is not a database", async () => {
    const healthy = fs.readFileSync(project.dbFile)
    const corrupted = Buffer.from(healthy)
    // Keep the header page; scramble the pages after it (b-tree pages of the tables).
    const pageSize = corrupted.readUInt16BE(16) === 1 ? 65_536 : corrupted.readUInt16BE(16)
    for (let i = pageSize; i < corrupted.length; i += 97) corrupted[i] = (corrupted[i]! + 113) & 0xff
    const corruptFile = path.join(path.dirname(project.dbFile), "corrupt.db")
    fs.writeFileSync(corruptFile, corrupted)
    const garbageFile = path.join(path.dirname(project.dbFile), "garbage.db")
    fs.writeFileSync(garbageFile, "this is not a database, just text ".repeat(200))

    const [corrupt, garbage] = await Promise.all([
      runCli(["doctor", "--json"], { cwd: project.dir, env: { ...project.env, WAGGLE_DB_URL: `file:${corruptFile}` } }),
      runCli(["doctor", "--json"], { cwd: project.dir, env: { ...project.env, WAGGLE_DB_URL: `file:${garbageFile}` } })
    ])
    for (const result of [corrupt, garbage]) {
      expect(result.code, result.stdout + result.stderr).toBe(1)
      const report = jsonOf(result)
      expect(report.healthy).toBe(false)
      expect(report.checks.some((c: any) => (c.name === "database" || c.name === "integrity") && c.status === "fail")).toBe(true)
    }
    const text = await runCli(["doctor"], { cwd: project.dir, env: { ...project.env, WAGGLE_DB_URL: `file:${garbageFile}` } })
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/FAIL\s+database/)
    expect(text.stdout.trim().split("\n").at(-1)).toBe("unhealthy")
  }, 120_000)
})
