/**
 * Onion-style middleware. Each middleware runs around everything after it in the
 * chain (the later middleware and, innermost, the handler): it may add fields to
 * the context (`derive`), stop the call with a typed error, or wrap the call
 * (`wrap`) for logging, tracing spans or metrics. Middleware run in the order they
 * were added with `.use()`: the first is the outermost layer.
 */
import { Effect } from "effect"
import { fromResult } from "./internal/result.js"
import type { RouteKind, RouteMeta } from "./Route.js"

export const MiddlewareTypeId: unique symbol = Symbol.for("@waggle/router/Middleware")
export type MiddlewareTypeId = typeof MiddlewareTypeId

/** What a middleware knows about the call it wraps. */
export interface CallInfo {
  /** The route's path in the router, e.g. `["session", "get"]`. */
  readonly path: ReadonlyArray<string>
  /** The route's flat name, e.g. `"session_get"` (or the name given in its metadata). */
  readonly name: string
  readonly kind: RouteKind
  readonly meta: RouteMeta
  /** The decoded input. */
  readonly input: unknown
}

/**
 * What the rest of the chain produces, fails with and requires. These are opaque on
 * purpose: a middleware can observe and pass on the result of `next`, but it
 * cannot forge or change it; its own errors and requirements are inferred.
 */
export interface Result {
  readonly "~@waggle/router/Result": "opaque"
}
export interface Downstream {
  readonly "~@waggle/router/Downstream": "opaque"
}
export interface DownstreamServices {
  readonly "~@waggle/router/DownstreamServices": "opaque"
}

/** The rest of the chain as an Effect. */
export type Call = Effect.Effect<Result, Downstream, DownstreamServices>

/** Runs the rest of the chain, with the fields this middleware adds to the context. */
export type Next<Added> = {} extends Added ? (added?: Added) => Call : (added: Added) => Call

/** The body of a middleware. */
export type MiddlewareHandle<Need, Added, E, R> = (call: {
  readonly ctx: Need
  readonly info: CallInfo
  readonly next: Next<Added>
}) => Effect.Effect<Result, E | Downstream, R | DownstreamServices>

/**
 * A middleware that reads the context fields `Need`, adds the fields `Added`,
 * may fail with `E` and requires the services `R`.
 */
export interface Middleware<Need, Added, E = never, R = never> {
  readonly [MiddlewareTypeId]: {
    readonly _Need: (_: Need) => void
    readonly _Added: () => Added
    readonly _E: () => E
    readonly _R: () => R
  }
  readonly name: string
  readonly handle: MiddlewareHandle<Need, Added, E, R>
}

export type AnyMiddleware = Middleware<any, any, any, any>

/** The context fields a middleware adds. */
export type Added<M> = M extends Middleware<any, infer A, any, any> ? A : never

/** The general form: full control over the call. */
export const make = <Need = {}, Added = {}, E = never, R = never>(
  name: string,
  handle: MiddlewareHandle<Need, Added, E, R>
): Middleware<Need, Added, Exclude<E, Downstream>, Exclude<R, DownstreamServices>> =>
  ({ [MiddlewareTypeId]: variance, name, handle }) as any

const variance = {
  _Need: (_: unknown) => {},
  _Added: () => undefined as never,
  _E: () => undefined as never,
  _R: () => undefined as never
}

/**
 * Adds fields to the context, or stops the call by failing. The function may
 * return the fields, a Promise of them, or an Effect.
 *
 * @example
 * const auth = Middleware.derive("auth", ({ headers }: { headers: Headers }) =>
 *   headers.get("authorization") === "Bearer ok"
 *     ? Effect.succeed({ user: { id: "u1" } })
 *     : Effect.fail(new Unauthorized({})))
 */
export const derive = <Need, Added extends object, E = never, R = never>(
  name: string,
  f: (ctx: Need, info: CallInfo) => Effect.Effect<Added, E, R> | PromiseLike<Added> | Added
): Middleware<Need, Added, E, R> =>
  make<Need, Added, E, R>(name, ({ ctx, info, next }) =>
    Effect.flatMap(
      Effect.suspend(() => fromResult(f(ctx, info)) as Effect.Effect<Added, E, R>),
      (added) => (next as (added: Added) => Call)(added)
    ))

/**
 * Wraps the rest of the chain, e.g. `Middleware.wrap("span", (call, info) => Effect.withSpan(call, info.name))`.
 */
export const wrap = <E = never, R = never>(
  name: string,
  f: (call: Call, info: CallInfo) => Effect.Effect<Result, E | Downstream, R | DownstreamServices>
): Middleware<{}, {}, Exclude<E, Downstream>, Exclude<R, DownstreamServices>> =>
  make<{}, {}, E, R>(name, ({ info, next }) => f(next(), info))
