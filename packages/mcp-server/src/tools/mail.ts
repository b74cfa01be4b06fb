/**
 * Swarm Mail: agent identity, messages between agents, and file reservations. Argument names follow
 * the swarm-tools plugin; message and reservation ids are strings here (see the README).
 */
import { BoundedText, DurableMailbox, FileReservations, Name, Project, Storage, Text, findProjectRoot } from "@waggle/primitives"
import type { InboxEntry, Reservation } from "@waggle/primitives"
import { Effect, Ref, Schema } from "effect"
import * as fs from "node:fs"
import { Agents } from "../Agents.js"
import { defined, DESTRUCTIVE, hidden, IDEMPOTENT, NoInput, opt, READ, tool, WRITE } from "../internal/tool.js"
import { agentOf } from "../ToolContext.js"
import { ProjectMismatch } from "../ToolErrors.js"
import { AgentName } from "./common.js"

const Importance = Schema.Literal("low", "normal", "high", "urgent")
const MessageId = Name(200)
const Path = BoundedText(4096)
const Str = Schema.String

const init = tool("Join as an agent (name generated if none); start here", IDEMPOTENT)
  .input(Schema.Struct({
    agent_name: opt(AgentName),
    task_description: opt(BoundedText(2000)),
    project_path: hidden(BoundedText(4096))
  }))
  .output(Schema.Struct({ agent_name: Str, project_key: Str, created: Schema.Boolean }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const project = yield* Project
      if (input.project_path !== undefined) {
        const root = fs.existsSync(input.project_path) ? findProjectRoot(input.project_path) : input.project_path
        if (root !== project.root && input.project_path !== project.key) {
          return yield* new ProjectMismatch({ requested: input.project_path, served: project.root })
        }
      }
      const agents = yield* Agents
      const current = yield* Ref.get(ctx.session.agent)
      const agent = yield* agents.register(defined({ name: input.agent_name ?? current, task: input.task_description }))
      yield* Ref.set(ctx.session.agent, agent.name)
      return { agent_name: agent.name, project_key: project.key, created: agent.created }
    })
  )

const send = tool("Send mail to agents", WRITE)
  .input(Schema.Struct({
    to: Schema.Array(AgentName).pipe(Schema.minItems(1), Schema.maxItems(100)),
    subject: BoundedText(200),
    body: Text.pipe(Schema.maxLength(65_536)),
    thread_id: opt(Name(200)),
    importance: opt(Importance),
    ack_required: opt(Schema.Boolean),
    agent_name: opt(AgentName)
  }))
  .output(Schema.Struct({ message_id: Str, thread_id: Str, recipient_count: Schema.Number }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const from = yield* agentOf(ctx, "swarmmail_send", input.agent_name)
      const mail = yield* DurableMailbox
      const sent = yield* mail.send(defined({
        from,
        to: input.to,
        subject: input.subject,
        body: input.body,
        thread: input.thread_id,
        importance: input.importance,
        ackRequired: input.ack_required
      }))
      return { message_id: sent.id, thread_id: sent.thread, recipient_count: sent.to.length }
    })
  )

const Header = Schema.Struct({
  id: Str,
  from: Str,
  subject: Str,
  thread_id: Str,
  importance: Str,
  sent_at: Schema.Number,
  read: Schema.Boolean,
  ack_required: Schema.Boolean,
  acked: Schema.Boolean
})
const headerOf = (m: InboxEntry): typeof Header.Type => ({
  id: m.id,
  from: m.from,
  subject: m.subject,
  thread_id: m.thread,
  importance: m.importance,
  sent_at: m.sentAt,
  read: m.readAt !== null,
  ack_required: m.ackRequired,
  acked: m.ackedAt !== null
})
const Messages = Schema.Struct({ messages: Schema.Array(Header) })

const inbox = tool("Latest mail, no bodies (max 5)", READ)
  .input(Schema.Struct({
    limit: opt(Schema.Int.pipe(Schema.between(1, 5))),
    urgent_only: opt(Schema.Boolean),
    unread_only: opt(Schema.Boolean),
    agent_name: opt(AgentName)
  }))
  .output(Messages)
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_inbox", input.agent_name)
      const mail = yield* DurableMailbox
      const entries = yield* mail.inbox(agent, defined({
        limit: input.limit ?? 5,
        urgentOnly: input.urgent_only,
        unreadOnly: input.unread_only,
        includeBodies: false
      }))
      return { messages: entries.map(headerOf) }
    })
  )

const readMessage = tool("Read a message", IDEMPOTENT)
  .input(Schema.Struct({ message_id: MessageId, agent_name: opt(AgentName) }))
  .output(Schema.Struct({ ...Header.fields, body: Str, to: Schema.Array(Str) }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_read_message", input.agent_name)
      const m = yield* Effect.flatMap(DurableMailbox, (mail) => mail.read(agent, input.message_id))
      return { ...headerOf(m), body: m.body, to: m.to }
    })
  )

const ack = tool("Acknowledge a message", IDEMPOTENT)
  .input(Schema.Struct({ message_id: MessageId, agent_name: opt(AgentName) }))
  .output(Schema.Struct({ message_id: Str, acknowledged: Schema.Boolean }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_ack", input.agent_name)
      const mail = yield* DurableMailbox
      yield* mail.ack(agent, input.message_id).pipe(Effect.catchTag("AlreadyAcked", () => Effect.void))
      return { message_id: input.message_id, acknowledged: true }
    })
  )

const wait = tool("Wait for unread mail", READ, "11m")
  .input(Schema.Struct({
    timeout_seconds: opt(Schema.Int.pipe(Schema.between(0, 600))),
    urgent_only: opt(Schema.Boolean),
    agent_name: opt(AgentName)
  }))
  .output(Messages)
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_wait", input.agent_name)
      const mail = yield* DurableMailbox
      const entries = yield* mail.wait(agent, defined({
        timeout: (input.timeout_seconds ?? 30) * 1000,
        urgentOnly: input.urgent_only,
        limit: 5
      }))
      return { messages: entries.map(headerOf) }
    })
  )

const ReservationOut = Schema.Struct({ id: Str, path: Str, exclusive: Schema.Boolean, expires_at: Schema.Number })
const reservationOut = (r: Reservation): typeof ReservationOut.Type => ({
  id: r.id,
  path: r.pattern,
  exclusive: r.exclusive,
  expires_at: r.expiresAt
})
const Released = Schema.Struct({ released: Schema.Number, paths: Schema.Array(Str) })
const releasedOf = (rs: ReadonlyArray<Reservation>) => ({ released: rs.length, paths: rs.map((r) => `${r.agent}:${r.pattern}`) })

const reserve = tool("Reserve files/globs before editing (all or nothing)", WRITE)
  .input(Schema.Struct({
    paths: Schema.Array(Path).pipe(Schema.minItems(1), Schema.maxItems(200)),
    reason: opt(BoundedText(500)),
    exclusive: opt(Schema.Boolean),
    ttl_seconds: opt(Schema.Int.pipe(Schema.between(1, 86_400))),
    force: hidden(Schema.Boolean),
    agent_name: opt(AgentName)
  }))
  .output(Schema.Struct({
    granted: Schema.Array(ReservationOut),
    overridden: Schema.Array(Schema.Struct({ holder: Str, path: Str }))
  }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_reserve", input.agent_name)
      const reservations = yield* FileReservations
      const result = yield* reservations.reserve(agent, input.paths, defined({
        reason: input.reason,
        exclusive: input.exclusive,
        ttl: input.ttl_seconds === undefined ? undefined : input.ttl_seconds * 1000,
        force: input.force
      }))
      return {
        granted: result.granted.map(reservationOut),
        overridden: result.conflicts.map((c) => ({ holder: c.holder, path: c.pattern }))
      }
    })
  )

const release = tool("Release your reservations (default: all)", IDEMPOTENT)
  .input(Schema.Struct({
    paths: opt(Schema.Array(Path).pipe(Schema.minItems(1), Schema.maxItems(200))),
    reservation_ids: opt(Schema.Array(Name(100)).pipe(Schema.minItems(1), Schema.maxItems(1000))),
    agent_name: opt(AgentName)
  }))
  .output(Released)
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "swarmmail_release", input.agent_name)
      const reservations = yield* FileReservations
      const released = input.paths === undefined && input.reservation_ids === undefined
        ? yield* reservations.releaseMine(agent)
        : yield* reservations.release(agent, defined({ paths: input.paths, ids: input.reservation_ids }))
      return releasedOf(released)
    })
  )

const releaseAll = tool("Coordinator: release all reservations", DESTRUCTIVE)
  .input(NoInput)
  .output(Released)
  .handler(() => Effect.map(Effect.flatMap(FileReservations, (r) => r.releaseAll()), releasedOf))

const releaseAgent = tool("Coordinator: release an agent's reservations", DESTRUCTIVE)
  .input(Schema.Struct({ agent_name: AgentName }))
  .output(Released)
  .handler(({ input }) => Effect.map(Effect.flatMap(FileReservations, (r) => r.releaseAgent(input.agent_name)), releasedOf))

const health = tool("Mail health: database, agent, reservations", READ)
  .input(NoInput)
  .output(Schema.Struct({
    healthy: Schema.Boolean,
    database: Str,
    driver: Str,
    project_key: Str,
    agent: Schema.NullOr(Str),
    agents: Schema.Number,
    reservations: Schema.Number
  }))
  .handler(({ ctx }) =>
    Effect.gen(function*() {
      const storage = yield* Storage
      const project = yield* Project
      const agents = yield* Effect.flatMap(Agents, (a) => a.list)
      const live = yield* Effect.flatMap(FileReservations, (r) => r.list())
      yield* storage.query({ sql: "SELECT 1", args: [] })
      return {
        healthy: true,
        database: storage.url,
        driver: storage.driver,
        project_key: project.key,
        agent: (yield* Ref.get(ctx.session.agent)) ?? null,
        agents: agents.length,
        reservations: live.length
      }
    })
  )

/** The mail and reservation tools by name under `swarmmail_`. */
export const mailTools = {
  init,
  send,
  inbox,
  read_message: readMessage,
  ack,
  wait,
  reserve,
  release,
  release_all: releaseAll,
  release_agent: releaseAgent,
  health
}
