/** The typed HTTP client against a real Node server, including SSE reconnection with Last-Event-ID. */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "@effect/vitest"
import { ManagedRuntime } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createClient, RemoteError, toNodeHandler } from "../src/index.js"
import { type AppRouter, appRouter, contextFromRequest, probes, sessionsLayer } from "./fixtures.js"
import { eventually } from "./support.js"

const runtime = ManagedRuntime.make(sessionsLayer)
const requests: Array<{ url: string; lastEventId: string | undefined }> = []
const handler = toNodeHandler(appRouter, { prefix: "/api", context: contextFromRequest, runtime })
const server = createServer((req, res) => {
  requests.push({ url: req.url ?? "", lastEventId: req.headers["last-event-id"] as string | undefined })
  handler(req, res)
})
let baseUrl = ""

beforeAll(() =>
  new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
      resolve()
    })
  )
)
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await runtime.dispose()
})

const client = () => createClient<AppRouter>(baseUrl, { headers: { authorization: "Bearer secret" } })

describe("createClient", () => {
  it("calls unary routes with typed inputs and outputs", async () => {
    const api = client()
    const session = await api.session.get({ id: "s1" })
    expectTypeOf(session).toEqualTypeOf<{
      readonly id: string
      readonly title: string
      readonly owner: string
      readonly createdAt: string // the wire form of Schema.Date
    }>()
    expect(session).toEqual({ id: "s1", title: "First", owner: "alice", createdAt: "2024-01-02T03:04:05.000Z" })
    expect(await api.math.add({ a: 20, b: 22 })).toEqual({ sum: 42 })
    // @ts-expect-error the input is typed
    expect(api.math.add({ a: "1", b: 2 })).rejects.toBeInstanceOf(RemoteError)
  })

  it("rejects with a RemoteError carrying the status and the error body", async () => {
    const anonymous = createClient<AppRouter>(baseUrl)
    const unauthorized = await anonymous.session.get({ id: "s1" }).catch((error: unknown) => error)
    expect(unauthorized).toBeInstanceOf(RemoteError)
    expect(unauthorized).toMatchObject({ status: 401, _tag: "Unauthorized", message: "Missing or bad token" })
    const missing = await client().session.get({ id: "zzz" }).catch((error: unknown) => error)
    expect(missing).toMatchObject({ status: 404, _tag: "NotFound", body: { resource: "zzz" } })
  })

  it("computes headers per request when given a function", async () => {
    let calls = 0
    const api = createClient<AppRouter>(baseUrl, {
      headers: async () => {
        calls++
        return { authorization: "Bearer secret" }
      }
    })
    await api.session.get({ id: "s1" })
    await api.session.get({ id: "s1" })
    expect(calls).toBe(2)
  })

  it("consumes a stream route as an async iterable", async () => {
    const items: Array<number> = []
    const stream = client().messages.forever()
    expectTypeOf(stream).toEqualTypeOf<import("../src/index.js").RemoteStream<number>>()
    for await (const item of stream) {
      items.push(item)
      if (items.length === 3) break
    }
    expect(items).toEqual([0, 1, 2])
    expect(stream.lastEventId).toBe("2")
    // leaving the loop closes the connection, which cancels the generator on the server
    await eventually(() => probes.generatorFinally >= 1)
  })

  it("reconnects a dropped stream with Last-Event-ID and resumes after it", async () => {
    requests.length = 0
    const texts: Array<string> = []
    const stream = client().messages.stream({})
    for await (const message of stream) texts.push(message.text)
    expect(texts).toEqual(["hello", "how are you", "fine", "bye", "see you"])
    const streamRequests = requests.filter((r) => r.url === "/api/messages/stream")
    // the first connection broke after ids 0..2: the client resumed after 2 and got every item once
    expect(streamRequests.map((r) => r.lastEventId)).toEqual([undefined, "2"])
    expect(stream.lastEventId).toBe("4")
  })

  it("surfaces an error event as a RemoteError", async () => {
    const seen: Array<number> = []
    const error = await (async () => {
      for await (const item of client().messages.failing()) seen.push(item)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([1])
    expect(error).toMatchObject({ _tag: "NotFound", message: "gone mid-stream" })
  })

  it("gives up after the configured reconnection attempts", async () => {
    const api = createClient<AppRouter>("http://127.0.0.1:1/api", { reconnect: { attempts: 2, delayMs: 1 } })
    const error = await (async () => {
      for await (const _ of api.messages.forever()) break
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
  })
})
