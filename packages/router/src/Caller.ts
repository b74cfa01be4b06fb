/**
 * In-process calls: `createCaller(appRouter, context)` mirrors the router as a tree
 * of functions returning Effects (unary routes) and Streams (stream routes), with
 * input validation, middleware, timeout and retry — the same pipeline as HTTP.
 */
import type { Effect, Schema } from "effect"
import { Stream } from "effect"
import { runStream, runUnary, type Target } from "./internal/execute.js"
import type { AnyRoute, Route } from "./Route.js"
import type { RouteEntry, Router, RouterRecord } from "./Router.js"
import type { RouteFailure, RouteTimeout } from "./RouterError.js"

/** `[input?: I]` when the route takes no input, `[input: I]` otherwise. */
export type InputArgs<I> = [I] extends [void | undefined] ? [input?: I] : [input: I]

export interface StreamCallOptions {
  /** Resume after this event id (what a reconnecting SSE client sends). */
  readonly lastEventId?: string | undefined
}

export type RouteCaller<Rt> = Rt extends Route<"unary", any, infer I, infer O, infer E, infer R>
  ? (...input: InputArgs<Schema.Schema.Encoded<I>>) => Effect.Effect<Schema.Schema.Type<O>, E | RouteFailure, R>
  : Rt extends Route<"stream", any, infer I, infer O, infer E, infer R> ? (
      ...args: [...InputArgs<Schema.Schema.Encoded<I>>, options?: StreamCallOptions]
    ) => Stream.Stream<Schema.Schema.Type<O>, E | RouteFailure | RouteTimeout, R>
  : never

/** The caller tree of a router record. */
export type Caller<T> = {
  readonly [K in keyof T]: T[K] extends AnyRoute ? RouteCaller<T[K]>
    : T[K] extends Router<infer U> ? Caller<U>
    : T[K] extends RouterRecord ? Caller<T[K]>
    : never
}

/** `[context?]` when the router needs no context, `[context]` otherwise. */
export type ContextArgs<Ctx> = {} extends Ctx ? [context?: Ctx] : [context: Ctx]

/** Binds one route, at one path, to a context. */
const bindRoute = (target: Target, context: unknown): (...args: Array<any>) => unknown =>
  target.route.kind === "unary"
    ? (input?: unknown) => runUnary(target, input, context)
    : (input?: unknown, options?: StreamCallOptions) =>
      Stream.unwrap(runStream(target, input, context, options?.lastEventId))

/** Mirrors a router as functions bound to `context`. */
export const createCaller = <T extends RouterRecord>(
  router: Router<T>,
  ...[context]: ContextArgs<Router.Context<Router<T>>>
): Caller<T> => {
  const ctx = context ?? {}
  const tree: Record<string, any> = {}
  for (const entry of router.entries as ReadonlyArray<RouteEntry>) {
    let node = tree
    for (const key of entry.path.slice(0, -1)) node = node[key] ??= {}
    node[entry.path.at(-1)!] = bindRoute(entry, ctx)
  }
  return tree as Caller<T>
}
