/**
 * A router as a Node `http` request listener: `http.createServer(toNodeHandler(appRouter))`.
 * The leanest way to serve a router from Node (no Request/Response conversion).
 * Only types are imported from `node:http`; nothing here runs unless you call it.
 */
import { Effect, type Fiber, FiberId, Stream } from "effect"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { OptionsArgs, ServerOptions } from "./HttpOptions.js"
import { type Answer, DEFAULT_MAX_BODY_BYTES, makeDispatcher, SSE_HEADERS } from "./internal/protocol.js"
import { type RunFork, withRuntime } from "./internal/runtime.js"
import type { Router, RouterRecord } from "./Router.js"
import { PayloadTooLarge } from "./RouterError.js"

export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void

/**
 * Reads the body with plain callbacks (no fiber waits for it): the call then usually
 * runs to completion synchronously, which is what makes this adapter fast.
 */
const readBody = (
  request: IncomingMessage,
  maxBytes: number,
  done: (body: string | Effect.Effect<string, unknown>) => void
) => {
  const chunks: Array<Buffer> = []
  let size = 0
  let finished = false
  const finish = (body: string | Effect.Effect<string, unknown>) => {
    if (finished) return
    finished = true
    done(body)
  }
  request.on("data", (chunk: Buffer) => {
    size += chunk.length
    if (size > maxBytes) return finish(Effect.fail(new PayloadTooLarge({ maxBytes })))
    chunks.push(chunk)
  })
  request.on("end", () =>
    finish(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")))
  request.on("error", (error) => finish(Effect.fail(error)))
}

const writeFrames = (frames: Stream.Stream<string>, response: ServerResponse): Effect.Effect<void> =>
  Stream.runForEach(frames, (frame) =>
    response.write(frame)
      ? Effect.void
      : Effect.async<void>((resume) => {
        response.once("drain", () => resume(Effect.void))
      })).pipe(Effect.ensuring(Effect.sync(() => response.end())))

/** The request as the protocol sees it (a class: no closures per request). */
class NodeIncoming {
  readonly method: string
  readonly url: string
  constructor(readonly raw: IncomingMessage) {
    this.method = raw.method ?? "GET"
    this.url = raw.url ?? "/"
  }
  header(name: string): string | undefined {
    const value = this.raw.headers[name.toLowerCase()]
    return Array.isArray(value) ? value.join(", ") : value
  }
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
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const make = (runFork: RunFork) => (request: IncomingMessage, response: ServerResponse): void =>
    readBody(request, maxBodyBytes, (body) => {
      if (response.destroyed) return
      serve(runFork, runFork(dispatch(new NodeIncoming(request), body)), response)
    })
  const serve = (
    runFork: RunFork,
    call: Fiber.RuntimeFiber<Answer, never>,
    response: ServerResponse
  ): void => {
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
