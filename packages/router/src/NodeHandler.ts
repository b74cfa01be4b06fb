/**
 * A router as a Node `http` request listener: `http.createServer(toNodeHandler(appRouter))`.
 * The leanest way to serve a router from Node (no Request/Response conversion).
 * Only types are imported from `node:http`; nothing here runs unless you call it.
 */
import { Effect, type Fiber, FiberId, Stream } from "effect"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { OptionsArgs, ServerOptions } from "./HttpOptions.js"
import { makeDispatcher, SSE_HEADERS } from "./internal/protocol.js"
import { type RunFork, withRuntime } from "./internal/runtime.js"
import type { Router, RouterRecord } from "./Router.js"
import { PayloadTooLarge } from "./RouterError.js"

export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void

const readBody = (request: IncomingMessage, maxBytes: number): Effect.Effect<string, unknown> =>
  Effect.async<string, unknown>((resume) => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    let done = false
    const finish = (effect: Effect.Effect<string, unknown>) => {
      if (done) return
      done = true
      resume(effect)
    }
    request.on("data", (chunk: Uint8Array) => {
      size += chunk.length
      if (size > maxBytes) return finish(Effect.fail(new PayloadTooLarge({ maxBytes })))
      chunks.push(chunk)
    })
    request.on("end", () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      finish(Effect.succeed(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")))
    })
    request.on("error", (error) => finish(Effect.fail(error)))
  })

const writeFrames = (frames: Stream.Stream<string>, response: ServerResponse): Effect.Effect<void> =>
  Stream.runForEach(frames, (frame) =>
    response.write(frame)
      ? Effect.void
      : Effect.async<void>((resume) => {
        response.once("drain", () => resume(Effect.void))
      })).pipe(Effect.ensuring(Effect.sync(() => response.end())))

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(", ") : value
}

export const toNodeHandler = <T extends RouterRecord, CE = never, CR = never>(
  router: Router<T>,
  ...[options]: OptionsArgs<
    Router.Context<Router<T>>,
    Router.Requirements<Router<T>> | CR,
    ServerOptions<Router.Context<Router<T>>, CE, CR, Router.Requirements<Router<T>>>
  >
): NodeHandler => {
  const opts = (options ?? {}) as ServerOptions<unknown, unknown, unknown, unknown> & { runtime?: any }
  const dispatch = makeDispatcher(router, opts as any)
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024
  const make = (runFork: RunFork) => (request: IncomingMessage, response: ServerResponse): void => {
    const call = runFork(dispatch(
      { method: request.method ?? "GET", url: request.url ?? "/", header: (name) => header(request, name), raw: request },
      readBody(request, maxBodyBytes)
    ))
    let current: Fiber.RuntimeFiber<unknown, unknown> = call
    response.on("close", () => {
      if (!response.writableEnded) current.unsafeInterruptAsFork(FiberId.none)
    })
    call.addObserver((exit) => {
      if (response.destroyed) return
      if (exit._tag === "Failure") {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" })
        response.end(JSON.stringify({ error: { _tag: "InternalError", message: "Internal error" } }))
        return
      }
      const answer = exit.value
      if (answer._tag === "Json") {
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(answer.body),
          ...answer.headers
        })
        response.end(answer.body)
        return
      }
      response.writeHead(200, SSE_HEADERS)
      current = runFork(writeFrames(answer.frames, response))
    })
  }
  return withRuntime(opts.runtime, make) as NodeHandler
}
