/** Output for the CLI: results on stdout, diagnostics and progress on stderr. */
import { Effect } from "effect"

export const out = (text: string): void => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)
export const err = (text: string): void => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`)

/** Progress of a long operation, on stderr. */
export const stderrProgress = (message: string) => Effect.sync(() => err(`… ${message}`))

export const readStdin = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    process.stdin.on("data", (c: Buffer) => chunks.push(c))
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    process.stdin.on("error", reject)
  })
