/**
 * A typed HTTP client for a router, from its type alone:
 *
 *   const api = createClient<typeof appRouter>("http://localhost:3000/api")
 *   const session = await api.session.get({ id })          // Promise of the encoded output
 *   for await (const message of api.messages.stream({ room })) { ... }  // SSE as an async iterable
 *
 * Streams reconnect when the connection drops before the server's end event,
 * sending the last event id (Last-Event-ID) so the route can resume after it.
 */
import type { Schema } from "effect"
import type { InputArgs } from "./Caller.js"
import { parseSse, type SseEvent } from "./internal/sseParser.js"
import type { AnyRoute, Route } from "./Route.js"
import type { Router, RouterRecord } from "./Router.js"
import type { ErrorBody } from "./RouterError.js"

/** A failure answered by the server: its status and error body (`_tag`, `message`, fields). */
export class RemoteError extends Error {
  override readonly name = "RemoteError"
  readonly _tag: string
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message)
    this._tag = body._tag
  }
}

export interface ClientOptions {
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch
  /** Extra headers for every request (e.g. authorization), or a function computing them per request. */
  readonly headers?: Record<string, string> | (() => Record<string, string> | PromiseLike<Record<string, string>>)
  /** Stream reconnection: attempts in a row without receiving an event (default 5); delay (default: the server's `retry`, else 1000 ms). */
  readonly reconnect?: { readonly attempts?: number; readonly delayMs?: number }
}

export interface RemoteStreamOptions {
  /** Start after this event id. */
  readonly lastEventId?: string
  /** Aborting stops the stream. */
  readonly signal?: AbortSignal
}

/** The items of a stream route; `lastEventId` is the id of the last item received. */
export interface RemoteStream<A> extends AsyncIterable<A> {
  readonly lastEventId: string | undefined
}

export type ClientRoute<Rt> = Rt extends Route<"unary", any, infer I, infer O, any, any>
  ? (...input: InputArgs<Schema.Schema.Encoded<I>>) => Promise<Schema.Schema.Encoded<O>>
  : Rt extends Route<"stream", any, infer I, infer O, any, any>
    ? (...args: [...InputArgs<Schema.Schema.Encoded<I>>, options?: RemoteStreamOptions]) => RemoteStream<Schema.Schema.Encoded<O>>
  : never

export type ClientOf<T> = {
  readonly [K in keyof T]: T[K] extends AnyRoute ? ClientRoute<T[K]>
    : T[K] extends Router<infer U> ? ClientOf<U>
    : T[K] extends RouterRecord ? ClientOf<T[K]>
    : never
}

/** The client of a router type: `Client<typeof appRouter>`. */
export type Client<R> = R extends Router<infer T> ? ClientOf<T> : never

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener("abort", () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })

const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const errorOf = async (response: Response): Promise<RemoteError> => {
  const text = await response.text().catch(() => "")
  try {
    const parsed = JSON.parse(text) as { error?: ErrorBody }
    if (parsed.error !== undefined && typeof parsed.error._tag === "string") return new RemoteError(response.status, parsed.error)
  } catch {
    // not JSON: fall through
  }
  return new RemoteError(response.status, { _tag: "HttpError", message: `HTTP ${response.status}` })
}

/** Both a (lazy) Promise of a unary result and an async iterable of stream items. */
class RemoteCall implements PromiseLike<unknown>, RemoteStream<unknown> {
  #promise: Promise<unknown> | undefined
  lastEventId: string | undefined
  constructor(
    private readonly client: Internal,
    private readonly url: string,
    private readonly input: unknown,
    private readonly options: RemoteStreamOptions
  ) {
    this.lastEventId = options.lastEventId
  }

  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null
  ): Promise<A | B> {
    this.#promise ??= this.unary()
    return this.#promise.then(onFulfilled, onRejected)
  }
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.then(undefined, onRejected)
  }
  finally(onFinally?: (() => void) | null): Promise<unknown> {
    return this.then().finally(onFinally)
  }

  private async request(extra: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(await this.client.headers())
    headers.set("content-type", "application/json")
    for (const [key, value] of Object.entries(extra)) headers.set(key, value)
    const init: RequestInit = { method: "POST", headers, body: this.input === undefined ? "" : JSON.stringify(this.input) }
    if (signal !== undefined) init.signal = signal
    return this.client.fetch(this.url, init)
  }

  private async unary(): Promise<unknown> {
    const response = await this.request({ accept: "application/json" }, this.options.signal)
    if (!response.ok) throw await errorOf(response)
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      await response.body?.cancel()
      throw new TypeError(`${this.url} is a stream route: iterate it with for await`)
    }
    return response.json()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    const maxAttempts = this.client.options.reconnect?.attempts ?? 5
    let delayMs = this.client.options.reconnect?.delayMs
    let attempts = 0
    const outer = this.options.signal
    while (!aborted(outer)) {
      const controller = new AbortController()
      const onAbort = () => controller.abort()
      outer?.addEventListener("abort", onAbort, { once: true })
      try {
        const extra: Record<string, string> = { accept: "text/event-stream" }
        if (this.lastEventId !== undefined) extra["last-event-id"] = this.lastEventId
        let response: Response | undefined
        try {
          response = await this.request(extra, controller.signal)
        } catch (error) {
          if (aborted(outer)) return
          if (++attempts > maxAttempts) throw error
        }
        if (response !== undefined) {
          if (!response.ok) throw await errorOf(response)
          const events = parseSse(response.body!)
          try {
            while (true) {
              let next: IteratorResult<SseEvent>
              try {
                next = await events.next()
              } catch (error) {
                if (aborted(outer)) throw error
                break // the connection broke: reconnect below
              }
              if (next.done === true) break // closed without an end event: reconnect below
              const event = next.value
              if (event.retry !== undefined && this.client.options.reconnect?.delayMs === undefined) delayMs = event.retry
              if (event.event === "end") return
              if (event.event === "error") throw new RemoteError(response.status, JSON.parse(event.data) as ErrorBody)
              if (event.event !== "message") continue
              if (event.id !== undefined) this.lastEventId = event.id
              attempts = 0
              yield JSON.parse(event.data)
            }
          } finally {
            await events.return(undefined)
          }
          if (++attempts > maxAttempts) {
            throw new RemoteError(0, { _tag: "StreamDisconnected", message: `${this.url}: gave up after ${maxAttempts} reconnections` })
          }
        }
      } finally {
        outer?.removeEventListener("abort", onAbort)
        controller.abort()
      }
      await sleep(delayMs ?? 1000, outer)
    }
  }
}

interface Internal {
  readonly fetch: typeof globalThis.fetch
  readonly headers: () => Record<string, string> | PromiseLike<Record<string, string>>
  readonly options: ClientOptions
}

/** A typed client for the router type `R`, served at `baseUrl` (the adapter's prefix included). */
export const createClient = <R extends Router<any>>(baseUrl: string, options: ClientOptions = {}): Client<R> => {
  const base = baseUrl.replace(/\/+$/, "")
  const configured = options.headers
  const internal: Internal = {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: typeof configured === "function" ? configured : () => configured ?? {},
    options
  }
  const node = (path: ReadonlyArray<string>): unknown =>
    new Proxy(() => {}, {
      get: (_, key) => (typeof key === "string" && key !== "then" ? node([...path, key]) : undefined),
      apply: (_, __, args: Array<unknown>) => {
        const url = `${base}/${path.map(encodeURIComponent).join("/")}`
        return new RemoteCall(internal, url, args[0], (args[1] ?? {}) as RemoteStreamOptions)
      }
    })
  return node([]) as Client<R>
}
