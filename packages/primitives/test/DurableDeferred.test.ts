import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Either, Fiber, Layer, Schema, TestClock } from "effect"
import type { ParseResult } from "effect"
import { DurableDeferred, EventStore, Storage, sql } from "@waggle/primitives"
import type { DeferredAwaitError, DeferredCompleteError } from "@waggle/primitives"
import { backends } from "@waggle/test-support"

const setup = Effect.gen(function*() {
  return { store: yield* EventStore, storage: yield* Storage, deferreds: yield* DurableDeferred }
})

const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  return yield* storage.query(sql`SELECT * FROM deferreds WHERE project = ${store.project} ORDER BY id`)
})

/** Waits (in real time) until `n` awaits are parked on the test clock, their wake-up due at `at`. */
const parked = (n: number, at: number) =>
  Effect.gen(function*() {
    while (Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((t) => t === at).length < n) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 2)))
    }
  })

const UNKNOWN = "deferred:AAAAAAAAAAAAAAAAAAAAAA"

const nasty = {
  quotes: `it's "quoted"`,
  backslashes: "back\\slash\\\\ and \\u0000 as text",
  lines: "line\nbreak\r\n\ttab",
  sql: "'); DROP TABLE deferreds; --",
  unicode: "emoji 🐝 ünïcödé",
  nul: "a\u0000b",
  nested: { a: [1, -2.5, 1e21, 0, true, false, null, { b: [[[]]], c: {} }], "key with \"quotes\"\n": "v" },
  empty: ["", [], {}]
}

describe.each(backends)("DurableDeferred on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, DurableDeferred | EventStore | Storage>, options = {}) =>
    effect.pipe(
      Effect.provide(Layer.provideMerge(DurableDeferred.layer, Layer.provideMerge(EventStore.layer, backend.layer(options))))
    )

  it.scoped("create gives an opaque token; resolve completes it and await returns the value", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 hour" })
      expect(token).toMatch(/^deferred:[A-Za-z0-9_-]{22}$/)
      expect(yield* deferreds.create({ ttl: 1000 })).not.toBe(token)
      expect(yield* deferreds.status(token)).toMatchObject({ state: "pending", createdAt: 0, expiresAt: 3_600_000 })
      yield* TestClock.adjust("1 minute")
      yield* deferreds.resolve(token, { answer: 42 })
      expect(yield* deferreds.await(token)).toEqual({ answer: 42 })
      expect(yield* deferreds.status(token)).toMatchObject({ state: "resolved", value: { answer: 42 }, completedAt: 60_000 })
    })))

  it.scoped("values round-trip exactly: nested JSON, quotes, backslashes, newlines, NUL, unicode, scalars", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      for (const value of [nasty, "just a string", 0, -17.25, true, false, null, [], {}]) {
        const token = yield* deferreds.create({ ttl: "1 minute" })
        yield* deferreds.resolve(token, value)
        expect(yield* deferreds.await(token, { timeout: 0 })).toEqual(value)
      }
      const token = yield* deferreds.create({ ttl: "1 minute" })
      yield* deferreds.reject(token, nasty.quotes + nasty.lines + nasty.unicode + nasty.backslashes)
      const rejected = yield* Effect.flip(deferreds.await(token))
      expect(rejected).toMatchObject({
        _tag: "DeferredRejected",
        token,
        reason: nasty.quotes + nasty.lines + nasty.unicode + nasty.backslashes
      })
    })))

  it.scoped("await decodes the value with a schema, and a mismatch is a ParseError", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const Answer = Schema.Struct({ n: Schema.NumberFromString, at: Schema.Date })
      const token = yield* deferreds.create({ ttl: "1 minute" })
      yield* deferreds.resolve(token, { n: "42", at: "2024-01-02T03:04:05.000Z" })
      const answer = yield* deferreds.await(token, { schema: Answer })
      expect(answer.n).toBe(42)
      expect(answer.at).toEqual(new Date("2024-01-02T03:04:05.000Z"))
      const mismatch = yield* Effect.flip(deferreds.await(token, { schema: Schema.Struct({ n: Schema.Number }) }))
      expect(mismatch._tag).toBe("ParseError")
    })))

  it.scoped("the first completion wins; a second is AlreadyCompleted and changes nothing", () =>
    run(Effect.gen(function*() {
      const { store, deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      yield* deferreds.resolve(token, "first")
      const before = yield* snapshot
      const head = yield* store.head
      expect(yield* Effect.flip(deferreds.resolve(token, "second"))).toMatchObject({ _tag: "AlreadyCompleted", token, state: "resolved" })
      expect(yield* Effect.flip(deferreds.reject(token, "no"))).toMatchObject({ _tag: "AlreadyCompleted", state: "resolved" })
      expect(yield* deferreds.await(token)).toBe("first")
      const other = yield* deferreds.create({ ttl: "1 minute" })
      yield* deferreds.reject(other, "nope")
      expect(yield* Effect.flip(deferreds.resolve(other, 1))).toMatchObject({ _tag: "AlreadyCompleted", state: "rejected" })
      expect(yield* store.readStream(token)).toHaveLength(2)
      expect((yield* snapshot).find((r) => token.endsWith(String(r["id"])))).toEqual(before.find((r) => token.endsWith(String(r["id"]))))
      const since = yield* store.readAll({ after: head })
      expect(since.map((e) => e.type)).toEqual(["deferred_created", "deferred_rejected"]) // only `other`'s
    })))

  it.scoped("concurrent completions: exactly one wins, the rest see its state", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 16 }, (_, i) => i),
        (i) => Effect.either(i % 2 === 0 ? deferreds.resolve(token, { by: i }) : deferreds.reject(token, `by ${i}`)),
        { concurrency: "unbounded" }
      )
      const winners = outcomes.flatMap((o, i) => (Either.isRight(o) ? [i] : []))
      expect(winners).toHaveLength(1)
      const status = yield* deferreds.status(token)
      const expectedState = winners[0]! % 2 === 0 ? "resolved" : "rejected"
      expect(status.state).toBe(expectedState)
      for (const o of outcomes) {
        if (Either.isLeft(o)) expect(o.left).toMatchObject({ _tag: "AlreadyCompleted", state: expectedState })
      }
    })))

  it.scoped("expiry: from expiresAt on nothing can complete it and awaiting it is an expired timeout", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      const late = yield* deferreds.create({ ttl: "1 minute" })
      const done = yield* deferreds.create({ ttl: "1 minute" })
      yield* deferreds.resolve(done, "in time")
      yield* TestClock.adjust(Duration.millis(59_999))
      yield* deferreds.resolve(token, "just in time")
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Effect.flip(deferreds.resolve(late, "too late"))).toMatchObject({ _tag: "AlreadyCompleted", state: "expired" })
      expect(yield* Effect.flip(deferreds.reject(late, "too late"))).toMatchObject({ _tag: "AlreadyCompleted", state: "expired" })
      expect(yield* deferreds.status(late)).toMatchObject({ state: "expired", expiresAt: 60_000 })
      expect(yield* Effect.flip(deferreds.await(late))).toMatchObject({ _tag: "DeferredTimeout", token: late, expired: true })
      // Completions made before the expiry stand.
      expect(yield* deferreds.await(token)).toBe("just in time")
      expect(yield* deferreds.await(done)).toBe("in time")
    })))

  it.scoped("a forked await gives up at its timeout, or at the expiry, on the test clock", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      expect(yield* Effect.flip(deferreds.await(token, { timeout: 0 }))).toMatchObject({
        _tag: "DeferredTimeout",
        expired: false,
        waitedMs: 0
      })
      const short = yield* Effect.fork(Effect.flip(deferreds.await(token, { timeout: "10 seconds" })))
      const long = yield* Effect.fork(Effect.flip(deferreds.await(token, { timeout: "1 hour" })))
      yield* parked(2, 1000) // each wait is capped at one second
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(short)).toMatchObject({ _tag: "DeferredTimeout", expired: false, waitedMs: 10_000 })
      yield* TestClock.adjust("50 seconds")
      expect(yield* Fiber.join(long)).toMatchObject({ _tag: "DeferredTimeout", expired: true })
    }), { pollIntervalMs: 60_000 })) // other processes' commits are not awaited here: no polling on the test clock

  it.scopedLive("await wakes up when another fiber resolves or rejects", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      const waiter = yield* Effect.fork(deferreds.await(token, { timeout: "20 seconds" }))
      yield* Effect.sleep("50 millis")
      yield* deferreds.resolve(token, { done: true })
      expect(yield* Fiber.join(waiter)).toEqual({ done: true })

      const rejected = yield* deferreds.create({ ttl: "1 minute" })
      const rejectWaiter = yield* Effect.fork(Effect.flip(deferreds.await(rejected, { timeout: "20 seconds" })))
      yield* Effect.sleep("50 millis")
      yield* deferreds.reject(rejected, "because")
      expect(yield* Fiber.join(rejectWaiter)).toMatchObject({ _tag: "DeferredRejected", reason: "because" })
    })))

  it.scopedLive("with real time: an await times out, and a deferred expires", () =>
    run(Effect.gen(function*() {
      const { deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      const timedOut = yield* Effect.flip(deferreds.await(token, { timeout: "200 millis" }))
      expect(timedOut).toMatchObject({ _tag: "DeferredTimeout", expired: false })
      if (timedOut._tag === "DeferredTimeout") expect(timedOut.waitedMs).toBeGreaterThanOrEqual(200)
      const brief = yield* deferreds.create({ ttl: "300 millis" })
      expect(yield* Effect.flip(deferreds.await(brief))).toMatchObject({ _tag: "DeferredTimeout", expired: true })
      expect(yield* Effect.flip(deferreds.resolve(brief, 1))).toMatchObject({ _tag: "AlreadyCompleted", state: "expired" })
    })))

  it.scoped("bad tokens and bad input are InvalidInput or DeferredNotFound, and change nothing", () =>
    run(Effect.gen(function*() {
      const { store, deferreds } = yield* setup
      const token = yield* deferreds.create({ ttl: "1 minute" })
      const before = yield* snapshot
      const head = yield* store.head
      const malformed = ["", "deferred:", "deferred:short", `${token}x`, `http://x/${token}`, "deferred:AAAAAAAAAAAAAAAAAAAAA!", ` ${token}`, 42 as never]
      for (const bad of malformed) {
        const attempts: ReadonlyArray<Effect.Effect<unknown, DeferredAwaitError | DeferredCompleteError | ParseResult.ParseError>> = [
          deferreds.resolve(bad, 1),
          deferreds.reject(bad, "r"),
          deferreds.await(bad),
          deferreds.status(bad)
        ]
        for (const attempt of attempts) {
          const error = yield* Effect.flip(attempt)
          expect(error._tag).toBe("InvalidInput")
          if (error._tag === "InvalidInput") expect(error.issues.map((i) => i.path)).toEqual(["token"])
        }
      }
      const unknown: ReadonlyArray<Effect.Effect<unknown, DeferredAwaitError | DeferredCompleteError | ParseResult.ParseError>> = [
        deferreds.resolve(UNKNOWN, 1),
        deferreds.reject(UNKNOWN, "r"),
        deferreds.await(UNKNOWN),
        deferreds.status(UNKNOWN)
      ]
      for (const attempt of unknown) {
        expect(yield* Effect.flip(attempt)).toMatchObject({ _tag: "DeferredNotFound", token: UNKNOWN })
      }
      class Point {
        constructor(readonly x: number) {}
      }
      const badValues: ReadonlyArray<readonly [unknown, string]> = [
        [undefined, "value"],
        [Number.NaN, "value"],
        [Infinity, "value"],
        [new Date(0), "value"],
        [new Point(1), "value"],
        [() => 1, "value"],
        [10n, "value"],
        [{ a: { b: undefined } }, "value.a.b"],
        [{ a: [1, Number.NaN] }, "value.a[1]"],
        ["x".repeat(1_000_001), "value"]
      ]
      for (const [value, path] of badValues) {
        const error = yield* Effect.flip(deferreds.resolve(token, value))
        expect(error).toMatchObject({ _tag: "InvalidInput", operation: "DurableDeferred.resolve" })
        if (error._tag === "InvalidInput") expect(error.issues.map((i) => i.path)).toEqual([path])
      }
      for (const reason of ["", "a\u0000b", "r".repeat(10_001)]) {
        expect((yield* Effect.flip(deferreds.reject(token, reason)))._tag).toBe("InvalidInput")
      }
      for (const ttl of [0, -1, Number.NaN, "soon", "-5 seconds", Infinity, "400 days", null] as unknown as ReadonlyArray<never>) {
        const error = yield* Effect.flip(deferreds.create({ ttl }))
        expect(error).toMatchObject({ _tag: "InvalidInput", operation: "DurableDeferred.create" })
      }
      expect((yield* Effect.flip(deferreds.create({ ttl: 1000, name: "x" } as never)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(deferreds.await(token, { timout: 5 } as never)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(deferreds.await(token, { timeout: -1 })))._tag).toBe("InvalidInput")
      expect(yield* snapshot).toEqual(before)
      expect(yield* store.head).toBe(head)
      expect((yield* deferreds.status(token)).state).toBe("pending")
    })))

  it.scoped("rebuilding the projection reproduces the deferreds table exactly", () =>
    run(Effect.gen(function*() {
      const { store, storage, deferreds } = yield* setup
      for (let i = 0; i < 12; i++) {
        const token = yield* deferreds.create({ ttl: Duration.seconds(10 + i) })
        yield* TestClock.adjust("1 second")
        if (i % 3 === 0) yield* deferreds.resolve(token, { i, text: nasty.lines, nested: nasty.nested })
        if (i % 3 === 1) yield* deferreds.reject(token, `${nasty.quotes} ${i}`)
        if (i % 4 === 0) yield* Effect.either(deferreds.resolve(token, "again"))
      }
      const before = yield* snapshot
      expect(before).toHaveLength(12)
      yield* storage.write((tx) => tx.run(sql`UPDATE deferreds SET state = 'pending', value = NULL WHERE project = ${store.project}`))
      yield* store.rebuildProjections(["deferreds"])
      expect(yield* snapshot).toEqual(before)
    })))
})
