/**
 * A route as a plain async function, for server-action style frameworks:
 * `const getSession = createAction(sessionGet)` then `await getSession({ id })`.
 * It rejects with the route's typed error itself (e.g. a NotFound instance), a
 * ValidationError or a RouteTimeout; a defect rejects with the original error.
 */
import type { ManagedRuntime, Schema } from "effect"
import { Cause, Effect, Exit } from "effect"
import type { InputArgs } from "./Caller.js"
import { runUnary } from "./internal/execute.js"
import type { AnyUnaryRoute, Route } from "./Route.js"
import type { RuntimeOption } from "./HttpOptions.js"

type Rt<T> = T extends Route<"unary", any, infer I, infer O, any, any> ? { readonly input: I; readonly output: O } : never

/** The route context: a value, or a function called per call (e.g. reading cookies). */
export type ActionContext<Ctx> = Ctx | (() => Ctx | PromiseLike<Ctx>)

export type ActionOptions<Ctx, R> =
  & {
    /** The name used in errors (default: the route's meta name, else "action"). */
    readonly name?: string
  }
  & ({} extends Ctx ? { readonly context?: ActionContext<Ctx> } : { readonly context: ActionContext<Ctx> })
  & RuntimeOption<R>

type ActionArgs<Ctx, R> = {} extends Ctx ? [R] extends [never] ? [options?: ActionOptions<Ctx, R>]
  : [options: ActionOptions<Ctx, R>]
  : [options: ActionOptions<Ctx, R>]

export type Action<T> = (
  ...input: InputArgs<Schema.Schema.Encoded<Rt<T>["input"]>>
) => Promise<Schema.Schema.Type<Rt<T>["output"]>>

export const createAction = <T extends AnyUnaryRoute>(
  route: T,
  ...[options]: ActionArgs<Route.Context<T>, Route.Requirements<T>>
): Action<T> => {
  const opts = (options ?? {}) as {
    readonly name?: string
    readonly context?: ActionContext<unknown>
    readonly runtime?: ManagedRuntime.ManagedRuntime<unknown, unknown>
  }
  const name = opts.name ?? route.meta.name ?? "action"
  const target = { route, path: [name], name }
  const contextOf = typeof opts.context === "function"
    ? (opts.context as () => unknown)
    : () => opts.context ?? {}
  const run = opts.runtime === undefined
    ? (effect: Effect.Effect<unknown, unknown>) => Effect.runPromiseExit(effect)
    : (effect: Effect.Effect<unknown, unknown, unknown>) => opts.runtime!.runPromiseExit(effect)
  return (async (input?: unknown) => {
    const ctx = await contextOf()
    const exit = await run(runUnary(target, input, ctx) as Effect.Effect<unknown, unknown>)
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause) // the typed failure if there is one, else the defect
  }) as Action<T>
}
