/** Output for the CLI: results on stdout, diagnostics and progress on stderr. */
import { Effect } from "effect"
import { startupError } from "../mcp/startup.js"
import { makeRuntime } from "../WaggleLayer.js"
import type { WaggleRuntime } from "../WaggleLayer.js"

export const out = (text: string): void => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)
export const err = (text: string): void => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`)

/** Progress of a long operation, on stderr. */
export const stderrProgress = (message: string) => Effect.sync(() => err(`… ${message}`))

/** Runs `use` with the process's runtime; a runtime that cannot be built is exit code 3. */
export const withRuntime = async (command: string, use: (runtime: WaggleRuntime) => Promise<number>): Promise<number> => {
  const runtime = makeRuntime()
  try {
    try {
      await runtime.runtime()
    } catch (error) {
      err(`waggle ${command}: cannot start: ${startupError(error)}`)
      return 3
    }
    return await use(runtime)
  } finally {
    await runtime.dispose().catch(() => undefined)
  }
}

export const readStdin = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    process.stdin.on("data", (c: Buffer) => chunks.push(c))
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    process.stdin.on("error", reject)
  })
