/** Timeouts and retries, on the TestClock: attempt counts and the delays between attempts. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Schedule, TestClock } from "effect"
import { Conflict, createCaller, NotFound, route, router, RouteTimeout } from "../src/index.js"

/** A handler that fails `failures` times with `error`, then succeeds; it logs the clock at each attempt. */
const flaky = <E>(failures: number, error: E) => {
  const attempts: Array<number> = []
  const handler = () =>
    Effect.gen(function*() {
      attempts.push(yield* TestClock.currentTimeMillis)
      if (attempts.length <= failures) return yield* Effect.fail(error)
      return attempts.length
    })
  return { attempts, handler }
}

class Transient {
  readonly _tag = "Transient"
}

describe("timeout", () => {
  it.effect("fails with a typed RouteTimeout naming the route and the timeout, and interrupts the handler", () =>
    Effect.gen(function*() {
      let interrupted = false
      const slow = route({ timeout: "30s" }).handler(() =>
        Effect.sleep("1 minute").pipe(Effect.as("done"), Effect.onInterrupt(() => Effect.sync(() => (interrupted = true))))
      )
      const fiber = yield* Effect.fork(createCaller(router({ jobs: { slow } })).jobs.slow())
      yield* TestClock.adjust("29 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(fiber)
      expect(exit).toStrictEqual(Exit.fail(new RouteTimeout({ route: "jobs.slow", timeout: "30s" })))
      expect(interrupted).toBe(true)
    }))

  it.effect("lets a call that finishes in time through", () =>
    Effect.gen(function*() {
      const quick = route({ timeout: "30s" }).handler(() => Effect.sleep("29 seconds").pipe(Effect.as("ok")))
      const fiber = yield* Effect.fork(createCaller(router({ quick })).quick())
      yield* TestClock.adjust("29 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok")
    }))

  it.effect("bounds the whole call, retries included", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(10, new Transient())
      const stubborn = route({ timeout: "1s", retry: { schedule: "fixed", delay: "300ms", maxAttempts: 10 } }).handler(handler)
      const fiber = yield* Effect.fork(createCaller(router({ stubborn })).stubborn())
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.await(fiber)).toStrictEqual(Exit.fail(new RouteTimeout({ route: "stubborn", timeout: "1s" })))
      expect(attempts).toEqual([0, 300, 600, 900])
    }))
})

describe("retry", () => {
  it.effect("exponential: doubles the delay from 100ms, up to maxAttempts", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(3, new Transient())
      const job = route({ retry: { schedule: "exponential", maxAttempts: 4 } }).handler(handler)
      const fiber = yield* Effect.fork(createCaller(router({ job })).job())
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe(4)
      expect(attempts).toEqual([0, 100, 300, 700])
    }))

  it.effect("gives up after maxAttempts with the last error", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(5, new Transient())
      const job = route({ retry: "exponential" }).handler(handler) // default: 3 attempts
      const fiber = yield* Effect.fork(createCaller(router({ job })).job())
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.await(fiber)).toStrictEqual(Exit.fail(new Transient()))
      expect(attempts).toEqual([0, 100, 300])
    }))

  it.effect("fixed: waits the same delay between attempts, capped by maxDelay", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(2, new Transient())
      const job = route({ retry: { schedule: "fixed", delay: "2s", maxDelay: "500ms" } }).handler(handler)
      const fiber = yield* Effect.fork(createCaller(router({ job })).job())
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe(3)
      expect(attempts).toEqual([0, 500, 1000])
    }))

  it.effect("accepts any Schedule", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(2, new Transient())
      const job = route({ retry: { schedule: Schedule.spaced("250 millis"), maxAttempts: 5 } }).handler(handler)
      const fiber = yield* Effect.fork(createCaller(router({ job })).job())
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe(3)
      expect(attempts).toEqual([0, 250, 500])
    }))

  it.effect("does not retry client errors by default", () =>
    Effect.gen(function*() {
      const { attempts, handler } = flaky(5, new Conflict({ message: "taken" }))
      const job = route({ retry: "fixed" }).handler(handler)
      expect(yield* Effect.flip(createCaller(router({ job })).job())).toBeInstanceOf(Conflict)
      expect(attempts).toEqual([0])
    }))

  it.effect("retries only what retryOn accepts", () =>
    Effect.gen(function*() {
      const decide = (error: unknown) => error instanceof NotFound && error.resource === "soon"
      const eventually = flaky(1, new NotFound({ resource: "soon" }))
      const never = flaky(1, new NotFound({ resource: "never" }))
      const app = router({
        eventually: route({ retry: { schedule: "fixed", retryOn: decide } }).handler(eventually.handler),
        never: route({ retry: { schedule: "fixed", retryOn: decide } }).handler(never.handler)
      })
      const fiber = yield* Effect.fork(createCaller(app).eventually())
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe(2)
      expect(yield* Effect.flip(createCaller(app).never())).toEqual(new NotFound({ resource: "never" }))
      expect(never.attempts).toHaveLength(1)
    }))

  it.effect("never retries defects", () =>
    Effect.gen(function*() {
      let attempts = 0
      const job = route({ retry: "fixed" }).handler(() => Effect.sync(() => ++attempts).pipe(Effect.zipRight(Effect.die("bug"))))
      const exit = yield* Effect.exit(createCaller(router({ job })).job())
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
      expect(attempts).toBe(1)
    }))

  it("rejects an invalid maxAttempts when the route is built", () => {
    expect(() => route({ retry: { schedule: "fixed", maxAttempts: 0 } }).handler(() => 1)).toThrow(RangeError)
  })
})
