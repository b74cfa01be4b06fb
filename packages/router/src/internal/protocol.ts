/**
 * The HTTP protocol of a router, independent of any server: an incoming request
 * becomes an Effect of an answer (JSON with a status, or an SSE frame stream).
 *
 *   POST <prefix>/<path...>   body: JSON input          → 200 JSON output
 *   GET  <prefix>/<path...>?input=<JSON>                 → same (EventSource-friendly)
 *   stream routes → 200 text/event-stream (see sse.ts)
 *   failures      → status from the error, body { "error": { "_tag", "message", ...fields } }
 */
import { Effect, Stream } from "effect"
import type { BaseHttpOptions, ContextFn, IncomingRequest } from "../HttpOptions.js"
import type { AnyRouter, RouteEntry } from "../Router.js"
import { NotFound, PayloadTooLarge, toErrorBody, ValidationError } from "../RouterError.js"
import { encodeOutput, label, runStream, runUnary } from "./execute.js"
import { describeFailure } from "./failure.js"
import { fromResult } from "./result.js"
import { startIndexAfter, toSse } from "./sse.js"

export type Answer =
  | {
    readonly _tag: "Json"
    readonly status: number
    readonly body: string
    readonly headers?: Readonly<Record<string, string>>
  }
  | { readonly _tag: "Sse"; readonly frames: Stream.Stream<string> }

/** Larger request bodies are refused with 413 unless the options say otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no"
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Answer =>
  headers === undefined
    ? { _tag: "Json", status, body: JSON.stringify(body ?? null) }
    : { _tag: "Json", status, body: JSON.stringify(body ?? null), headers }

const invalid = (entry: RouteEntry, message: string) =>
  new ValidationError({ route: label(entry), issues: [{ path: [], message }] })

/** Hands the JSON input to `f` (no text: undefined); text that is not JSON is a ValidationError. */
const withJson = <A, E, R>(
  entry: RouteEntry,
  text: string | null | undefined,
  f: (input: unknown) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | ValidationError, R> => {
  if (text === null || text === undefined || text === "") return f(undefined)
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch {
    return Effect.fail(invalid(entry, "Input is not valid JSON"))
  }
  return f(input)
}

const safeDecode = (path: string): string => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

export interface DispatchOptions extends BaseHttpOptions {
  readonly context?: ContextFn<unknown, unknown, unknown> | undefined
}

/** Answers one request; `body` is the text already read, or an Effect reading it. */
export type Dispatcher = (
  request: IncomingRequest,
  body: string | Effect.Effect<string, unknown>
) => Effect.Effect<Answer, never, unknown>

/** Compiles a router's HTTP protocol once; the returned function answers one request. */
export const makeDispatcher = (router: AnyRouter, options: DispatchOptions): Dispatcher => {
  const prefix = (options.prefix ?? "").replace(/\/+$/, "")
  const contextFn = options.context
  const sseRetryMs = options.sseRetryMs ?? 1000
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const contextOf = contextFn === undefined
    ? undefined
    : (request: IncomingRequest) => Effect.suspend(() => fromResult(contextFn(request)))

  const call = (
    entry: RouteEntry,
    request: IncomingRequest,
    raw: unknown,
    ctx: unknown,
    query: URLSearchParams | undefined
  ): Effect.Effect<Answer, unknown, unknown> => {
    const route = entry.route
    if (route.kind === "unary") {
      return Effect.map(
        Effect.flatMap(runUnary(entry, raw, ctx), (output) => encodeOutput(route, output)),
        (encoded) => json(200, encoded)
      )
    }
    const lastEventId = request.header("last-event-id") ?? query?.get("lastEventId") ?? undefined
    return Effect.zipWith(runStream(entry, raw, ctx, lastEventId), Effect.context<unknown>(), (items, services) => ({
      _tag: "Sse" as const,
      frames: toSse(Stream.provideContext(items, services), {
        heartbeat: route.heartbeat!,
        retryMs: sseRetryMs,
        eventId: route.compiled.eventId,
        startIndex: startIndexAfter(lastEventId),
        encode: (item) => encodeOutput(route, item),
        onInternalError: options.onInternalError
      })
    }))
  }

  return (request, body) => {
    const url = request.url
    const q = url.indexOf("?")
    const pathname = q === -1 ? url : url.slice(0, q)
    const query = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1))
    const entry = pathname.startsWith(prefix + "/")
      ? router.byPath.get(safeDecode(pathname.slice(prefix.length + 1)))
      : undefined
    if (entry === undefined) {
      return Effect.succeed(json(404, { error: toErrorBody(new NotFound({ message: `No route at ${pathname}` })) }))
    }
    const method = request.method
    if (method !== "POST" && method !== "GET") {
      const error = { _tag: "MethodNotAllowed", message: `Use POST or GET for ${pathname}` }
      return Effect.succeed(json(405, { error }, { allow: "GET, POST" }))
    }
    const withInput = (raw: unknown) =>
      contextOf === undefined
        ? call(entry, request, raw, {}, query)
        : Effect.flatMap(contextOf(request), (ctx) => call(entry, request, raw, ctx, query))
    let program: Effect.Effect<Answer, unknown, unknown>
    if (method === "GET") {
      program = withJson(entry, query?.get("input"), withInput)
    } else if (typeof body === "string") {
      program = withJson(entry, body, withInput)
    } else if (Number(request.header("content-length") ?? 0) > maxBodyBytes) {
      program = Effect.fail(new PayloadTooLarge({ maxBytes: maxBodyBytes }))
    } else {
      program = Effect.flatMap(
        Effect.mapError(body, (error) =>
          error instanceof PayloadTooLarge ? error : invalid(entry, "Could not read the request body")),
        (text) => withJson(entry, text, withInput)
      )
    }
    return Effect.catchAllCause(program, (cause) => {
      const failure = describeFailure(cause, options)
      if (failure === undefined) return Effect.failCause(cause) as Effect.Effect<never>
      return Effect.succeed(json(failure.status, { error: failure.body }))
    })
  }
}
