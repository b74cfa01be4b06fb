/** The working tree's diff of some files against HEAD, for review prompts (null when git has none to give). */
import { execFile } from "node:child_process"
import { Effect } from "effect"

export const diffAgainstHead = (root: string, files: ReadonlyArray<string>, timeoutMs = 10_000): Effect.Effect<string | null> =>
  files.length === 0
    ? Effect.succeed(null)
    : Effect.async<string | null>((resume) => {
      const child = execFile(
        "git",
        ["diff", "--no-color", "--stat", "--patch", "HEAD", "--", ...files],
        { cwd: root, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
        (error, stdout) => resume(Effect.succeed(error !== null || stdout.trim() === "" ? null : stdout))
      )
      return Effect.sync(() => child.kill("SIGKILL"))
    })
