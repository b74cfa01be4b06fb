/**
 * Invoking a route from its router entry with unknown input — what an MCP tool
 * registry or a CLI does: decode → middleware → handler → encode output.
 */
import { Effect, Stream } from "effect"
import { encodeOutput, runStream, runUnary } from "./internal/execute.js"
import type { AnyStreamRoute, AnyUnaryRoute, Route } from "./Route.js"
import type { RouteFailure, RouteTimeout } from "./RouterError.js"

/** The part of a router entry needed to call its route. */
export interface Invocable<Rt> {
  readonly path: ReadonlyArray<string>
  readonly name: string
  readonly route: Rt
}

/**
 * Calls a unary route with unknown input and returns its encoded (JSON-ready)
 * output. Fails with ValidationError (naming each bad field), RouteTimeout, or
 * one of the route's own errors.
 */
export const invoke = <En extends Invocable<AnyUnaryRoute>>(
  entry: En,
  input: unknown,
  context: Route.Context<En["route"]>
): Effect.Effect<
  Route.OutputEncoded<En["route"]>,
  Route.Error<En["route"]> | RouteFailure,
  Route.Requirements<En["route"]>
> =>
  entry.route.kind === "unary"
    ? Effect.flatMap(runUnary(entry, input, context), (output) => encodeOutput(entry.route, output)) as any
    : Effect.dieMessage(`${entry.name} is a stream route: use invokeStream`)

/**
 * Opens a stream route with unknown input. The effect fails for validation and
 * middleware errors; the stream of encoded items fails for errors while streaming.
 */
export const invokeStream = <En extends Invocable<AnyStreamRoute>>(
  entry: En,
  input: unknown,
  context: Route.Context<En["route"]>,
  options?: { readonly lastEventId?: string | undefined }
): Effect.Effect<
  Stream.Stream<
    Route.OutputEncoded<En["route"]>,
    Route.Error<En["route"]> | RouteTimeout,
    Route.Requirements<En["route"]>
  >,
  Route.Error<En["route"]> | RouteFailure,
  Route.Requirements<En["route"]>
> =>
  entry.route.kind === "stream"
    ? Effect.map(
      runStream(entry, input, context, options?.lastEventId),
      (stream) => Stream.mapEffect(stream, (item) => encodeOutput(entry.route, item))
    ) as any
    : Effect.dieMessage(`${entry.name} is a unary route: use invoke`)
