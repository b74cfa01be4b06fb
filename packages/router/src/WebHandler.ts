/**
 * A router as a fetch-style handler, `(request: Request) => Promise<Response>`,
 * for Next.js route handlers, Hono, Bun, Deno — and Node through
 * `@effect/platform-node` (`HttpApp.fromWebHandler`). A client that goes away
 * (the request's signal aborts, or the response body is cancelled) interrupts the call.
 */
import { Effect, FiberId, Stream } from "effect"
import type { OptionsArgs, ServerOptions } from "./HttpOptions.js"
import { type Answer, makeDispatcher, SSE_HEADERS } from "./internal/protocol.js"
import { type RunFork, withRuntime } from "./internal/runtime.js"
import type { Router, RouterRecord } from "./Router.js"

export type WebHandler = (request: Request) => Promise<Response>

const JSON_HEADERS = { "content-type": "application/json" }

const toResponse = (answer: Answer): Response => {
  if (answer._tag === "Json") {
    const headers = answer.headers === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...answer.headers }
    return new Response(answer.body, { status: answer.status, headers })
  }
  return new Response(Stream.toReadableStream(Stream.encodeText(answer.frames)), { status: 200, headers: SSE_HEADERS })
}

/** Path and query of an absolute URL. */
const pathOf = (url: string): string => {
  const start = url.indexOf("/", url.indexOf("//") + 2)
  return start === -1 ? "/" : url.slice(start)
}

export const toWebHandler = <T extends RouterRecord, CE = never, CR = never>(
  router: Router<T>,
  ...[options]: OptionsArgs<
    Router.Context<Router<T>>,
    Router.Requirements<Router<T>> | CR,
    ServerOptions<Router.Context<Router<T>>, CE, CR, Router.Requirements<Router<T>>>
  >
): WebHandler => {
  const opts = (options ?? {}) as ServerOptions<unknown, unknown, unknown, unknown> & { runtime?: any }
  const dispatch = makeDispatcher(router, opts as any)
  const make = (runFork: RunFork) => (request: Request): Promise<Response> => {
    const fiber = runFork(dispatch(
      {
        method: request.method,
        url: pathOf(request.url),
        header: (name) => request.headers.get(name) ?? undefined,
        raw: request
      },
      Effect.tryPromise(() => request.text())
    ))
    const signal = request.signal
    const onAbort = () => fiber.unsafeInterruptAsFork(FiberId.none)
    signal?.addEventListener("abort", onAbort, { once: true })
    return new Promise((resolve) =>
      fiber.addObserver((exit) => {
        signal?.removeEventListener("abort", onAbort)
        resolve(exit._tag === "Success" ? toResponse(exit.value) : new Response(null, { status: 499 }))
      })
    )
  }
  return withRuntime(opts.runtime, make) as WebHandler
}
