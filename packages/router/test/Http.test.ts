/**
 * The HTTP adapters against real Node servers on 127.0.0.1 with real fetch:
 * toNodeHandler on node:http, toWebHandler and toHttpApp through @effect/platform-node.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "@effect/vitest"
import { type Cause, Effect, ManagedRuntime } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { toHttpApp, toNodeHandler, toWebHandler } from "../src/index.js"
import { appRouter, contextFromRequest, probes, RateLimited, Sessions, sessionsLayer } from "./fixtures.js"
import { eventually, type Served, serveApp, serveWebHandler } from "./support.js"

const runtime = ManagedRuntime.make(sessionsLayer)
const internalErrors: Array<Cause.Cause<unknown>> = []
const httpOptions = {
  prefix: "/api",
  context: contextFromRequest,
  maxBodyBytes: 10_000,
  status: (error: unknown) => (error instanceof RateLimited ? 429 : undefined),
  onInternalError: (cause: Cause.Cause<unknown>) => void internalErrors.push(cause)
}
const options = { ...httpOptions, runtime }

const serveNode = (): Promise<Served> =>
  new Promise((resolve) => {
    const server = createServer(toNodeHandler(appRouter, options))
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections()
          server.close(() => done())
        })
      })
    })
  })

export const mounts = {
  "toNodeHandler on node:http": serveNode,
  "toWebHandler via @effect/platform-node": () => serveWebHandler(toWebHandler(appRouter, options)),
  "toHttpApp on @effect/platform-node": () =>
    serveApp(
      toHttpApp(appRouter, httpOptions).pipe(Effect.provide(sessionsLayer))
    )
} as const

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body: body === undefined ? "" : JSON.stringify(body), headers })

const authorized = { authorization: "Bearer secret" }

const json = (response: Response): Promise<any> => response.json()

/** Reads an SSE response until `until` matches the accumulated text. */
const readUntil = async (response: Response, until: (text: string) => boolean): Promise<string> => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ""
  while (!until(text)) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  reader.releaseLock()
  return text
}

afterAll(() => runtime.dispose())

describe("adapter options", () => {
  it("require a runtime exactly when routes need services, and a context when they need context fields", () => {
    // @ts-expect-error the Sessions service must be provided through `runtime`
    toWebHandler(appRouter, { context: contextFromRequest })
    // @ts-expect-error the routes need context fields (authorization, dropConnection)
    toNodeHandler(appRouter, { runtime })
    toWebHandler(appRouter, { context: contextFromRequest, runtime })
    // toHttpApp keeps the requirement in its type instead: provide it with a Layer
    expectTypeOf(toHttpApp(appRouter, { context: contextFromRequest })).toEqualTypeOf<HttpApp.Default<never, Sessions>>()
  })
})

describe.each(Object.entries(mounts))("%s", (_, mount) => {
  let server: Served
  const api = (path: string) => `${server.url}/api/${path}`
  beforeAll(async () => {
    server = await mount()
  })
  afterAll(() => server.close())
  beforeEach(() => probes.reset())

  it("answers 200 with the encoded output", async () => {
    const response = await post(api("session/get"), { id: "s1" }, authorized)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("application/json")
    expect(await json(response)).toEqual({ id: "s1", title: "First", owner: "alice", createdAt: "2024-01-02T03:04:05.000Z" })
  })

  it("accepts GET with the input in the query string", async () => {
    const response = await fetch(`${api("math/add")}?input=${encodeURIComponent(JSON.stringify({ a: 2, b: 3 }))}`)
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({ sum: 5 })
  })

  it("answers 400 with a ValidationError naming each bad field", async () => {
    const response = await post(api("session/create"), { title: "", tags: ["ok", 7] }, authorized)
    expect(response.status).toBe(400)
    const { error } = await json(response)
    expect(error._tag).toBe("ValidationError")
    expect(error.route).toBe("session.create")
    expect(error.issues).toEqual([
      { path: ["title"], message: `Expected a string at least 1 character(s) long, actual ""` },
      { path: ["tags", 1], message: "Expected string, actual 7" }
    ])
  })

  it("answers 400 for a body that is not JSON", async () => {
    const response = await fetch(api("math/add"), { method: "POST", body: "{nope" })
    expect(response.status).toBe(400)
    expect((await json(response)).error.issues).toEqual([{ path: [], message: "Input is not valid JSON" }])
  })

  it("answers 401 when the auth middleware refuses", async () => {
    const response = await post(api("session/get"), { id: "s1" })
    expect(response.status).toBe(401)
    expect((await json(response)).error).toEqual({ _tag: "Unauthorized", message: "Missing or bad token" })
  })

  it("answers 404 for a NotFound from the handler and for an unknown route", async () => {
    const missing = await post(api("session/get"), { id: "nope" }, authorized)
    expect(missing.status).toBe(404)
    expect((await json(missing)).error).toMatchObject({ _tag: "NotFound", resource: "nope" })
    const unknown = await post(api("session/delete"), {})
    expect(unknown.status).toBe(404)
    expect((await json(unknown)).error._tag).toBe("NotFound")
  })

  it("answers 409 for a Conflict", async () => {
    const response = await post(api("session/create"), { title: "First" }, authorized)
    expect(response.status).toBe(409)
    expect((await json(response)).error).toMatchObject({ _tag: "Conflict", message: "A session is already titled First" })
  })

  it("answers 504 for a RouteTimeout and aborts the handler's signal", async () => {
    const response = await post(api("math/slow"), undefined)
    expect(response.status).toBe(504)
    expect((await json(response)).error).toMatchObject({ _tag: "RouteTimeout", route: "math.slow", timeout: "100ms" })
    await eventually(() => probes.unaryAborted === 1)
  })

  it("answers the status chosen by the `status` option for other tagged errors, with their fields", async () => {
    const response = await post(api("math/limited"), undefined)
    expect(response.status).toBe(429)
    expect((await json(response)).error).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 30 })
  })

  it("answers 413 for a body larger than maxBodyBytes", async () => {
    const response = await post(api("math/add"), { a: 1, b: 2, padding: "x".repeat(20_000) })
    expect(response.status).toBe(413)
    expect((await json(response)).error).toMatchObject({ _tag: "PayloadTooLarge", maxBytes: 10_000 })
  })

  it("answers 500 for a defect without leaking its message or stack, and reports the cause", async () => {
    internalErrors.length = 0
    const response = await post(api("math/crash"), undefined)
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ error: { _tag: "InternalError", message: "Internal error" } })
    expect(text).not.toContain("secret")
    expect(text).not.toContain("at ")
    expect(internalErrors).toHaveLength(1)
    expect(String(internalErrors[0])).toContain("secret internal detail")
  })

  it("answers 405 for other methods", async () => {
    const response = await fetch(api("math/add"), { method: "PUT", body: "{}" })
    expect(response.status).toBe(405)
    expect(response.headers.get("allow")).toBe("GET, POST")
  })

  it("streams Server-Sent Events with heartbeat comments and an end event", async () => {
    const response = await post(api("messages/quiet"), undefined)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    const text = await readUntil(response, (t) => t.includes("event: end"))
    expect(text).toMatch(/^retry: 1000\n\n/)
    expect(text).toContain(`id: 0\ndata: "first"\n\n`)
    expect(text).toContain(`id: 1\ndata: "second"\n\n`)
    // 300 ms of silence between the two items, heartbeats every 30 ms
    const between = text.slice(text.indexOf(`"first"`), text.indexOf(`"second"`))
    expect(between.match(/: heartbeat\n\n/g)?.length ?? 0).toBeGreaterThanOrEqual(2)
  })

  it("sends a failure during a stream as an error event", async () => {
    const response = await post(api("messages/failing"), undefined)
    const text = await readUntil(response, (t) => t.includes("event: error"))
    expect(text).toContain(`id: 0\ndata: 1\n\n`)
    expect(text).toContain(`event: error\ndata: {"_tag":"NotFound","message":"gone mid-stream"}\n\n`)
    expect(text).not.toContain("event: end")
  })

  it("refuses a stream with a status code when validation fails before the first item", async () => {
    const response = await post(api("messages/stream"), { from: "x" })
    expect(response.status).toBe(400)
  })

  it("cancels the handler when the client goes away (the generator's finally runs)", async () => {
    const controller = new AbortController()
    const stream = await fetch(api("messages/forever"), { method: "POST", body: "", signal: controller.signal })
    await readUntil(stream, (t) => t.includes("id: 3"))
    expect(probes).toMatchObject({ generatorStarted: 1, generatorFinally: 0 })
    controller.abort()
    await eventually(() => probes.generatorFinally === 1)
  })
})
