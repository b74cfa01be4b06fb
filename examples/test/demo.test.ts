/**
 * The README's first command runs this demo: it must work on a fresh machine with no server and
 * no network. Run it as a real process and check the story it tells.
 */
import { describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const tsx = createRequire(import.meta.url).resolve("tsx")
const main = fileURLToPath(new URL("../demo/main.ts", import.meta.url))

describe("the README demo", () => {
  it("plans an epic, three worker processes finish it, the hive is committed to git", async () => {
    const { stdout, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      execFile(process.execPath, ["--conditions=source", "--import", tsx, main], { timeout: 170_000 }, (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error === null ? 0 : (error as { code?: number }).code ?? 1 }))
    })
    expect(code).toBe(0)
    expect(stdout).toMatch(/database\s+file:.*\.waggle\/waggle\.db \(embedded, native driver\)/)
    expect(stdout.match(/hive {4}created task/g)).toHaveLength(3)
    expect(stdout.match(/hive {4}closed .*\.\d: done/g)).toHaveLength(3)
    expect(stdout).toMatch(/Coordinator → BlueLake, GreenCastle, RedStone: "go"/)
    expect(stdout).toMatch(/memory {2}stored "Request logging/)
    expect(stdout).toMatch(/recalled a learning/)
    expect(stdout).toMatch(/synced {4}\.hive\/issues\.jsonl.*\(4 cells\); git: [0-9a-f]+ hive: request logging epic/)
  }, 180_000)
})
