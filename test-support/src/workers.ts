/**
 * Real child processes for multi-process tests: a TypeScript worker script run by Node with tsx and
 * the workspace's `source` condition, talking JSON lines on stdout.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const tsxLoader = require.resolve("tsx")

export interface WorkerResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** Every stdout line that parses as JSON. */
  readonly messages: ReadonlyArray<unknown>
}

export interface Worker {
  readonly child: ChildProcess
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<WorkerResult>
  /** Resolves with the first JSON message satisfying `predicate` (rejects if the worker exits first). */
  readonly waitFor: (predicate: (message: any) => boolean, timeoutMs?: number) => Promise<any>
  readonly kill: (signal?: NodeJS.Signals) => void
}

const parseLines = (text: string): Array<unknown> =>
  text.split("\n").flatMap((line) => {
    if (line.trim() === "") return []
    try {
      return [JSON.parse(line)]
    } catch {
      return []
    }
  })

export interface WorkerOptions {
  readonly env?: Record<string, string>
  readonly cwd?: string
  /** Run as another user (root only): to test what an unprivileged process may do. */
  readonly uid?: number
  readonly gid?: number
}

/** Starts `node --conditions=source --import tsx <script> ...args`. */
export const startWorker = (
  script: string,
  args: ReadonlyArray<string> = [],
  options: WorkerOptions = {}
): Worker => {
  const child = spawn(process.execPath, ["--conditions=source", "--import", tsxLoader, script, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid })
  })
  let stdout = ""
  let stderr = ""
  const listeners = new Set<(message: unknown) => void>()
  let buffered = ""
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8")
    stdout += text
    buffered += text
    const lines = buffered.split("\n")
    buffered = lines.pop() ?? ""
    for (const message of parseLines(lines.join("\n"))) for (const l of listeners) l(message)
  })
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const exited = new Promise<WorkerResult>((resolve) => {
    child.once("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr, messages: parseLines(stdout) }))
  })
  const waitFor = (predicate: (message: any) => boolean, timeoutMs = 30_000) =>
    new Promise<any>((resolve, reject) => {
      for (const m of parseLines(stdout)) {
        if (predicate(m)) return resolve(m)
      }
      const timer = setTimeout(() => {
        listeners.delete(listener)
        reject(new Error(`worker ${script} sent no matching message within ${timeoutMs} ms\n${stderr}`))
      }, timeoutMs)
      const listener = (m: unknown) => {
        if (predicate(m)) {
          clearTimeout(timer)
          listeners.delete(listener)
          resolve(m)
        }
      }
      listeners.add(listener)
      void exited.then((r) => {
        if (listeners.has(listener)) {
          clearTimeout(timer)
          listeners.delete(listener)
          reject(new Error(`worker ${script} exited (${r.code ?? r.signal}) before sending the message\n${r.stderr}`))
        }
      })
    })
  return { child, exited, waitFor, kill: (signal = "SIGTERM") => void child.kill(signal) }
}

/** Runs a worker to completion; rejects if it exits non-zero, with its stderr. */
export const runWorker = async (
  script: string,
  args: ReadonlyArray<string> = [],
  options: WorkerOptions = {}
): Promise<WorkerResult> => {
  const result = await startWorker(script, args, options).exited
  if (result.code !== 0) {
    throw new Error(`worker ${script} ${args.join(" ")} exited with ${result.code ?? result.signal}\n${result.stderr}`)
  }
  return result
}
