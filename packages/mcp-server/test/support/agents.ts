/** Agent client processes (`test/workers/agentClient.ts`), driven call by call from the test. */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import * as path from "node:path"
import { PACKAGE_DIR, TSX } from "./project.js"

const SCRIPT = path.join(PACKAGE_DIR, "test", "workers", "agentClient.ts")

export interface AgentProcess {
  readonly child: ChildProcess
  /** Resolves with the structured result, or rejects with the tool error. */
  readonly ok: (tool: string, args?: Record<string, unknown>) => Promise<any>
  /** Resolves with the tool error (rejects if the call succeeded). */
  readonly fails: (tool: string, args?: Record<string, unknown>) => Promise<any>
  readonly stderr: () => string
  readonly close: () => Promise<void>
}

export const startAgent = async (
  name: string,
  options: { readonly cwd: string; readonly env: Record<string, string>; readonly args: ReadonlyArray<string> }
): Promise<AgentProcess> => {
  const child = spawn(process.execPath, ["--conditions=source", "--import", TSX, SCRIPT, ...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"]
  })
  let stderr = ""
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
  const pending = new Map<number, (message: any) => void>()
  let ready: () => void = () => {}
  const readyPromise = new Promise<void>((resolve) => (ready = resolve))
  let buffer = ""
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8")
    const lines = buffer.split("\n")
    buffer = lines.pop() ?? ""
    for (const line of lines) {
      if (line.trim() === "") continue
      const message = JSON.parse(line)
      if (message.ready === true) ready()
      else pending.get(message.id)?.(message)
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)))
  await Promise.race([
    readyPromise,
    exited.then((code) => Promise.reject(new Error(`agent ${name} exited (${code}) before connecting\n${stderr}`)))
  ])
  let next = 0
  const send = (tool: string, args: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next
      pending.set(id, (message) => {
        pending.delete(id)
        resolve(message)
      })
      void exited.then(() => reject(new Error(`agent ${name} exited during ${tool}\n${stderr}`)))
      child.stdin!.write(`${JSON.stringify({ id, tool, args })}\n`)
    })
  return {
    child,
    ok: async (tool, args = {}) => {
      const message = await send(tool, args)
      if (!message.ok) throw new Error(`${name}: ${tool} failed: ${JSON.stringify(message.error)}`)
      return message.value
    },
    fails: async (tool, args = {}) => {
      const message = await send(tool, args)
      if (message.ok) throw new Error(`${name}: ${tool} should have failed: ${JSON.stringify(message.value)}`)
      return message.error
    },
    stderr: () => stderr,
    close: async () => {
      child.stdin!.end()
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
      await exited
      clearTimeout(timer)
    }
  }
}
