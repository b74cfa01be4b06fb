import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Exit, Fiber, Layer, Schedule, TestClock } from "effect"
import { Duration } from "effect"
import { DurableLock, EventStore, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"

/** Real time passing (the suite runs on the TestClock): lets forked fibers reach their wait. */
const realPause = (ms: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const locks = yield* storage.query(sql`SELECT * FROM locks WHERE project = ${store.project} ORDER BY resource`)
  return { locks, head: yield* store.head }
})

/** Advances the TestClock in steps until the fiber is done (its sleeps are re-armed between steps). */
const advanceUntilDone = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, step: Duration.DurationInput) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200; i++) {
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") return done.value
      yield* TestClock.adjust(step)
      yield* realPause(5)
    }
    return yield* Effect.dieMessage("fiber did not finish")
  })

describe.each(backends)("DurableLock on $name", (backend) => {
  // The change feed's poll runs on the TestClock too: a long interval keeps clock steps cheap (local
  // commits still tick at once).
  const run = <A, E>(effect: Effect.Effect<A, E, DurableLock | EventStore | Storage>) =>
    effect.pipe(Effect.provide(
      Layer.provideMerge(DurableLock.layer, Layer.provideMerge(EventStore.layer, backend.layer({ pollIntervalMs: 60_000 })))
    ))

  it.scoped("acquire gives a fenced lease; another holder gets LockHeld at once", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const lease = yield* locks.acquire("deploy", "alice", { ttl: "30 seconds" })
      expect(lease).toMatchObject({ resource: "deploy", holder: "alice", fence: 1, previousHolder: null, reentered: false })
      expect(lease.expiresAt - lease.acquiredAt).toBe(30_000)
      const held = yield* Effect.flip(locks.acquire("deploy", "bob", { ttl: "30 seconds" }))
      expect(held).toMatchObject({ _tag: "LockHeld", resource: "deploy", holder: "alice", expiresAt: lease.expiresAt })
      const status = yield* locks.inspect("deploy")
      expect(status).toMatchObject({ state: "held", fence: 1, lease: { holder: "alice", fence: 1 } })
      expect(yield* locks.inspect("never-locked")).toEqual({ resource: "never-locked", fence: 0, state: "free", lease: null })
    })))

  it.scoped("fencing tokens strictly increase across release, re-acquire and takeover, and never reset", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const store = yield* EventStore
      const fences: Array<number> = []
      fences.push((yield* locks.acquire("r", "a", { ttl: "10 seconds" })).fence)
      yield* locks.release("r", "a")
      expect(yield* locks.inspect("r")).toMatchObject({ state: "free", fence: 1, lease: null })
      fences.push((yield* locks.acquire("r", "a", { ttl: "10 seconds" })).fence)
      yield* locks.release("r", "a")
      fences.push((yield* locks.acquire("r", "b", { ttl: "10 seconds" })).fence)
      yield* TestClock.adjust("11 seconds")
      expect((yield* locks.inspect("r")).state).toBe("expired")
      const takeover = yield* locks.acquire("r", "c", { ttl: "10 seconds" })
      expect(takeover.previousHolder).toBe("b")
      fences.push(takeover.fence)
      yield* TestClock.adjust("11 seconds")
      // The holder's own expired lease: a new lease, a new fence.
      const again = yield* locks.acquire("r", "c", { ttl: "10 seconds" })
      expect(again).toMatchObject({ previousHolder: "c", reentered: false })
      fences.push(again.fence)
      yield* locks.release("r", "c")
      fences.push((yield* locks.acquire("r", "a", { ttl: "10 seconds" })).fence)
      expect(fences).toEqual([1, 2, 3, 4, 5, 6])
      // Other resources have their own sequence.
      expect((yield* locks.acquire("other", "a", { ttl: "10 seconds" })).fence).toBe(1)
      // The log carries every fence; a rebuild keeps the last one.
      const acquired = yield* store.readAll({ types: ["lease_acquired"], stream: "lock:r" })
      expect(acquired.map((e) => (e.data as { fence: number }).fence)).toEqual([1, 2, 3, 4, 5, 6])
      yield* locks.release("r", "a")
      yield* store.rebuildProjections(["locks"])
      expect((yield* locks.acquire("r", "z", { ttl: "10 seconds" })).fence).toBe(7)
    })))

  it.scoped("re-entry by the holder returns the same fence, extended but never shortened", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const first = yield* locks.acquire("r", "a", { ttl: "60 seconds" })
      yield* TestClock.adjust("10 seconds")
      const shorter = yield* locks.acquire("r", "a", { ttl: "5 seconds" })
      expect(shorter).toMatchObject({ fence: first.fence, reentered: true, expiresAt: first.expiresAt, acquiredAt: first.acquiredAt })
      const longer = yield* locks.acquire("r", "a", { ttl: "120 seconds" })
      expect(longer).toMatchObject({ fence: first.fence, reentered: true, expiresAt: first.acquiredAt + 130_000 })
      // Not counting: one release frees it.
      yield* locks.release("r", "a")
      expect((yield* locks.inspect("r")).state).toBe("free")
    })))

  it.scoped("release and renew by a wrong holder are typed errors and change nothing", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "alice", { ttl: "30 seconds" })
      const before = yield* snapshot
      const release = yield* Effect.flip(locks.release("r", "mallory"))
      expect(release).toMatchObject({ _tag: "LockNotHeld", resource: "r", holder: "mallory", currentHolder: "alice" })
      const renew = yield* Effect.flip(locks.renew("r", "mallory", { ttl: "1 hour" }))
      expect(renew).toMatchObject({ _tag: "LockNotHeld", currentHolder: "alice" })
      const free = yield* Effect.flip(locks.release("never", "alice"))
      expect(free).toMatchObject({ _tag: "LockNotHeld", currentHolder: null })
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("renew extends a live lease; after expiry it is LockNotHeld even if nobody took over", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const lease = yield* locks.acquire("r", "a", { ttl: "10 seconds" })
      yield* TestClock.adjust("8 seconds")
      const renewed = yield* locks.renew("r", "a", { ttl: "10 seconds" })
      expect(renewed).toMatchObject({ fence: lease.fence, acquiredAt: lease.acquiredAt, expiresAt: lease.acquiredAt + 18_000 })
      yield* TestClock.adjust("9 seconds")
      expect((yield* locks.inspect("r")).state).toBe("held")
      yield* TestClock.adjust("2 seconds")
      const before = yield* snapshot
      const late = yield* Effect.flip(locks.renew("r", "a", { ttl: "10 seconds" }))
      expect(late).toMatchObject({ _tag: "LockNotHeld", holder: "a", currentHolder: null })
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("the holder may release its expired lease until someone takes it over", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r1", "a", { ttl: "5 seconds" })
      yield* locks.acquire("r2", "a", { ttl: "5 seconds" })
      yield* TestClock.adjust("6 seconds")
      yield* locks.release("r1", "a")
      expect(yield* locks.inspect("r1")).toMatchObject({ state: "free", fence: 1 })
      yield* locks.acquire("r2", "b", { ttl: "5 seconds" })
      const lost = yield* Effect.flip(locks.release("r2", "a"))
      expect(lost).toMatchObject({ _tag: "LockNotHeld", currentHolder: "b" })
    })))

  it.scoped("an expired lease is taken over by exactly one of many concurrent contenders", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "old", { ttl: "5 seconds" })
      yield* TestClock.adjust("6 seconds")
      const attempts = yield* Effect.forEach(
        Array.from({ length: 16 }, (_, i) => `contender-${i}`),
        (holder) => Effect.either(locks.acquire("r", holder, { ttl: "30 seconds" })),
        { concurrency: "unbounded" }
      )
      const winners = attempts.filter(Either.isRight).map((a) => a.right)
      expect(winners).toHaveLength(1)
      expect(winners[0]).toMatchObject({ fence: 2, previousHolder: "old" })
      expect(attempts.filter(Either.isLeft).every((a) => a.left._tag === "LockHeld" && a.left.holder === winners[0]!.holder)).toBe(true)
      const store = yield* EventStore
      expect(yield* store.readAll({ types: ["lease_acquired"] })).toHaveLength(2)
    })))

  it.scoped("withLock releases after success, failure and interruption", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const value = yield* locks.withLock("r", "a", { ttl: "10 seconds" }, (lease) => Effect.succeed(lease.fence))
      expect(value).toBe(1)
      expect((yield* locks.inspect("r")).state).toBe("free")

      const failed = yield* Effect.flip(locks.withLock("r", "a", { ttl: "10 seconds" }, () => Effect.fail("boom" as const)))
      expect(failed).toBe("boom")
      expect(yield* locks.inspect("r")).toMatchObject({ state: "free", fence: 2 })

      const died = yield* Effect.exit(locks.withLock("r", "a", { ttl: "10 seconds" }, () => Effect.dieMessage("bug")))
      expect(Exit.isFailure(died)).toBe(true)
      expect((yield* locks.inspect("r")).state).toBe("free")

      const entered = yield* Deferred.make<number>()
      const fiber = yield* Effect.fork(
        locks.withLock("r", "a", { ttl: "10 seconds" }, (lease) => Effect.zipRight(Deferred.succeed(entered, lease.fence), Effect.never))
      )
      expect(yield* Deferred.await(entered)).toBe(4)
      expect((yield* locks.inspect("r")).lease?.holder).toBe("a")
      yield* Fiber.interrupt(fiber)
      expect(yield* locks.inspect("r")).toMatchObject({ state: "free", fence: 4 })

      // Held by someone else: withLock fails without running the effect.
      yield* locks.acquire("r", "b", { ttl: "10 seconds" })
      let ran = false
      const held = yield* Effect.flip(locks.withLock("r", "a", { ttl: "10 seconds" }, () => Effect.sync(() => (ran = true))))
      expect(held._tag).toBe("LockHeld")
      expect(ran).toBe(false)
    })))

  it.scoped("withLock keeps the lease alive while the effect outlasts the TTL", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const fiber = yield* Effect.fork(
        locks.withLock("r", "a", { ttl: "3 seconds" }, (lease) => Effect.as(Effect.sleep("10 seconds"), lease.fence))
      )
      yield* realPause(20)
      for (let i = 0; i < 9; i++) {
        yield* TestClock.adjust("1 second")
        yield* realPause(5)
        const contender = yield* Effect.either(locks.acquire("r", "b", { ttl: "3 seconds" }))
        expect(Either.isLeft(contender)).toBe(true)
      }
      expect(yield* advanceUntilDone(fiber, "1 second")).toEqual(Exit.succeed(1))
      expect(yield* locks.inspect("r")).toMatchObject({ state: "free", fence: 1 })
    })))

  it.scoped("withLock without keep-alive: a lease lost during the effect is reported as LockNotHeld", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const fiber = yield* Effect.fork(
        locks.withLock("r", "a", { ttl: "2 seconds", keepAlive: false }, () => Effect.sleep("5 seconds"))
      )
      yield* realPause(20)
      yield* TestClock.adjust("3 seconds")
      yield* locks.acquire("r", "b", { ttl: "10 seconds" })
      const exit = yield* advanceUntilDone(fiber, "1 second")
      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "LockNotHeld", currentHolder: "b" })))
      expect((yield* locks.inspect("r")).lease?.holder).toBe("b")
    })))

  it.scoped("withLock nested with the same holder leaves the lock to the outer one", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const inner = yield* locks.withLock("r", "a", { ttl: "10 seconds" }, (outer) =>
        Effect.gen(function*() {
          const fence = yield* locks.withLock("r", "a", { ttl: "10 seconds" }, (lease) => Effect.succeed(lease.fence))
          expect(fence).toBe(outer.fence)
          return (yield* locks.inspect("r")).state
        }))
      expect(inner).toBe("held")
      expect((yield* locks.inspect("r")).state).toBe("free")
    })))

  it.scoped("acquire with wait succeeds when another fiber releases", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "60 seconds" })
      const waiter = yield* Effect.fork(locks.acquire("r", "b", { ttl: "10 seconds", wait: "30 seconds" }))
      yield* realPause(50)
      yield* locks.release("r", "a")
      // The TestClock does not move: only the change tick of the release can wake the waiter.
      const lease = yield* Fiber.join(waiter)
      expect(lease).toMatchObject({ holder: "b", fence: 2, previousHolder: null })
    })))

  it.scoped("acquire with wait times out with LockTimeout while the lock stays held", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "60 seconds" })
      const before = yield* snapshot
      const waiter = yield* Effect.fork(locks.acquire("r", "b", { ttl: "10 seconds", wait: "5 seconds" }))
      const exit = yield* advanceUntilDone(waiter, "500 millis")
      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "LockTimeout", resource: "r", holder: "b" })))
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "LockTimeout") {
        expect(exit.cause.error.waitedMs).toBeGreaterThanOrEqual(5000)
      }
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("a waiter takes the lock over when the lease expires (expiry makes no tick)", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "3 seconds" })
      const waiter = yield* Effect.fork(
        locks.acquire("r", "b", { ttl: "10 seconds", wait: "1 minute", retry: Schedule.spaced("1 hour") })
      )
      const exit = yield* advanceUntilDone(waiter, "1 second")
      expect(exit).toEqual(Exit.succeed(expect.objectContaining({ holder: "b", fence: 2, previousHolder: "a" })))
    })))

  it.scoped("a wait ends at its deadline even when the clock shows fractions of a millisecond", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "1 minute" })
      // 0.1 ms steps add up to 4.999999999999998 ms on the TestClock, just short of the deadline.
      const waiter = yield* Effect.fork(
        locks.acquire("r", "b", { ttl: "10 seconds", wait: "5 millis", retry: Schedule.spaced(Duration.millis(0.1)) })
      )
      const exit = yield* advanceUntilDone(waiter, "1 millis")
      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "LockTimeout" })))
    })))

  it.scoped("a retry schedule that ends ends the wait with LockTimeout", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "1 hour" })
      const waiter = yield* Effect.fork(locks.acquire("r", "b", { ttl: "10 seconds", retry: Schedule.recurs(3) }))
      const exit = yield* advanceUntilDone(waiter, "1 second")
      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "LockTimeout" })))
    })))

  it.scoped("bad input is InvalidInput naming each field, and changes nothing", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      yield* locks.acquire("r", "a", { ttl: "10 seconds" })
      const before = yield* snapshot
      const bad = yield* Effect.flip(locks.acquire("", "a\u0000b", { ttl: 0, wait: -1 }))
      expect(bad._tag).toBe("InvalidInput")
      if (bad._tag === "InvalidInput") {
        expect(bad.issues.map((i) => i.path).sort()).toEqual(["holder", "options.ttl", "options.wait", "resource"])
      }
      for (const ttl of ["2 days", "nonsense", Number.POSITIVE_INFINITY, 999]) {
        expect((yield* Effect.flip(locks.acquire("r", "a", { ttl: ttl as Duration.DurationInput }))).message).toMatch(/options\.ttl/)
      }
      expect((yield* Effect.flip(locks.renew("r", "  ", { ttl: "1 minute" })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(locks.release("x".repeat(300), "a")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(locks.inspect("")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(locks.withLock("r", "a", { ttl: "1 second", keepAlive: "yes" as never }, () => Effect.void)))._tag)
        .toBe("InvalidInput")
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("rebuilding the projection reproduces the locks table exactly", () =>
    run(Effect.gen(function*() {
      const locks = yield* DurableLock
      const store = yield* EventStore
      let seed = 7
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      for (let i = 0; i < 200; i++) {
        const resource = `res-${rand(5)}`
        const holder = `agent-${rand(3)}`
        const op = rand(4)
        if (op === 0) yield* Effect.either(locks.acquire(resource, holder, { ttl: `${1 + rand(10)} seconds` }))
        else if (op === 1) yield* Effect.either(locks.release(resource, holder))
        else if (op === 2) yield* Effect.either(locks.renew(resource, holder, { ttl: "5 seconds" }))
        else yield* TestClock.adjust(`${rand(4)} seconds`)
      }
      const before = yield* snapshot
      expect(before.locks.length).toBe(5)
      const storage = yield* Storage
      yield* storage.write((tx) => tx.run(sql`UPDATE locks SET fence = 0, holder = 'garbage' WHERE project = ${store.project}`))
      yield* store.rebuildProjections()
      expect(yield* snapshot).toEqual(before)
    })))
})
