/**
 * A route: a named operation with an input schema, an optional output schema,
 * declared errors, middleware and a handler. Built fluently:
 *
 *   route({ timeout: "5s", retry: "exponential" })
 *     .use(auth)
 *     .input(Schema.Struct({ id: Schema.String }))
 *     .output(Session)
 *     .errors(NotFound)
 *     .handler(async ({ input, ctx }) => ...)
 */
import type { Duration, Either, ParseResult, Stream } from "effect"
import { Effect, Schema } from "effect"
import { type DurationLike, toDuration } from "./internal/duration.js"
import { compileRetry, type Retrier, type RetryOption } from "./internal/retry.js"
import type { AnyMiddleware, CallInfo, Middleware } from "./Middleware.js"

export type { DurationLike } from "./internal/duration.js"
export type { RetryOption, RetryOptions, RetryPolicy } from "./internal/retry.js"

export const RouteTypeId: unique symbol = Symbol.for("@waggle/router/Route")
export type RouteTypeId = typeof RouteTypeId

/** "unary": one input, one output. "stream": one input, many outputs. */
export type RouteKind = "unary" | "stream"

/** MCP tool annotations: hints for clients, never enforced. */
export interface RouteAnnotations {
  readonly title?: string
  readonly readOnlyHint?: boolean
  readonly destructiveHint?: boolean
  readonly idempotentHint?: boolean
  readonly openWorldHint?: boolean
}

/** Describes a route to tools, CLIs and people. */
export interface RouteMeta {
  /** The flat name (default: the path joined with "_", e.g. "session_get"). */
  readonly name?: string
  readonly description?: string
  readonly annotations?: RouteAnnotations
}

interface CommonOptions extends RouteMeta {
  /** Unary: the budget for the whole call, retries included. Stream: the longest silence between two items. */
  readonly timeout?: DurationLike
}

export interface UnaryOptions extends CommonOptions {
  readonly stream?: false
  readonly retry?: RetryOption
}

export interface StreamOptions extends CommonOptions {
  readonly stream: true
  /** Interval of the keep-alive comments sent over Server-Sent Events (default "15s"). */
  readonly heartbeat?: DurationLike
  /**
   * The SSE event id of an item (default: its sequence number, continuing after a
   * numeric Last-Event-ID). Clients send the last id back when they reconnect.
   */
  readonly eventId?: (item: unknown, index: number) => string
}

export type RouteOptions = UnaryOptions | StreamOptions

/** Any schema without requirements. */
export type AnySchema = Schema.Schema<any, any, never>

/** A class whose instances are typed failures (e.g. a `Schema.TaggedError`). */
export type ErrorClass = abstract new(...args: any) => unknown

/** What a handler receives. */
export interface HandlerArgs<Ctx, I> {
  readonly input: I
  readonly ctx: Ctx
  /** Aborted when the call is interrupted (timeout, client gone, sibling failure). */
  readonly signal: AbortSignal
  readonly info: CallInfo
}

export interface StreamHandlerArgs<Ctx, I> extends HandlerArgs<Ctx, I> {
  /** The Last-Event-ID sent by a reconnecting client: resume after it. */
  readonly lastEventId: string | undefined
}

/**
 * A route. `Ctx` is the context its callers must provide, `In`/`Out` its schemas,
 * `E` its typed errors (besides ValidationError and RouteTimeout), `R` the
 * services its handler and middleware require.
 */
export interface Route<Kind extends RouteKind, Ctx, In extends Schema.Schema.All, Out extends Schema.Schema.All, E, R> {
  readonly [RouteTypeId]: {
    readonly _Ctx: (_: Ctx) => void
    readonly _Out: () => Out
    readonly _E: () => E
    readonly _R: () => R
  }
  readonly kind: Kind
  readonly input: In
  /** The output schema, or undefined when the route declared none. */
  readonly output: Out | undefined
  readonly errors: ReadonlyArray<ErrorClass>
  readonly meta: RouteMeta
  readonly middleware: ReadonlyArray<AnyMiddleware>
  readonly timeout: Duration.Duration | undefined
  /** Stream routes: the SSE heartbeat interval. */
  readonly heartbeat: Duration.Duration | undefined
  /** @internal */
  readonly compiled: Compiled
}

/** @internal precomputed once per route: the hot path does no schema or option work. */
export interface Compiled {
  readonly handler: (args: any) => unknown
  readonly decode: (u: unknown) => Effect.Effect<unknown, ParseResult.ParseError>
  /** Encodes an output; a mismatch is a defect (a handler bug). */
  readonly encode: ((a: unknown) => Effect.Effect<unknown>) | undefined
  readonly retry: Retrier | undefined
  readonly eventId: ((item: unknown, index: number) => string) | undefined
  readonly isDeclared: (error: unknown) => boolean
}

export type AnyUnaryRoute = Route<"unary", any, any, any, any, any>
export type AnyStreamRoute = Route<"stream", any, any, any, any, any>
export type AnyRoute = AnyUnaryRoute | AnyStreamRoute

export declare namespace Route {
  /** The context callers must provide. */
  export type Context<T> = T extends Route<any, infer C, any, any, any, any> ? C : never
  /** What callers send (the input schema's encoded side). */
  export type Input<T> = T extends Route<any, any, infer I, any, any, any> ? Schema.Schema.Encoded<I> : never
  /** What the handler receives (the input schema's decoded side). */
  export type DecodedInput<T> = T extends Route<any, any, infer I, any, any, any> ? Schema.Schema.Type<I> : never
  /** What the handler produces (per item, for streams). */
  export type Output<T> = T extends Route<any, any, any, infer O, any, any> ? Schema.Schema.Type<O> : never
  /** What goes over the wire (per item, for streams). */
  export type OutputEncoded<T> = T extends Route<any, any, any, infer O, any, any> ? Schema.Schema.Encoded<O> : never
  /** The route's own typed errors. */
  export type Error<T> = T extends Route<any, any, any, any, infer E, any> ? E : never
  /** The services the route requires. */
  export type Requirements<T> = T extends Route<any, any, any, any, any, infer R> ? R : never
}

type Simplify<T> = { [K in keyof T]: T[K] } & {}

type ValueOf<Ret> = Ret extends Effect.Effect<infer A, any, any> ? A : Ret extends PromiseLike<infer A> ? A : Ret
type ErrorOf<Ret> = Ret extends Effect.Effect<any, infer E, any> ? E : never
type RequirementsOf<Ret> = Ret extends Effect.Effect<any, any, infer R> ? R : never
type ItemOf<Ret> = Ret extends Stream.Stream<infer A, any, any> ? A : Ret extends AsyncIterable<infer A> ? A : never
type StreamErrorOf<Ret> = Ret extends Stream.Stream<any, infer E, any> ? E : never
type StreamRequirementsOf<Ret> = Ret extends Stream.Stream<any, any, infer R> ? R : never

type OutType<Out> = Out extends AnySchema ? Schema.Schema.Type<Out> : unknown
type OutSchema<Out, A> = Out extends AnySchema ? Out : Schema.Schema<A>

/** What a unary handler may return. */
export type UnaryResult<A> = A | PromiseLike<A> | Effect.Effect<A, any, any>
/** What a stream handler may return: an async generator (any AsyncIterable) or a Stream. */
export type StreamResult<A> = AsyncIterable<A> | Stream.Stream<A, any, any>

export interface RouteBuilder<
  Kind extends RouteKind,
  Base,
  Ctx,
  In extends AnySchema,
  Out extends AnySchema | undefined,
  E,
  R
> {
  /** Declares context fields callers must provide (e.g. `{ headers: Headers }`). */
  context<C extends object>(): RouteBuilder<Kind, Base & C, Ctx & C, In, Out, E, R>
  /**
   * Adds a middleware; the first added is the outermost. Fields it needs that are
   * not yet in the context become part of the context callers must provide.
   */
  use<Need, Added, E2, R2>(
    middleware: Middleware<Need, Added, E2, R2>
  ): RouteBuilder<Kind, Base & Omit<Need, keyof Ctx>, Ctx & Need & Added, In, Out, E | E2, R | R2>
  input<S extends AnySchema>(schema: S): RouteBuilder<Kind, Base, Ctx, S, Out, E, R>
  output<S extends AnySchema>(schema: S): RouteBuilder<Kind, Base, Ctx, In, S, E, R>
  /** Declares typed errors: an async handler that throws one of these fails with it. */
  errors<const C extends ReadonlyArray<ErrorClass>>(
    ...errors: C
  ): RouteBuilder<Kind, Base, Ctx, In, Out, E | InstanceType<C[number]>, R>
  meta(meta: RouteMeta): RouteBuilder<Kind, Base, Ctx, In, Out, E, R>
  handler: Kind extends "stream" ? <Ret extends StreamResult<OutType<Out>>>(
      fn: (args: StreamHandlerArgs<Simplify<Ctx>, Schema.Schema.Type<In>>) => Ret
    ) => Route<
      "stream",
      Simplify<Base>,
      In,
      OutSchema<Out, ItemOf<Ret>>,
      E | StreamErrorOf<Ret>,
      R | StreamRequirementsOf<Ret>
    >
    : <Ret extends UnaryResult<OutType<Out>>>(
      fn: (args: HandlerArgs<Simplify<Ctx>, Schema.Schema.Type<In>>) => Ret
    ) => Route<"unary", Simplify<Base>, In, OutSchema<Out, ValueOf<Ret>>, E | ErrorOf<Ret>, R | RequirementsOf<Ret>>
}

interface State {
  readonly options: RouteOptions
  readonly meta: RouteMeta
  readonly input: AnySchema
  readonly output: AnySchema | undefined
  readonly errors: ReadonlyArray<ErrorClass>
  readonly middleware: ReadonlyArray<AnyMiddleware>
}

class Builder {
  constructor(readonly state: State) {}
  private with(patch: Partial<State>): Builder {
    return new Builder({ ...this.state, ...patch })
  }
  context() {
    return this
  }
  use(middleware: AnyMiddleware) {
    return this.with({ middleware: [...this.state.middleware, middleware] })
  }
  input(schema: AnySchema) {
    return this.with({ input: schema })
  }
  output(schema: AnySchema) {
    return this.with({ output: schema })
  }
  errors(...errors: ReadonlyArray<ErrorClass>) {
    return this.with({ errors: [...this.state.errors, ...errors] })
  }
  meta(meta: RouteMeta) {
    return this.with({ meta: mergeMeta(this.state.meta, meta) })
  }
  handler = (fn: (args: any) => unknown): AnyRoute => makeRoute(this.state, fn)
}

const mergeMeta = (a: RouteMeta, b: RouteMeta): RouteMeta => {
  const annotations = a.annotations || b.annotations ? { annotations: { ...a.annotations, ...b.annotations } } : {}
  return { ...a, ...b, ...annotations }
}

const metaOf = (options: RouteMeta): RouteMeta => {
  const meta: { -readonly [K in keyof RouteMeta]: RouteMeta[K] } = {}
  if (options.name !== undefined) meta.name = options.name
  if (options.description !== undefined) meta.description = options.description
  if (options.annotations !== undefined) meta.annotations = options.annotations
  return meta
}

const variance = { _Ctx: (_: unknown) => {}, _Out: () => undefined as never, _E: () => undefined as never, _R: () => undefined as never }

const ALL = { errors: "all" } as const

/**
 * A parser that tries the synchronous (Either) path first — several times faster than
 * the Effect one — and falls back to the Effect path when it fails, which also covers
 * schemas with asynchronous transformations.
 */
const parser = <E>(
  sync: (u: unknown) => Either.Either<unknown, ParseResult.ParseError>,
  effect: (u: unknown) => Effect.Effect<unknown, E>
) =>
(u: unknown): Effect.Effect<unknown, E> => {
  const result = sync(u)
  return result._tag === "Right" ? Effect.succeed(result.right) : effect(u)
}

const makeRoute = (state: State, handler: (args: any) => unknown): AnyRoute => {
  const { options } = state
  const timeout = options.timeout === undefined ? undefined : toDuration(options.timeout)
  const stream = options.stream === true
  const errors = state.errors
  const compiled: Compiled = {
    handler,
    decode: parser(Schema.decodeUnknownEither(state.input, ALL), Schema.decodeUnknown(state.input, ALL)),
    encode: state.output === undefined
      ? undefined
      : parser(Schema.encodeUnknownEither(state.output, ALL), (u) => Effect.orDie(Schema.encodeUnknown(state.output!, ALL)(u))),
    retry: options.stream === true ? undefined : compileRetry(options.retry),
    eventId: options.stream === true ? options.eventId : undefined,
    isDeclared: (error) => errors.some((ctor) => error instanceof ctor)
  }
  return {
    [RouteTypeId]: variance,
    kind: stream ? "stream" : "unary",
    input: state.input,
    output: state.output,
    errors,
    meta: state.meta,
    middleware: state.middleware,
    timeout,
    heartbeat: options.stream === true ? toDuration(options.heartbeat ?? "15s") : undefined,
    compiled
  } as AnyRoute
}

/**
 * Starts a route. Options: `timeout`, `retry` (unary), `stream: true` with
 * `heartbeat` (streams), and metadata (`name`, `description`, `annotations`).
 */
export function route(options: StreamOptions): RouteBuilder<"stream", {}, {}, typeof Schema.Void, undefined, never, never>
export function route(options?: UnaryOptions): RouteBuilder<"unary", {}, {}, typeof Schema.Void, undefined, never, never>
export function route(options: RouteOptions = {}): RouteBuilder<any, {}, {}, typeof Schema.Void, undefined, never, never> {
  return new Builder({
    options,
    meta: metaOf(options),
    input: Schema.Void,
    output: undefined,
    errors: [],
    middleware: []
  }) as any
}

/** True for routes built with {@link route}. */
export const isRoute = (u: unknown): u is AnyRoute => typeof u === "object" && u !== null && RouteTypeId in u
