/**
 * Verification commands: shell commands (`pnpm test`, `node -e "..."`) run one after the other in
 * the project root, each with a timeout. A command that exits non-zero, cannot start or runs out
 * of time fails the verification; the ones after it do not run. Output (stdout and stderr
 * together) is kept up to 1 MiB per command (the last part) and summarised to its first and last
 * lines. On timeout the command's whole process group is killed.
 */
import { spawn } from "node:child_process"
import { Effect } from "effect"
import type { VerificationStep } from "./SwarmOutputs.js"
import { summariseOutput } from "./internal/text.js"

const MAX_CAPTURE = 1024 * 1024

const killGroup = (pid: number | undefined) => {
  if (pid === undefined) return
  try {
    process.kill(-pid, "SIGKILL")
  } catch {
    // already gone
  }
}

/** Runs one command; never fails (a failure is a step with `passed: false`). */
export const runCommand = (command: string, cwd: string, timeoutMs: number): Effect.Effect<VerificationStep> =>
  Effect.async<VerificationStep>((resume) => {
    const started = Date.now()
    let output = ""
    let timedOut = false
    let settled = false
    const append = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.length > 2 * MAX_CAPTURE) output = output.slice(output.length - MAX_CAPTURE)
    }
    const finish = (exitCode: number | null, extra = "") => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const text = (output.length > MAX_CAPTURE ? output.slice(output.length - MAX_CAPTURE) : output) + extra
      resume(Effect.succeed({
        command,
        exit_code: exitCode,
        timed_out: timedOut,
        passed: !timedOut && exitCode === 0,
        duration_ms: Date.now() - started,
        output: summariseOutput(text + (timedOut ? `\n[killed after ${timeoutMs} ms]` : ""))
      }))
    }
    const child = spawn(command, { cwd, shell: true, detached: true, stdio: ["ignore", "pipe", "pipe"], env: process.env })
    child.stdout.on("data", append)
    child.stderr.on("data", append)
    child.on("error", (error) => finish(null, `\n[could not run: ${error.message}]`))
    child.on("close", (code) => finish(code))
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, timeoutMs)
    return Effect.sync(() => {
      clearTimeout(timer)
      killGroup(child.pid)
    })
  })

/** Runs the commands in order, stopping at the first failure; returns every step run. */
export const runAll = (
  commands: ReadonlyArray<string>,
  cwd: string,
  timeoutMs: number
): Effect.Effect<ReadonlyArray<VerificationStep>> =>
  Effect.gen(function*() {
    const steps: Array<VerificationStep> = []
    for (const command of commands) {
      const step = yield* runCommand(command, cwd, timeoutMs)
      steps.push(step)
      if (!step.passed) break
    }
    return steps
  })
