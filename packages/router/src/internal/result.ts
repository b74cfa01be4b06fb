/** What user code returns — a value, a Promise or an Effect — as an Effect. */
import { Effect, Predicate } from "effect"

/** A Promise as an Effect; a rejection becomes `onReject(error)`. */
export const fromPromise = <E>(
  promise: PromiseLike<unknown>,
  onReject: (error: unknown) => Effect.Effect<never, E>
): Effect.Effect<unknown, E> =>
  Effect.async<unknown, E>((resume) => {
    promise.then((value) => resume(Effect.succeed(value)), (error) => resume(onReject(error)))
  })

/** A value, a Promise or an Effect as an Effect; a rejection is a defect unless `onReject` says otherwise. */
export const fromResult = (
  result: unknown,
  onReject: (error: unknown) => Effect.Effect<never, unknown> = Effect.die
): Effect.Effect<unknown, unknown, unknown> => {
  if (Effect.isEffect(result)) return result as Effect.Effect<unknown, unknown, unknown>
  if (Predicate.isPromiseLike(result)) return fromPromise(result, onReject)
  return Effect.succeed(result)
}
