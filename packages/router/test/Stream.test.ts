/** Stream routes: generators and Streams, stall timeouts and SSE heartbeats on the TestClock. */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Schema, Stream, TestClock } from "effect"
import { type AnyRouter, createCaller, NotFound, route, router, RouteTimeout, toHttpApp } from "../src/index.js"

/** Collects the SSE text of a stream route through the HttpApp adapter (so it runs on the TestClock). */
const sse = (app: AnyRouter, path: string) =>
  Effect.gen(function*() {
    const request = HttpServerRequest.fromWeb(new Request(`http://test/${path}`, { method: "POST", body: "" }))
    const response = yield* (toHttpApp(app) as HttpApp.Default<never, never>).pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, request))
    if (response.body._tag !== "Stream") throw new Error(`expected a stream body, got ${response.body._tag}`)
    return response.body.stream.pipe(Stream.orDie, Stream.decodeText())
  })

describe("stream routes", () => {
  it.effect("stream an async generator's items, typed and validated", () =>
    Effect.gen(function*() {
      const count = route({ stream: true })
        .input(Schema.Struct({ to: Schema.Number }))
        .handler(async function*({ input }) {
          for (let i = 1; i <= input.to; i++) yield i
        })
      const caller = createCaller(router({ count }))
      expect(Chunk.toArray(yield* Stream.runCollect(caller.count({ to: 3 })))).toEqual([1, 2, 3])
      const error = yield* Effect.flip(Stream.runCollect(caller.count({ to: "x" } as any)))
      expect(error._tag).toBe("ValidationError")
    }))

  it.effect("stream an Effect Stream, with its typed errors", () =>
    Effect.gen(function*() {
      const items = route({ stream: true }).handler(() =>
        Stream.concat(Stream.make("a", "b"), Stream.fail(new NotFound({ message: "rest is gone" })))
      )
      const caller = createCaller(router({ items }))
      const seen: Array<string> = []
      const exit = yield* Effect.exit(Stream.runForEach(caller.items(), (item) => Effect.sync(() => seen.push(item))))
      expect(seen).toEqual(["a", "b"])
      expect(exit).toStrictEqual(Exit.fail(new NotFound({ message: "rest is gone" })))
    }))

  it.effect("pass lastEventId to the handler", () =>
    Effect.gen(function*() {
      const resume = route({ stream: true }).handler(async function*({ lastEventId }) {
        yield lastEventId ?? "none"
      })
      const caller = createCaller(router({ resume }))
      expect(Chunk.toArray(yield* Stream.runCollect(caller.resume()))).toEqual(["none"])
      expect(Chunk.toArray(yield* Stream.runCollect(caller.resume(undefined, { lastEventId: "41" })))).toEqual(["41"])
    }))

  it.effect("run the generator's finally when the consumer stops early", () =>
    Effect.gen(function*() {
      let finished = false
      const naturals = route({ stream: true }).handler(async function*() {
        try {
          for (let i = 0;; i++) yield i
        } finally {
          finished = true
        }
      })
      const taken = yield* Stream.runCollect(Stream.take(createCaller(router({ naturals })).naturals(), 3))
      expect(Chunk.toArray(taken)).toEqual([0, 1, 2])
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 0)))
      expect(finished).toBe(true)
    }))

  it.effect("fail a stalled stream with a typed RouteTimeout after `timeout` of silence", () =>
    Effect.gen(function*() {
      const ticker = route({ stream: true, timeout: "10s" }).handler(() =>
        Stream.concat(
          Stream.fromEffect(Effect.as(Effect.sleep("8 seconds"), 1)),
          Stream.concat(Stream.fromEffect(Effect.as(Effect.sleep("8 seconds"), 2)), Stream.never)
        )
      )
      const seen: Array<number> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(createCaller(router({ feed: { ticker } })).feed.ticker(), (n) => Effect.sync(() => seen.push(n)))
      )
      yield* TestClock.adjust("16 seconds") // two items, each within 10 s of the previous
      expect(seen).toEqual([1, 2])
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("10 seconds") // then silence
      expect(yield* Fiber.await(fiber)).toStrictEqual(
        Exit.fail(new RouteTimeout({ route: "feed.ticker", timeout: "10s" }))
      )
    }))

  it.effect("abort a stalled generator's signal and run its finally when the stall timeout fires", () =>
    Effect.gen(function*() {
      let cleanedUp = false
      const stuck = route({ stream: true, timeout: "5s" }).handler(async function*({ signal }) {
        try {
          yield "first"
          await new Promise((resolve) => signal.addEventListener("abort", resolve))
        } finally {
          cleanedUp = true
        }
      })
      const fiber = yield* Effect.fork(Stream.runCollect(createCaller(router({ stuck })).stuck()))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Effect.flip(Fiber.join(fiber))).toStrictEqual(new RouteTimeout({ route: "stuck", timeout: "5s" }))
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 0)))
      expect(cleanedUp).toBe(true)
    }))
})

describe("server-sent events", () => {
  it.effect("send a heartbeat comment every `heartbeat` while the stream is silent", () =>
    Effect.gen(function*() {
      const quiet = route({ stream: true, heartbeat: "60s" }).handler(() => Stream.concat(Stream.make("a"), Stream.never))
      const frames = yield* sse(router({ quiet }), "quiet")
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(frames, 4)))
      yield* TestClock.adjust("59 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("61 seconds")
      expect(Chunk.toArray(yield* Fiber.join(fiber))).toEqual([
        "retry: 1000\n\n",
        `id: 0\ndata: "a"\n\n`,
        ": heartbeat\n\n",
        ": heartbeat\n\n"
      ])
    }))

  it.effect("end a stalled stream with an error event carrying the RouteTimeout (heartbeats do not count)", () =>
    Effect.gen(function*() {
      const stalled = route({ stream: true, heartbeat: "60s", timeout: "90s" }).handler(() =>
        Stream.concat(Stream.make(1), Stream.never)
      )
      const frames = yield* sse(router({ stalled }), "stalled")
      const fiber = yield* Effect.fork(Stream.runCollect(frames))
      yield* TestClock.adjust("90 seconds")
      expect(Chunk.toArray(yield* Fiber.join(fiber))).toEqual([
        "retry: 1000\n\n",
        "id: 0\ndata: 1\n\n",
        ": heartbeat\n\n",
        `event: error\ndata: {"_tag":"RouteTimeout","message":"stalled timed out after 1m 30s","route":"stalled","timeout":"1m 30s"}\n\n`
      ])
    }))

  it.effect("number events after a numeric Last-Event-ID, or use the route's eventId", () =>
    Effect.gen(function*() {
      const app = router({
        numbered: route({ stream: true }).handler(() => Stream.make("x", "y")),
        named: route({ stream: true, eventId: (item) => `msg-${String(item)}` }).handler(() => Stream.make("x"))
      })
      const request = (path: string, headers: Record<string, string>) =>
        HttpServerRequest.fromWeb(new Request(`http://test/${path}`, { method: "POST", body: "", headers }))
      const text = (path: string, headers: Record<string, string>) =>
        toHttpApp(app).pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, request(path, headers)),
          Effect.flatMap((response) =>
            response.body._tag === "Stream"
              ? Stream.mkString(Stream.decodeText(Stream.orDie(response.body.stream)))
              : Effect.die("no stream")
          )
        )
      expect(yield* text("numbered", { "last-event-id": "7" })).toContain(`id: 8\ndata: "x"\n\nid: 9\ndata: "y"\n\nevent: end`)
      expect(yield* text("named", {})).toContain(`id: msg-x\ndata: "x"\n\n`)
    }))
})
