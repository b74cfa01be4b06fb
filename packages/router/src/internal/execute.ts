/**
 * The call pipeline shared by every adapter:
 * decode input → middleware (outermost first) → handler (with retry, inside the timeout).
 */
import { Duration, Effect, Option, Predicate, Stream } from "effect"
import type { AnyMiddleware, CallInfo } from "../Middleware.js"
import type { AnyRoute, Compiled } from "../Route.js"
import { RouteTimeout, ValidationError } from "../RouterError.js"
import { fromPromise } from "./result.js"

/** A route and where it is mounted. */
export interface Target {
  readonly route: AnyRoute
  readonly path: ReadonlyArray<string>
  readonly name: string
}

type AnyEffect = Effect.Effect<any, any, any>
type AnyStream = Stream.Stream<any, any, any>

/** How errors name a route: its path joined with ".", e.g. "session.get". */
export const label = (target: Target): string => target.path.join(".")

/** Built only when a timeout fires. */
const timedOut = (target: Target): RouteTimeout =>
  new RouteTimeout({ route: label(target), timeout: Duration.format(target.route.timeout!) })

const merge = (ctx: unknown, added: unknown): unknown => {
  if (added === undefined || added === null) return ctx
  for (const _ in added as object) return { ...(ctx as object), ...(added as object) }
  return ctx
}

const runChain = (
  middleware: ReadonlyArray<AnyMiddleware>,
  index: number,
  ctx: unknown,
  info: CallInfo,
  core: (ctx: unknown) => AnyEffect
): AnyEffect =>
  index === middleware.length
    ? core(ctx)
    : middleware[index]!.handle({
      ctx,
      info,
      next: (added?: unknown) => runChain(middleware, index + 1, merge(ctx, added), info, core)
    })

const failOrDie = (compiled: Compiled, error: unknown): Effect.Effect<never, unknown> =>
  compiled.isDeclared(error) ? Effect.fail(error) : Effect.die(error)

/**
 * What a unary handler receives. The AbortSignal is created only if the handler
 * reads it (an AbortController costs more than the rest of a call).
 */
class UnaryArgs {
  #controller: AbortController | undefined = undefined
  constructor(readonly input: unknown, readonly ctx: unknown, readonly info: CallInfo) {}
  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal
  }
  get signalled(): boolean {
    return this.#controller !== undefined
  }
  abort(): void {
    this.#controller?.abort()
  }
}

const abortOf = (args: UnaryArgs) => Effect.sync(() => args.abort())

/** Runs a unary handler whatever it returns: a value, a Promise or an Effect; interruption aborts its signal. */
const callUnary = (compiled: Compiled, input: unknown, ctx: unknown, info: CallInfo): AnyEffect =>
  Effect.suspend(() => {
    const args = new UnaryArgs(input, ctx, info)
    let result: unknown
    try {
      result = compiled.handler(args)
    } catch (error) {
      return failOrDie(compiled, error)
    }
    if (Effect.isEffect(result)) {
      return args.signalled ? Effect.onInterrupt(result as AnyEffect, () => abortOf(args)) : (result as AnyEffect)
    }
    if (Predicate.isPromiseLike(result)) {
      return Effect.onInterrupt(fromPromise(result, (error) => failOrDie(compiled, error)), () => abortOf(args))
    }
    return Effect.succeed(result)
  })

const isStream = (u: unknown): u is AnyStream => typeof u === "object" && u !== null && Stream.StreamTypeId in u
const isAsyncIterable = (u: unknown): u is AsyncIterable<unknown> =>
  typeof u === "object" && u !== null && Symbol.asyncIterator in u

/**
 * An async iterator as a Stream. When the stream stops early (interruption,
 * timeout, client gone), the handler's signal is aborted and the generator is
 * asked to return, which runs its `finally`. The return is not awaited: a
 * generator stuck in an `await` must not block the interruption.
 */
const fromIterator = (
  compiled: Compiled,
  iterator: AsyncIterator<unknown>,
  controller: AbortController
): AnyStream =>
  Stream.repeatEffectOption(
    Effect.tryPromise({ try: () => iterator.next(), catch: (error) => error }).pipe(
      Effect.catchAll((error) => Effect.mapError(failOrDie(compiled, error), Option.some)),
      Effect.flatMap((result) => (result.done ? Effect.fail(Option.none()) : Effect.succeed(result.value)))
    )
  ).pipe(
    Stream.ensuring(Effect.sync(() => {
      controller.abort()
      if (iterator.return) Promise.resolve(iterator.return()).catch(() => {})
    }))
  )

const callStream = (
  compiled: Compiled,
  args: { input: unknown; ctx: unknown; info: CallInfo; lastEventId: string | undefined }
): AnyStream =>
  Stream.suspend(() => {
    const controller = new AbortController()
    let result: unknown
    try {
      result = compiled.handler({ ...args, signal: controller.signal })
    } catch (error) {
      return Stream.fromEffect(failOrDie(compiled, error))
    }
    if (isStream(result)) return Stream.ensuring(result, Effect.sync(() => controller.abort()))
    if (isAsyncIterable(result)) return fromIterator(compiled, result[Symbol.asyncIterator](), controller)
    return Stream.dieMessage("A stream handler must return an AsyncIterable (async generator) or a Stream")
  })

/** Decodes raw input with the route's precompiled decoder. */
export const decodeInput = (target: Target, raw: unknown): AnyEffect =>
  Effect.mapError(target.route.compiled.decode(raw), (error) => ValidationError.fromParseError(label(target), error))

const infoOf = (target: Target, input: unknown): CallInfo => ({
  path: target.path,
  name: target.name,
  kind: target.route.kind,
  meta: target.route.meta,
  input
})

/** A unary call: the handler's (decoded) output. */
export const runUnary = (target: Target, raw: unknown, ctx: unknown): AnyEffect => {
  const { route } = target
  const compiled = route.compiled
  return Effect.flatMap(decodeInput(target, raw), (input) => {
    const info = infoOf(target, input)
    return runChain(route.middleware, 0, ctx, info, (finalCtx) => {
      let call = callUnary(compiled, input, finalCtx, info)
      if (compiled.retry !== undefined) call = compiled.retry(call)
      if (route.timeout !== undefined) {
        call = Effect.timeoutFail(call, { duration: route.timeout, onTimeout: () => timedOut(target) })
      }
      return call
    })
  })
}

/**
 * A stream call. The effect fails for what happens before the first item
 * (validation, middleware); the stream fails for what happens while streaming,
 * including a silence longer than the route's timeout.
 */
export const runStream = (
  target: Target,
  raw: unknown,
  ctx: unknown,
  lastEventId: string | undefined
): Effect.Effect<AnyStream, any, any> => {
  const { route } = target
  const compiled = route.compiled
  return Effect.flatMap(decodeInput(target, raw), (input) => {
    const info = infoOf(target, input)
    return runChain(route.middleware, 0, ctx, info, (finalCtx) => {
      let stream = callStream(compiled, { input, ctx: finalCtx, info, lastEventId })
      if (route.timeout !== undefined) stream = Stream.timeoutFail(stream, () => timedOut(target), route.timeout)
      return Effect.succeed(stream)
    })
  })
}

/** Encodes an output (or stream item) with the route's output schema; a mismatch is a defect (a handler bug). */
export const encodeOutput = (route: AnyRoute, value: unknown): Effect.Effect<unknown> =>
  route.compiled.encode === undefined ? Effect.succeed(value) : route.compiled.encode(value)
