/** The CLI's runtime: built once per command; a runtime that cannot be built is exit code 3. */
import { startupError } from "../mcp/startup.js"
import { makeRuntime } from "../WaggleLayer.js"
import type { WaggleRuntime } from "../WaggleLayer.js"
import { err } from "./io.js"

/** Runs `use` with the process's runtime. */
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

