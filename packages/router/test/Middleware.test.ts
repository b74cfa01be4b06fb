import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { createCaller, Forbidden, Middleware, route, router, type RouteFailure, Unauthorized } from "../src/index.js"

describe("middleware", () => {
  it.effect("runs onion-style in the order given: first added is outermost", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const layer = (name: string) =>
        Middleware.make(name, ({ next }) =>
          Effect.gen(function*() {
            log.push(`${name}:before`)
            const result = yield* next()
            log.push(`${name}:after`)
            return result
          }))
      const hello = route().use(layer("a")).use(layer("b")).use(layer("c")).handler(() => {
        log.push("handler")
        return "hi"
      })
      expect(yield* createCaller(router({ hello })).hello()).toBe("hi")
      expect(log).toEqual(["a:before", "b:before", "c:before", "handler", "c:after", "b:after", "a:after"])
    }))

  it.effect("adds to the context (auth → user) and the handler sees it, typed", () =>
    Effect.gen(function*() {
      const auth = Middleware.derive("auth", (ctx: { token: string }) =>
        ctx.token === "t" ? Effect.succeed({ user: { id: "u1", admin: false } }) : Effect.fail(new Unauthorized({})))
      const admin = Middleware.derive("admin", (ctx: { user: { admin: boolean } }) =>
        ctx.user.admin ? {} : Effect.fail(new Forbidden({})))
      const me = route().use(auth).handler(({ ctx }) => {
        expectTypeOf(ctx).toEqualTypeOf<{ token: string; user: { id: string; admin: boolean } }>()
        return ctx.user.id
      })
      const wipe = route().use(auth).use(admin).handler(() => "wiped")
      const app = router({ me, wipe })
      expect(yield* createCaller(app, { token: "t" }).me()).toBe("u1")
      expect(yield* Effect.flip(createCaller(app, { token: "bad" }).me())).toBeInstanceOf(Unauthorized)
      expect(yield* Effect.flip(createCaller(app, { token: "t" }).wipe())).toBeInstanceOf(Forbidden)
    }))

  it.effect("short-circuits: the handler and inner middleware never run", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const deny = Middleware.make("deny", () => Effect.fail(new Unauthorized({ message: "no" })))
      const inner = Middleware.wrap("inner", (call) => Effect.zipRight(Effect.sync(() => log.push("inner")), call))
      const secret = route().use(deny).use(inner).handler(() => {
        log.push("handler")
        return 1
      })
      const caller = createCaller(router({ secret }))
      expectTypeOf(caller.secret).returns.toEqualTypeOf<Effect.Effect<number, Unauthorized | RouteFailure>>()
      expect(yield* Effect.exit(caller.secret())).toStrictEqual(Exit.fail(new Unauthorized({ message: "no" })))
      expect(log).toEqual([])
    }))

  it.effect("wraps the call: sees the decoded input, route info, result and failures", () =>
    Effect.gen(function*() {
      const seen: Array<unknown> = []
      const audit = Middleware.wrap("audit", (call, info) =>
        call.pipe(
          Effect.tapBoth({
            onSuccess: (value) => Effect.sync(() => seen.push({ name: info.name, input: info.input, ok: value })),
            onFailure: (error) => Effect.sync(() => seen.push({ name: info.name, failed: (error as unknown as { _tag: string })._tag }))
          })
        ))
      const div = route()
        .use(audit)
        .input(Schema.Struct({ a: Schema.Number, b: Schema.Number }))
        .errors(RangeError)
        .handler(({ input }) => input.b === 0 ? Effect.fail(new Forbidden({ message: "div by 0" })) : input.a / input.b)
      const caller = createCaller(router({ math: { div } }))
      expect(yield* caller.math.div({ a: 6, b: 3 })).toBe(2)
      yield* Effect.flip(caller.math.div({ a: 1, b: 0 }))
      expect(seen).toEqual([
        { name: "math_div", input: { a: 6, b: 3 }, ok: 2 },
        { name: "math_div", failed: "Forbidden" }
      ])
    }))

  it.effect("runs after input validation: invalid input never reaches middleware", () =>
    Effect.gen(function*() {
      let calls = 0
      const count = Middleware.wrap("count", (call) => Effect.zipRight(Effect.sync(() => calls++), call))
      const echo = route().use(count).input(Schema.Number).handler(({ input }) => input)
      const caller = createCaller(router({ echo }))
      yield* Effect.flip(caller.echo("x" as any))
      expect(calls).toBe(0)
      yield* caller.echo(1)
      expect(calls).toBe(1)
    }))
})
