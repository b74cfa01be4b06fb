/** The HTTP example: hive and mail operations over real HTTP, and a live SSE stream of events. */
import { describe, expect, it } from "vitest"
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { createClient } from "@waggle/router"
import type { AppRouter } from "../http/app.js"

const tsx = createRequire(import.meta.url).resolve("tsx")
const server = fileURLToPath(new URL("../http/server.ts", import.meta.url))

const start = async (cwd: string) => {
  const child = spawn(process.execPath, ["--conditions=source", "--import", tsx, server], {
    cwd,
    env: { ...process.env, PORT: "0", WAGGLE_DB_URL: "" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stderr = ""
  child.stderr!.on("data", (d) => (stderr += String(d)))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const match = /"listening":"([^"]+)"/.exec(String(d))
      if (match) resolve(match[1]!)
    })
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)))
  })
  return { url, stop: () => new Promise<void>((r) => { child.once("exit", () => r()); child.kill("SIGTERM") }) }
}

describe("the HTTP example", () => {
  it("serves hive and mail operations, typed, and streams live events", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "waggle-http-")))
    execFileSync("git", ["init", "-q"], { cwd: dir })
    const { url, stop } = await start(dir)
    try {
      const api = createClient<AppRouter>(url)
      const a = await api.hive.create({ title: "Write the docs", priority: 1 })
      await api.hive.create({ title: "Fix the bug", priority: 0 })
      expect((await api.hive.ready({})).map((c) => c.title)).toEqual(["Fix the bug", "Write the docs"])
      const claimed = await api.hive.claim({ agent: "BlueLake" })
      expect(claimed).toMatchObject({ title: "Fix the bug", status: "in_progress", assignee: "BlueLake" })
      await api.mail.send({ from: "BlueLake", to: ["GreenCastle"], subject: "took the bug", body: "" })
      expect((await api.mail.inbox({ agent: "GreenCastle" })).map((m) => m.subject)).toEqual(["took the bug"])
      await expect(api.hive.ready({ limit: 0 })).rejects.toMatchObject({ status: 400 })

      // the live stream: everything so far, then what happens next
      const seen: Array<string> = []
      const stream = api.events.live({})
      const reader = (async () => {
        for await (const event of stream) {
          seen.push((event as { type: string }).type)
          if ((event as { type: string }).type === "cell_closed") break
        }
      })()
      await new Promise((r) => setTimeout(r, 300))
      const res = await fetch(`${url}/hive/claim`, { method: "POST", body: JSON.stringify({ agent: "GreenCastle" }) })
      expect(res.status).toBe(200)
      await api.hive.close({ id: a.id, reason: "done" })
      await expect(api.hive.close({ id: "nope-zz", reason: "x" })).rejects.toMatchObject({ status: 404 })
      await reader
      expect(seen.slice(0, 2)).toEqual(["cell_created", "cell_created"])
      expect(seen).toContain("message_sent")
      expect(seen.at(-1)).toBe("cell_closed")
    } finally {
      await stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
