/** A small application router used by the HTTP, client and action tests. */
import { Context, Effect, Layer, Schema, Stream } from "effect"
import type { IncomingMessage } from "node:http"
import { Conflict, Middleware, NotFound, route, router, Unauthorized } from "../src/index.js"

/** An application error with no default status: the adapters are told to answer 429. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", { retryAfterSeconds: Schema.Number }) {}

export const Session = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  owner: Schema.String,
  createdAt: Schema.Date
})

/** A service the Effect handlers require (provided by a Layer / ManagedRuntime in tests). */
export class Sessions extends Context.Tag("test/Sessions")<Sessions, {
  readonly get: (id: string) => Effect.Effect<typeof Session.Type | undefined>
  readonly create: (title: string, owner: string) => Effect.Effect<typeof Session.Type, Conflict>
}>() {}

export const sessionsLayer = Layer.sync(Sessions, () => {
  const rows = new Map<string, typeof Session.Type>([
    ["s1", { id: "s1", title: "First", owner: "alice", createdAt: new Date("2024-01-02T03:04:05.000Z") }]
  ])
  return {
    get: (id) => Effect.sync(() => rows.get(id)),
    create: (title, owner) =>
      Effect.suspend(() => {
        if ([...rows.values()].some((row) => row.title === title)) {
          return Effect.fail(new Conflict({ message: `A session is already titled ${title}` }))
        }
        const row = { id: `s${rows.size + 1}`, title, owner, createdAt: new Date(0) }
        rows.set(row.id, row)
        return Effect.succeed(row)
      })
  }
})

/** The context HTTP adapters build from the request. */
export interface RequestContext {
  readonly authorization: string | undefined
  /** Drops the client's connection (simulates a network failure mid-stream). */
  readonly dropConnection: () => void
}

export const auth = Middleware.derive("auth", (ctx: { authorization: string | undefined }) =>
  ctx.authorization === "Bearer secret"
    ? Effect.succeed({ user: "alice" })
    : Effect.fail(new Unauthorized({ message: "Missing or bad token" })))

/** Observations the tests make about handlers running on the server. */
export const probes = {
  generatorFinally: 0,
  generatorStarted: 0,
  unaryAborted: 0,
  reset() {
    this.generatorFinally = 0
    this.generatorStarted = 0
    this.unaryAborted = 0
  }
}

const messages = ["hello", "how are you", "fine", "bye", "see you"]

export const appRouter = router({
  session: {
    get: route({ description: "Reads a session", annotations: { readOnlyHint: true } })
      .use(auth)
      .input(Schema.Struct({ id: Schema.String }))
      .output(Session)
      .errors(NotFound)
      .handler(({ input }) =>
        Effect.flatMap(Sessions, (sessions) => sessions.get(input.id)).pipe(
          Effect.flatMap((row) => row === undefined ? Effect.fail(new NotFound({ resource: input.id })) : Effect.succeed(row))
        )
      ),
    create: route({ annotations: { destructiveHint: false } })
      .use(auth)
      .input(Schema.Struct({ title: Schema.String.pipe(Schema.minLength(1)), tags: Schema.optional(Schema.Array(Schema.String)) }))
      .output(Session)
      .handler(({ input, ctx }) => Effect.flatMap(Sessions, (sessions) => sessions.create(input.title, ctx.user)))
  },
  math: {
    add: route()
      .input(Schema.Struct({ a: Schema.Number, b: Schema.Number }))
      .output(Schema.Struct({ sum: Schema.Number }))
      .handler(async ({ input }) => ({ sum: input.a + input.b })),
    slow: route({ timeout: "100ms" }).handler(({ signal }) =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("late"), 5_000)
        signal.addEventListener("abort", () => {
          clearTimeout(timer)
          probes.unaryAborted++
        })
      })
    ),
    limited: route().handler(() => Effect.fail(new RateLimited({ retryAfterSeconds: 30 }))),
    crash: route().handler((): string => {
      throw new Error("secret internal detail")
    })
  },
  messages: {
    stream: route({ stream: true, heartbeat: "40ms" })
      .context<{ dropConnection: () => void }>()
      .input(Schema.Struct({ from: Schema.optional(Schema.Number) }))
      .output(Schema.Struct({ text: Schema.String }))
      .handler(async function*({ lastEventId, ctx }) {
        const start = lastEventId === undefined ? 0 : Number(lastEventId) + 1
        for (let i = start; i < messages.length; i++) {
          if (i === 3 && lastEventId === undefined) {
            // the first connection breaks after items 0..2 went out
            await new Promise((resolve) => setTimeout(resolve, 30))
            ctx.dropConnection()
            return
          }
          yield { text: messages[i]! }
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }),
    forever: route({ stream: true, heartbeat: "30ms" }).handler(async function*() {
      probes.generatorStarted++
      try {
        for (let i = 0;; i++) {
          yield i
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      } finally {
        probes.generatorFinally++
      }
    }),
    quiet: route({ stream: true, heartbeat: "30ms" }).handler(() =>
      Stream.concat(Stream.make("first"), Stream.fromEffect(Effect.sleep("300 millis").pipe(Effect.as("second"))))
    ),
    failing: route({ stream: true }).errors(NotFound).handler(async function*() {
      yield 1
      throw new NotFound({ message: "gone mid-stream" })
    })
  }
})

export type AppRouter = typeof appRouter

/** The context function every HTTP mount uses. */
export const contextFromRequest = (request: { header: (name: string) => string | undefined; raw: unknown }) => ({
  authorization: request.header("authorization"),
  dropConnection: () => {
    const raw = request.raw as IncomingMessage | { source?: IncomingMessage } | Request
    const message = "socket" in raw ? raw : "source" in raw ? raw.source : undefined
    message?.socket?.destroy()
  }
})
