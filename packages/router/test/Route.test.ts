import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Context, Effect, Exit, Schema } from "effect"
import { Conflict, createCaller, NotFound, route, router, type RouteFailure, ValidationError } from "../src/index.js"

class Counter extends Context.Tag("test/Counter")<Counter, { readonly next: Effect.Effect<number> }>() {}

describe("route", () => {
  it.effect("decodes input and names the path of each bad field", () =>
    Effect.gen(function*() {
      const create = route()
        .input(Schema.Struct({
          title: Schema.String,
          owner: Schema.Struct({ id: Schema.Number }),
          tags: Schema.Array(Schema.String)
        }))
        .handler(({ input }) => input.title)
      const caller = createCaller(router({ notes: { create } }))
      const error = yield* Effect.flip(caller.notes.create({ title: 1, owner: { id: "x" }, tags: ["a", 2] } as any))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error._tag).toBe("ValidationError")
      expect((error as ValidationError).route).toBe("notes.create")
      expect((error as ValidationError).issues).toEqual([
        { path: ["title"], message: "Expected string, actual 1" },
        { path: ["owner", "id"], message: `Expected number, actual "x"` },
        { path: ["tags", 1], message: "Expected string, actual 2" }
      ])
      expect(error.message).toContain("owner.id")
    }))

  it.effect("hands the decoded (transformed) input to the handler", () =>
    Effect.gen(function*() {
      const at = route().input(Schema.Struct({ when: Schema.Date })).handler(({ input }) => input.when.getUTCFullYear())
      const caller = createCaller(router({ at }))
      expect(yield* caller.at({ when: "2021-06-01T00:00:00.000Z" })).toBe(2021)
    }))

  it.effect("runs plain, async and Effect handlers", () =>
    Effect.gen(function*() {
      const caller = createCaller(router({
        plain: route().handler(() => 1),
        async: route().handler(async () => 2),
        effect: route().handler(() => Effect.succeed(3)),
        service: route().handler(() => Effect.flatMap(Counter, (counter) => counter.next))
      }))
      expect(yield* caller.plain()).toBe(1)
      expect(yield* caller.async()).toBe(2)
      expect(yield* caller.effect()).toBe(3)
      expect(yield* caller.service().pipe(Effect.provideService(Counter, { next: Effect.succeed(4) }))).toBe(4)
    }))

  it.effect("turns declared errors thrown by async handlers into typed failures, others into defects", () =>
    Effect.gen(function*() {
      const find = route().input(Schema.String).errors(NotFound).handler(async ({ input }) => {
        if (input === "missing") throw new NotFound({ resource: input })
        if (input === "bug") throw new TypeError("boom")
        return input
      })
      const caller = createCaller(router({ find }))
      expectTypeOf(caller.find).returns.toEqualTypeOf<Effect.Effect<string, NotFound | RouteFailure>>()
      const missing = yield* Effect.exit(caller.find("missing"))
      expect(missing).toStrictEqual(Exit.fail(new NotFound({ resource: "missing" })))
      const bug = yield* Effect.exit(caller.find("bug"))
      expect(Exit.isFailure(bug) && bug.cause._tag).toBe("Die")
    }))

  it.effect("keeps the typed errors of Effect handlers", () =>
    Effect.gen(function*() {
      const save = route().handler(() => Effect.fail(new Conflict({ message: "taken" })))
      const caller = createCaller(router({ save }))
      expectTypeOf(caller.save).returns.toEqualTypeOf<Effect.Effect<never, Conflict | RouteFailure>>()
      expect(yield* Effect.flip(caller.save())).toEqual(new Conflict({ message: "taken" }))
    }))

  it("carries metadata from the options and from .meta()", () => {
    const get = route({ description: "Reads a note", annotations: { readOnlyHint: true } })
      .meta({ name: "note_read", annotations: { idempotentHint: true } })
      .input(Schema.Struct({ id: Schema.String }))
      .output(Schema.Struct({ body: Schema.String }))
      .handler(() => ({ body: "" }))
    expect(get.meta).toEqual({
      name: "note_read",
      description: "Reads a note",
      annotations: { readOnlyHint: true, idempotentHint: true }
    })
    expect(get.kind).toBe("unary")
    expect(Schema.isSchema(get.input)).toBe(true)
    expect(Schema.isSchema(get.output)).toBe(true)
  })

  it("infers the output type from the handler when no output schema is given", () => {
    const list = route().handler(async () => [{ id: "a" }])
    expect(list.output).toBeUndefined()
    const caller = createCaller(router({ list }))
    expectTypeOf(caller.list).returns.toEqualTypeOf<Effect.Effect<Array<{ id: string }>, RouteFailure>>()
  })

  it("checks handler results against the output schema at compile time", () => {
    route()
      .output(Schema.Struct({ n: Schema.Number }))
      // @ts-expect-error the handler must produce the output type
      .handler(() => ({ n: "one" }))
    route().output(Schema.Number).handler(() => Effect.succeed(1))
  })
})
