/** A readable reason for a runtime that could not be built (database that cannot be opened, ...). */
import { Cause, Option, Runtime } from "effect"
import { failureOf } from "../ToolFailure.js"

export const startupError = (error: unknown): string => {
  if (Runtime.isFiberFailure(error)) {
    const cause = error[Runtime.FiberFailureCauseId]
    return Option.match(Cause.failureOption(cause), {
      onSome: (e) => failureOf(e).body.message,
      onNone: () => Cause.pretty(cause)
    })
  }
  return error instanceof Error ? error.message : String(error)
}
