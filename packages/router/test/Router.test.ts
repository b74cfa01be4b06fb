/** Walking a router as a flat list of entries and invoking them with unknown input (the MCP/CLI path). */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Chunk, Effect, JSONSchema, Schema, Stream } from "effect"
import {
  entries,
  find,
  invoke,
  invokeStream,
  NotFound,
  route,
  router,
  type RouteFailure,
  Unauthorized,
  ValidationError
} from "../src/index.js"
import { appRouter, Sessions, sessionsLayer } from "./fixtures.js"

const ctx = { authorization: "Bearer secret", dropConnection: () => {} }

describe("router", () => {
  it("walks nested records and routers as flat entries, in declaration order", () => {
    const ping = route().handler(() => "pong")
    const admin = router({ users: { list: route().handler(() => []), purge: route({ name: "purge_all" }).handler(() => 0) } })
    const app = router({ ping, admin, feed: { live: route({ stream: true }).handler(() => Stream.empty) } })
    expect(entries(app).map(({ kind, name, path }) => ({ path, name, kind }))).toEqual([
      { path: ["ping"], name: "ping", kind: "unary" },
      { path: ["admin", "users", "list"], name: "admin_users_list", kind: "unary" },
      { path: ["admin", "users", "purge"], name: "purge_all", kind: "unary" },
      { path: ["feed", "live"], name: "feed_live", kind: "stream" }
    ])
    expect(find(app, "purge_all")?.path).toEqual(["admin", "users", "purge"])
    expect(find(app, ["feed", "live"])?.name).toBe("feed_live")
    expect(find(app, "nope")).toBeUndefined()
  })

  it("exposes each route's schemas and metadata (what an MCP tool list needs)", () => {
    const tools = entries(appRouter)
      .filter((entry) => entry.kind === "unary")
      .map((entry) => ({
        name: entry.name,
        description: entry.route.meta.description,
        annotations: entry.route.meta.annotations,
        inputSchema: JSONSchema.make(entry.route.input as Schema.Schema.Any),
        hasOutputSchema: entry.route.output !== undefined
      }))
    expect(tools[0]).toEqual({
      name: "session_get",
      description: "Reads a session",
      annotations: { readOnlyHint: true },
      inputSchema: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        required: ["id"],
        properties: { id: { type: "string" } },
        additionalProperties: false
      },
      hasOutputSchema: true
    })
    expect(tools.map((tool) => tool.name)).toEqual(["session_get", "session_create", "math_add", "math_slow", "math_limited", "math_crash"])
  })

  it("rejects duplicate names and keys that cannot be URL segments", () => {
    const a = route({ name: "same" }).handler(() => 1)
    const b = route({ name: "same" }).handler(() => 2)
    expect(() => router({ a, b })).toThrow(`Two routes are named "same"`)
    expect(() => router({ "a/b": a })).toThrow(`Invalid route key "a/b"`)
  })
})

describe("invoke", () => {
  it.effect("decodes unknown input, runs middleware and handler, and encodes the output", () =>
    Effect.gen(function*() {
      const entry = find(appRouter, "session_get")!
      if (entry.kind !== "unary") throw new Error("expected a unary route")
      const output = yield* invoke(entry, { id: "s1" }, ctx)
      // Schema.Date is encoded back to its wire form
      expect(output).toEqual({ id: "s1", title: "First", owner: "alice", createdAt: "2024-01-02T03:04:05.000Z" })
    }).pipe(Effect.provide(sessionsLayer)))

  it.effect("fails with typed errors: validation, middleware, handler", () =>
    Effect.gen(function*() {
      const get = appRouter.routes.session.get
      const entry = { path: ["session", "get"], name: "session_get", route: get }
      const effect = invoke(entry, {}, ctx)
      expectTypeOf(effect).toEqualTypeOf<
        Effect.Effect<
          { readonly id: string; readonly title: string; readonly owner: string; readonly createdAt: string },
          NotFound | Unauthorized | RouteFailure,
          Sessions
        >
      >()
      const invalid = yield* Effect.flip(effect)
      expect(invalid).toBeInstanceOf(ValidationError)
      expect((invalid as ValidationError).issues).toEqual([{ path: ["id"], message: "is missing" }])
      expect(yield* Effect.flip(invoke(entry, { id: "s1" }, { ...ctx, authorization: undefined }))).toBeInstanceOf(
        Unauthorized
      )
      expect(yield* Effect.flip(invoke(entry, { id: "zz" }, ctx))).toEqual(new NotFound({ resource: "zz" }))
    }).pipe(Effect.provide(sessionsLayer)))

  it.effect("opens stream routes with invokeStream, items encoded", () =>
    Effect.gen(function*() {
      const dates = route({ stream: true })
        .output(Schema.Date)
        .handler(() => Stream.make(new Date(0), new Date(1000)))
      const app = router({ dates })
      const entry = find(app, "dates")!
      if (entry.kind !== "stream") throw new Error("expected a stream route")
      const items = yield* Effect.flatMap(invokeStream(entry, undefined, {}), Stream.runCollect)
      expect(Chunk.toArray(items)).toEqual(["1970-01-01T00:00:00.000Z", "1970-01-01T00:00:01.000Z"])
    }))

  it.effect("refuses to invoke a stream route as unary (a defect, the types already forbid it)", () =>
    Effect.gen(function*() {
      const entry = find(appRouter, "messages_forever")!
      const exit = yield* Effect.exit(invoke(entry as any, undefined, ctx) as Effect.Effect<unknown, unknown>)
      expect(exit._tag === "Failure" && exit.cause._tag).toBe("Die")
    }))

  it("types entries as a union discriminated by kind", () => {
    for (const entry of entries(appRouter)) {
      if (entry.kind === "stream") {
        expectTypeOf(entry.route.kind).toEqualTypeOf<"stream">()
        // @ts-expect-error stream routes are invoked with invokeStream
        invoke(entry, {}, ctx)
      }
    }
  })
})
