/** Test support: serve an HttpApp or a web handler on a real Node server (127.0.0.1, ephemeral port). */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { createServer, type Server } from "node:http"

export interface Served {
  readonly url: string
  readonly close: () => Promise<void>
}

/** Serves an HttpApp with `@effect/platform-node`. */
export const serveApp = async (app: HttpApp.Default<never, never>): Promise<Served> => {
  const scope = Effect.runSync(Scope.make())
  let server: Server | undefined
  const layer = HttpServer.serve(app).pipe(
    Layer.provideMerge(NodeHttpServer.layer(() => (server = createServer()), { port: 0, host: "127.0.0.1" }))
  )
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  const address = Context.get(context, HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => {
      server?.closeAllConnections()
      return Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

/** Serves a fetch-style handler through `@effect/platform-node` (HttpApp.fromWebHandler). */
export const serveWebHandler = (handler: (request: Request) => Promise<Response>): Promise<Served> =>
  serveApp(HttpApp.fromWebHandler(handler) as HttpApp.Default<never, never>)

/** Resolves when `predicate` holds, polling every 10 ms (fails after `ms`). */
export const eventually = async (predicate: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
