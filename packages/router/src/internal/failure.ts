import { Cause, Option, Predicate } from "effect"
import { type ErrorBody, InternalError, statusOf, toErrorBody } from "../RouterError.js"

export interface FailureOptions {
  /** Status for failures the default table does not know (return undefined to keep the default). */
  readonly status?: ((error: unknown) => number | undefined) | undefined
  /** Sees the cause of every failure answered as 500 InternalError. */
  readonly onInternalError?: ((cause: Cause.Cause<unknown>) => void) | undefined
}

const isTagged = (u: unknown): boolean => Predicate.hasProperty(u, "_tag") && typeof u._tag === "string"

/**
 * How a failed call is answered: its status and JSON body, or undefined when the
 * call was only interrupted (nobody is listening any more).
 */
export const describeFailure = (
  cause: Cause.Cause<unknown>,
  options: FailureOptions
): { readonly status: number; readonly body: ErrorBody } | undefined => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && isTagged(failure.value)) {
    const error = failure.value
    return { status: options.status?.(error) ?? statusOf(error), body: toErrorBody(error) }
  }
  if (Option.isNone(failure) && Cause.isInterruptedOnly(cause)) return undefined
  options.onInternalError?.(cause)
  return { status: 500, body: toErrorBody(new InternalError({})) }
}
