/**
 * A workflow step that waits for someone (a human, another agent, another process) to resolve a
 * `DurableDeferred`, with a timeout and a fallback value. Create the deferred in an earlier step so
 * that its token is recorded in the journal: after a crash the resumed run waits on the same token.
 *
 *   Workflow.make("release")
 *     .step("ask", () => deferred.create({ ttl: "1 day" }))
 *     .step("approval", { dependsOn: ["ask"] }, ({ ask }) =>
 *       awaitDeferred(ask, { timeout: "4 hours", fallback: "rejected" as const, schema: Approval }))
 */
import { Effect } from "effect"
import type { Duration, ParseResult, Schema } from "effect"
import type { DeferredNotFound, DeferredRejected, InvalidInput, StorageError } from "@waggle/primitives"
import { DurableDeferred } from "@waggle/primitives"

export interface AwaitDeferredOptions<A, I, F> {
  /** How long to wait; past it (or past the deferred's own expiry) the step returns `fallback`. */
  readonly timeout: Duration.DurationInput
  readonly fallback: F
  readonly schema?: Schema.Schema<A, I, never>
}

export const awaitDeferred = <A = unknown, I = unknown, F = A>(
  token: string,
  options: AwaitDeferredOptions<A, I, F>
): Effect.Effect<
  A | F,
  InvalidInput | DeferredNotFound | DeferredRejected | StorageError | ParseResult.ParseError,
  DurableDeferred
> =>
  Effect.flatMap(DurableDeferred, (deferred) =>
    deferred.await<A, I>(token, {
      timeout: options.timeout,
      ...(options.schema === undefined ? {} : { schema: options.schema })
    }).pipe(Effect.catchTag("DeferredTimeout", () => Effect.succeed(options.fallback))))
