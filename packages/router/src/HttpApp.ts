/**
 * A router as an `@effect/platform` HttpApp, for Effect servers: serve it with
 * `HttpServer.serve(toHttpApp(appRouter))` on `NodeHttpServer.layer(...)` (or mount it
 * in an HttpRouter). The services the routes require stay in its type, for your
 * layers to provide.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Stream } from "effect"
import type { HttpOptions, OptionsArgs } from "./HttpOptions.js"
import { type Answer, makeDispatcher, SSE_HEADERS } from "./internal/protocol.js"
import type { Router, RouterRecord } from "./Router.js"

const toServerResponse = (answer: Answer): HttpServerResponse.HttpServerResponse =>
  answer._tag === "Json"
    ? HttpServerResponse.text(answer.body, {
      status: answer.status,
      contentType: "application/json",
      ...(answer.headers === undefined ? {} : { headers: answer.headers })
    })
    : HttpServerResponse.stream(Stream.encodeText(answer.frames), {
      contentType: SSE_HEADERS["content-type"]!,
      headers: SSE_HEADERS
    })

export const toHttpApp = <T extends RouterRecord, CE = never, CR = never>(
  router: Router<T>,
  ...[options]: OptionsArgs<Router.Context<Router<T>>, never, HttpOptions<Router.Context<Router<T>>, CE, CR>>
): HttpApp.Default<never, Router.Requirements<Router<T>> | CR> => {
  const dispatch = makeDispatcher(router, (options ?? {}) as any)
  // platform servers run apps uninterruptibly: let timeouts and client disconnects interrupt the call
  return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.map(
      Effect.interruptible(dispatch(
        {
          method: request.method,
          url: request.url,
          header: (name) => request.headers[name.toLowerCase()],
          raw: request
        },
        request.text
      )),
      toServerResponse
    )) as HttpApp.Default<never, Router.Requirements<Router<T>> | CR>
}
