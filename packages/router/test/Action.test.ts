/** createAction: a route as a plain async function. */
import { afterAll, describe, expect, expectTypeOf, it } from "@effect/vitest"
import { ManagedRuntime, Schema } from "effect"
import { Conflict, createAction, NotFound, route, Unauthorized, ValidationError } from "../src/index.js"
import { appRouter, Sessions, sessionsLayer } from "./fixtures.js"

const runtime = ManagedRuntime.make(sessionsLayer)
afterAll(() => runtime.dispose())

describe("createAction", () => {
  it("resolves with the output and rejects with the route's typed error itself", async () => {
    const getSession = createAction(appRouter.routes.session.get, {
      runtime,
      context: () => ({ authorization: "Bearer secret" })
    })
    expectTypeOf(getSession).parameters.toEqualTypeOf<[input: { readonly id: string }]>()
    const session = await getSession({ id: "s1" })
    expect(session.createdAt).toBeInstanceOf(Date) // in process: the decoded type, no wire encoding
    await expect(getSession({ id: "nope" })).rejects.toEqual(new NotFound({ resource: "nope" }))
    await expect(getSession({ id: 3 } as any)).rejects.toBeInstanceOf(ValidationError)
  })

  it("reads the context per call", async () => {
    let token = "Bearer wrong"
    const getSession = createAction(appRouter.routes.session.get, { runtime, context: () => ({ authorization: token }) })
    await expect(getSession({ id: "s1" })).rejects.toBeInstanceOf(Unauthorized)
    token = "Bearer secret"
    await expect(getSession({ id: "s1" })).resolves.toMatchObject({ id: "s1" })
  })

  it("runs routes without services or context with no options", async () => {
    const rename = createAction(
      route().input(Schema.Struct({ name: Schema.String })).errors(Conflict).handler(async ({ input }) => {
        if (input.name === "taken") throw new Conflict({ message: "taken" })
        return input.name.toUpperCase()
      })
    )
    expect(await rename({ name: "ada" })).toBe("ADA")
    await expect(rename({ name: "taken" })).rejects.toEqual(new Conflict({ message: "taken" }))
  })

  it("rejects with the original error for defects", async () => {
    const broken = createAction(route().handler((): number => {
      throw new TypeError("bug")
    }))
    await expect(broken()).rejects.toThrow(TypeError)
  })

  it("requires a runtime exactly when the route requires services", () => {
    // @ts-expect-error Sessions must be provided
    createAction(appRouter.routes.session.create, { context: { authorization: "x" } })
    expectTypeOf<Parameters<typeof createAction<typeof appRouter.routes.session.create>>[1]>().toMatchTypeOf<
      { readonly runtime: ManagedRuntime.ManagedRuntime<Sessions, unknown> }
    >()
  })
})
