/**
 * Options shared by the HTTP adapters (`toWebHandler`, `toNodeHandler`, `toHttpApp`).
 */
import type { Effect, ManagedRuntime } from "effect"
import type { FailureOptions } from "./internal/failure.js"

/** The request as every adapter sees it, whatever the server. */
export interface IncomingRequest {
  readonly method: string
  /** Path and query, e.g. "/api/session/get?input=%7B%7D". */
  readonly url: string
  /** A header by name (case-insensitive). Call it as a method. */
  header(name: string): string | undefined
  /** The server's own request: a web `Request`, a Node `IncomingMessage`, or a platform `HttpServerRequest`. */
  readonly raw: unknown
}

/**
 * Builds the route context from the request: a value, a Promise or an Effect.
 * The Effect may fail with a typed error (e.g. Unauthorized → 401).
 */
export type ContextFn<Ctx, CE = never, CR = never> = (
  request: IncomingRequest
) => Effect.Effect<Ctx, CE, CR> | PromiseLike<Ctx> | Ctx

export interface BaseHttpOptions extends FailureOptions {
  /** Where the routes are mounted, e.g. "/api" (default: the root). */
  readonly prefix?: string
  /** Reconnection delay advertised to SSE clients, in ms (default 1000). */
  readonly sseRetryMs?: number
  /** Larger request bodies are refused with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number
}

/** `context` is required exactly when the router's routes need context fields. */
export type ContextOption<Ctx, CE, CR> = {} extends Ctx ? { readonly context?: ContextFn<Ctx, CE, CR> }
  : { readonly context: ContextFn<Ctx, CE, CR> }

/** `runtime` is required exactly when the routes (or `context`) require services. */
export type RuntimeOption<R> = [R] extends [never] ? { readonly runtime?: ManagedRuntime.ManagedRuntime<never, unknown> }
  : {
    /** Provides the services the handlers require; built once, on first use. */
    readonly runtime: ManagedRuntime.ManagedRuntime<R, unknown>
  }

export type HttpOptions<Ctx, CE = never, CR = never> = BaseHttpOptions & ContextOption<Ctx, CE, CR>

/** Options of the Promise-facing adapters: HTTP options plus the runtime. */
export type ServerOptions<Ctx, CE, CR, R> = HttpOptions<Ctx, CE, CR> & RuntimeOption<R | CR>

/** The options argument is optional when nothing in it is required. */
export type OptionsArgs<Ctx, R, O> = {} extends Ctx ? [R] extends [never] ? [options?: O] : [options: O]
  : [options: O]
