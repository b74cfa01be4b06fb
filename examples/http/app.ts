/**
 * A few hive and mail operations as typed routes, and a live stream of the project's events, ready
 * to serve over HTTP (`toNodeHandler`) or call in-process (`createCaller`) — one definition.
 */
import { Effect, Option, Schema, Stream } from "effect"
import { Hive } from "@waggle/hive"
import { DurableMailbox, EventStore } from "@waggle/primitives"
import { NotFound, route, router } from "@waggle/router"

const CellView = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  status: Schema.String,
  priority: Schema.Number,
  assignee: Schema.NullOr(Schema.String)
})
const toView = (c: { id: string; title: string; status: string; priority: number; assignee: string | null }) => ({
  id: c.id, title: c.title, status: c.status, priority: c.priority, assignee: c.assignee
})

const ready = route({ description: "Ready cells, most urgent first", annotations: { readOnlyHint: true } })
  .input(Schema.Struct({ limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 100))) }))
  .output(Schema.Array(CellView))
  .handler(({ input }) =>
    Effect.flatMap(Hive, (hive) => hive.ready({ limit: input.limit ?? 10 })).pipe(Effect.map((cells) => cells.map(toView)))
  )

const create = route({ description: "Create a task" })
  .input(Schema.Struct({ title: Schema.String, priority: Schema.optional(Schema.Int) }))
  .output(CellView)
  .handler(({ input }) =>
    Effect.flatMap(Hive, (hive) => hive.create({ title: input.title, ...(input.priority === undefined ? {} : { priority: input.priority }) }))
      .pipe(Effect.map(toView))
  )

const claim = route({ description: "Claim the next ready cell" })
  .input(Schema.Struct({ agent: Schema.String }))
  .output(CellView)
  .errors(NotFound)
  .handler(({ input }) =>
    Effect.flatMap(Hive, (hive) => hive.claimNext(input.agent)).pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(new NotFound({ message: "no ready cell" })),
        onSome: (cell) => Effect.succeed(toView(cell))
      }))
    )
  )

const close = route({ description: "Close a cell with a reason" })
  .input(Schema.Struct({ id: Schema.String, reason: Schema.String }))
  .output(CellView)
  .handler(({ input }) =>
    Effect.flatMap(Hive, (hive) => hive.close(input.id, { reason: input.reason })).pipe(
      Effect.map(toView),
      Effect.catchTag("CellNotFound", (e) => Effect.fail(new NotFound({ message: e.message })))
    )
  )

const send = route({ description: "Send mail" })
  .input(Schema.Struct({ from: Schema.String, to: Schema.Array(Schema.String), subject: Schema.String, body: Schema.String }))
  .output(Schema.Struct({ id: Schema.String }))
  .handler(({ input }) => Effect.flatMap(DurableMailbox, (mail) => mail.send(input)).pipe(Effect.map((m) => ({ id: m.id }))))

const inbox = route({ description: "An agent's latest mail", annotations: { readOnlyHint: true } })
  .input(Schema.Struct({ agent: Schema.String }))
  .output(Schema.Array(Schema.Struct({ id: Schema.String, from: Schema.String, subject: Schema.String })))
  .handler(({ input }) =>
    Effect.flatMap(DurableMailbox, (mail) => mail.inbox(input.agent, { limit: 20 })).pipe(
      Effect.map((entries) => entries.map((e) => ({ id: e.id, from: e.from, subject: e.subject })))
    )
  )

/** Every event of the project from `after` on, then live as they are appended (by any process). */
const live = route({
  stream: true,
  heartbeat: "5s",
  timeout: "1h",
  // the SSE event id is the log position, so a client that reconnects resumes right after it
  eventId: (item) => String((item as { readonly position: number }).position)
})
  .input(Schema.Struct({ after: Schema.optional(Schema.Int.pipe(Schema.nonNegative())) }))
  .handler(({ input, lastEventId }) =>
    Stream.unwrap(Effect.map(EventStore, (store) =>
      store.follow({ after: lastEventId !== undefined ? Number(lastEventId) : input.after ?? 0 }).pipe(
        Stream.map((e) => ({ position: e.position, type: e.type, stream: e.stream, data: e.data }))
      )))
  )

export const appRouter = router({
  hive: { ready, create, claim, close },
  mail: { send, inbox },
  events: { live }
})
export type AppRouter = typeof appRouter
