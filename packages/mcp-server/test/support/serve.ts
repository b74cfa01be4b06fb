/** `waggle serve` as a child process; resolves once it prints where it listens. */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { waggleArgs } from "./project.js"

export interface ServeProcess {
  readonly child: ChildProcess
  readonly url: string
  readonly port: number
  readonly stdout: () => string
  readonly stderr: () => string
  readonly stop: () => Promise<number | null>
}

export const startServe = (cwd: string, env: Record<string, string>, args: ReadonlyArray<string> = []): Promise<ServeProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, waggleArgs("serve", "--port", "0", ...args), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)))
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")))
    child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString("utf8")
      const match = /listening on (http:\/\/\S+)/.exec(stderr)
      if (match !== null) {
        const url = match[1]!
        resolve({
          child,
          url,
          port: Number(new URL(url).port),
          stdout: () => stdout,
          stderr: () => stderr,
          stop: async () => {
            child.kill("SIGTERM")
            const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
            const code = await exited
            clearTimeout(timer)
            return code
          }
        })
      }
    })
    void exited.then((code) => reject(new Error(`waggle serve exited (${code}) before listening\n${stderr}`)))
  })

/** Runs `waggle serve` expecting it to refuse to start; resolves with its exit code and stderr. */
export const serveRefused = (cwd: string, env: Record<string, string>, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, waggleArgs("serve", ...args), { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.once("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
