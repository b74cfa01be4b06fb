/** Runs the `waggle` CLI (from source) as a real process. */
import { spawn } from "node:child_process"
import { waggleArgs } from "./project.js"

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly input?: string }
): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, waggleArgs(...args), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
    child.stdin.end(options.input ?? "")
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.once("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

/** The JSON a `waggle call` printed. */
export const jsonOf = (result: CliResult): any => {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
}
