/**
 * Durable agent inboxes: mail that survives restarts, shared by every process on the database.
 *
 * Two ways to consume an inbox, over the same per-recipient state:
 * - Mail: `inbox` lists it (newest first), `read` opens a message and marks it read, `ack`
 *   acknowledges it (what `ackRequired` messages ask for), `thread` shows a conversation (oldest
 *   first), `wait` sleeps until unread mail arrives (long-poll, no busy polling).
 * - Queue: `receive` leases the next message to one consumer for a visibility timeout and returns
 *   an opaque receipt; `ack` with that receipt completes it; if nobody acks in time the message is
 *   handed out again (`deliveryCount` grows). Many consumers (fibers or processes) may drain one
 *   inbox: the lease is compare-and-set in one write transaction, so a message is never leased to
 *   two consumers while a lease is live.
 *
 * Semantics:
 * - Inboxes are implicit: any agent name may receive mail; sending to yourself is fine. Repeated
 *   recipients are delivered once. `thread` defaults to the message's own id (a new thread; reply
 *   with `thread: firstMessage.thread`).
 * - Order: "oldest"/"newest" is the order of the log (the `message_sent` position), never the clock.
 *   `receive` hands out urgent > high > normal > low, then the oldest first. `urgentOnly` keeps
 *   `high` and `urgent` messages.
 * - A message is pending for a recipient until that recipient acks it. Receiving, reading and
 *   acking all mark it read (`readAt` is the first of them). Reading does not remove it from the
 *   queue; acking does.
 * - `ack` checks, in this order: not in the agent's inbox → `MessageNotFound`; already acknowledged
 *   → `AlreadyAcked` (whoever did it: a consumer whose lease ran out learns that the work is done);
 *   with a receipt that is not the message's live lease (another receipt, or expired even if nobody
 *   took the message since) → `LeaseLost`, so that a late consumer never completes work that may
 *   now be someone else's. `ack(agent, id)` without a receipt is the recipient acknowledging by hand
 *   (after `inbox`/`read`): allowed for any message, leased or not, and it ends any lease.
 * - `inbox` lists every delivery, read and acknowledged ones too, with their state; a lease never
 *   hides a message there.
 * - `wait` returns at once if unread mail matches, else as soon as some arrives (change ticks from
 *   this and other processes), else an empty list when the timeout passes. It does not mark
 *   anything read. `receive` with `wait` long-polls the same way, and also wakes when a lease in the
 *   inbox expires.
 * - Message ids (`msg_…`: a random per-instance prefix and a counter, so that one process's
 *   inserts stay together in the key order) and receipts (`rcpt_…`, 120 random bits) are made
 *   before the transaction, unique across processes without coordination, never from the clock.
 * - Every input is decoded at the boundary (`InvalidInput` with field paths; nothing written):
 *   names and thread ids 1..200 characters, subject 1..200, body up to 64 KiB of UTF-8 (may be
 *   empty), 1..100 recipients, no NUL anywhere.
 */
import { Clock, Context, Duration, Effect, Layer, Option, Queue } from "effect"
import type { Duration as DurationType } from "effect"
import { AlreadyAcked, LeaseLost, MessageNotFound } from "./Errors.js"
import type { InvalidInput, MigrationError, StorageError } from "./Errors.js"
import { EventStore } from "./EventStore.js"
import type { EventInput } from "./Event.js"
import { Storage } from "./Storage.js"
import { decoderFor } from "./internal/decode.js"
import { MessageAcked, MessageLeased, MessageRead, MessageSent, streamOf } from "./internal/mailbox/events.js"
import type { Importance } from "./internal/mailbox/events.js"
import { AckArgs, InboxArgs, ReadArgs, ReceiveArgs, SendInput, ThreadArgs, WaitArgs } from "./internal/mailbox/inputs.js"
import { messageIds, newReceipt } from "./internal/mailbox/ids.js"
import { MailboxModule } from "./internal/mailbox/module.js"
import type {
  AckStateRow,
  DeliveredMessage,
  DeliveryRow,
  InboxEntry,
  MailMessage,
  MessageHeader,
  MessageRow
} from "./internal/mailbox/queries.js"
import {
  ackStateStatement,
  deliveryStatement,
  headStatement,
  listStatement,
  nextDeliverableStatement,
  nextExpiryStatement,
  readStateStatement,
  threadStatement,
  toEntry,
  toMessage,
  toState
} from "./internal/mailbox/queries.js"

export type { Importance as MailImportance } from "./internal/mailbox/events.js"
export type { DeliveredMessage, DeliveryState, InboxEntry, MailMessage, MessageHeader } from "./internal/mailbox/queries.js"
export { MailboxModule } from "./internal/mailbox/module.js"

export interface SendMailInput {
  readonly from: string
  /** 1..100 recipients; repeats are delivered once. */
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly body: string
  /** The conversation; defaults to the new message's id. */
  readonly thread?: string
  /** Default `normal`. */
  readonly importance?: Importance
  /** Asks recipients to `ack` (default false). */
  readonly ackRequired?: boolean
}

export interface ReceiveMailOptions {
  /** How long the message stays leased to this consumer (1 ms .. 12 h). */
  readonly visibilityTimeout: DurationType.DurationInput
  /** Who holds the lease (recorded as the lease owner); defaults to the agent. */
  readonly consumer?: string
  /** Long-poll: wait up to this long for a deliverable message (default: do not wait). */
  readonly wait?: DurationType.DurationInput
}

/** A leased message: `receipt` acks it while the lease lives (until `leaseExpiresAt`). */
export interface ReceivedMessage extends MailMessage {
  readonly receipt: string
  readonly leaseExpiresAt: number
  /** 1 on first delivery, more after leases expired unacknowledged. */
  readonly deliveryCount: number
}

export interface InboxOptions {
  readonly unreadOnly?: boolean
  /** Only `high` and `urgent` messages. */
  readonly urgentOnly?: boolean
  readonly includeBodies?: boolean
  /** 1..1000, default 20. */
  readonly limit?: number
}

export interface WaitForMailOptions {
  /** How long to wait for unread mail (0 .. 24 h); an empty list after that. */
  readonly timeout: DurationType.DurationInput
  readonly urgentOnly?: boolean
  readonly includeBodies?: boolean
  /** 1..1000, default 20. */
  readonly limit?: number
}

export interface MailThreadOptions {
  /** 1..10000, default 1000. */
  readonly limit?: number
}

export interface DurableMailboxService {
  /** Sends one message to every recipient; returns it without the body. */
  readonly send: (message: SendMailInput) => Effect.Effect<MessageHeader, InvalidInput | StorageError>
  /** Leases the agent's next deliverable message to one consumer, or none. */
  readonly receive: (
    agent: string,
    options: ReceiveMailOptions
  ) => Effect.Effect<Option.Option<ReceivedMessage>, InvalidInput | StorageError>
  /** Acknowledges a message: with the receipt of a live lease, or by hand without one. */
  readonly ack: (
    agent: string,
    messageId: string,
    receipt?: string
  ) => Effect.Effect<void, InvalidInput | MessageNotFound | AlreadyAcked | LeaseLost | StorageError>
  /** The agent's messages, newest first. */
  readonly inbox: (agent: string, options?: InboxOptions) => Effect.Effect<ReadonlyArray<InboxEntry>, InvalidInput | StorageError>
  /** Opens a message in the agent's inbox and marks it read. */
  readonly read: (
    agent: string,
    messageId: string
  ) => Effect.Effect<DeliveredMessage, InvalidInput | MessageNotFound | StorageError>
  /** A conversation's messages, oldest first. */
  readonly thread: (thread: string, options?: MailThreadOptions) => Effect.Effect<ReadonlyArray<MailMessage>, InvalidInput | StorageError>
  /** Unread messages (newest first) as soon as there are any, or an empty list after `timeout`. */
  readonly wait: (agent: string, options: WaitForMailOptions) => Effect.Effect<ReadonlyArray<InboxEntry>, InvalidInput | StorageError>
}

/** Distinct names, first occurrence first. */
const distinct = (names: ReadonlyArray<string>): ReadonlyArray<string> => (new Set(names).size === names.length ? names : [...new Set(names)])

/** The longest a waiter sleeps between two looks even without a change tick (in case one was lost). */
const MAX_NAP_MS = 1000

const make = Effect.gen(function*() {
  const eventStore = yield* EventStore
  const storage = yield* Storage
  yield* eventStore.install(MailboxModule)
  const project = eventStore.project
  const nextMessageId = messageIds()

  const decodeSend = decoderFor(SendInput, "DurableMailbox.send")
  const decodeReceive = decoderFor(ReceiveArgs, "DurableMailbox.receive")
  const decodeAck = decoderFor(AckArgs, "DurableMailbox.ack")
  const decodeInbox = decoderFor(InboxArgs, "DurableMailbox.inbox")
  const decodeRead = decoderFor(ReadArgs, "DurableMailbox.read")
  const decodeThread = decoderFor(ThreadArgs, "DurableMailbox.thread")
  const decodeWait = decoderFor(WaitArgs, "DurableMailbox.wait")

  /** Appends inside a unit: the module is installed and payloads are decoded, so the rest are bugs. */
  const append = (tx: { readonly append: typeof eventStore.append }, stream: string, event: EventInput) =>
    tx.append(stream, event).pipe(
      Effect.catchTags({ UnknownEventType: Effect.die, StreamVersionConflict: Effect.die, InvalidInput: Effect.die })
    )

  /** Sleeps until a change tick, `wakeAt`, or at most `MAX_NAP_MS`; false once `deadline` has passed. */
  const nap = (ticks: Queue.Dequeue<void>, deadline: number, wakeAt = Infinity) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (now >= deadline) return Effect.succeed(false)
      const until = Math.min(deadline, wakeAt, now + MAX_NAP_MS)
      return Effect.as(Effect.timeoutOption(Queue.take(ticks), Duration.millis(Math.max(0, until - now))), true)
    })

  const send: DurableMailboxService["send"] = (message) =>
    Effect.gen(function*() {
      const m = yield* decodeSend(message)
      const id = nextMessageId()
      const data = {
        id,
        from: m.from,
        to: distinct(m.to),
        subject: m.subject,
        body: m.body,
        thread: m.thread ?? id,
        importance: m.importance ?? "normal",
        ackRequired: m.ackRequired ?? false
      }
      const result = yield* append(eventStore, streamOf(id), MessageSent.make(data))
      const { body: _, ...header } = data
      return { ...header, sentAt: result.events[0]!.createdAt }
    })

  type Attempt = { readonly leased: Option.Option<ReceivedMessage>; readonly wakeAt: number | undefined }
  const nothing = (wakeAt: number | undefined): Attempt => ({ leased: Option.none(), wakeAt })

  /** One compare-and-set: the next deliverable message, leased with `receipt`, in one transaction. */
  const leaseNext = (agent: string, consumer: string, visibilityMs: number, receipt: string, withExpiry: boolean) =>
    eventStore.transact((tx) =>
      Effect.gen(function*() {
        const row = yield* tx.queryOne<DeliveryRow>(nextDeliverableStatement(project, agent, tx.now))
        if (row === undefined) {
          if (!withExpiry) return nothing(undefined)
          const next = yield* tx.queryOne<{ at: number | null }>(nextExpiryStatement(project, agent, tx.now))
          return nothing(next?.at ?? undefined)
        }
        const expiresAt = tx.now + visibilityMs
        yield* append(tx, streamOf(row.id), MessageLeased.make({ id: row.id, agent, consumer, receipt, expiresAt }))
        const received: ReceivedMessage = {
          ...toMessage(row),
          receipt,
          leaseExpiresAt: expiresAt,
          deliveryCount: row.delivery_count + 1
        }
        const attempt: Attempt = { leased: Option.some(received), wakeAt: undefined }
        return attempt
      })
    )

  const receive: DurableMailboxService["receive"] = (agent, options) =>
    Effect.gen(function*() {
      const { agent: name, options: o } = yield* decodeReceive({ agent, options })
      const receipt = newReceipt()
      const consumer = o.consumer ?? name
      if (o.wait === undefined || o.wait === 0) {
        return (yield* leaseNext(name, consumer, o.visibilityTimeout, receipt, false)).leased
      }
      const waitMs = o.wait
      return yield* Effect.scoped(Effect.gen(function*() {
        const ticks = yield* storage.subscribe
        const deadline = (yield* Clock.currentTimeMillis) + waitMs
        let attempt = yield* leaseNext(name, consumer, o.visibilityTimeout, receipt, true)
        while (Option.isNone(attempt.leased)) {
          // Sleep, then look without the write lock: an idle waiter must not hold up the writers.
          let wakeAt = attempt.wakeAt
          while (true) {
            if (!(yield* nap(ticks, deadline, wakeAt))) return Option.none<ReceivedMessage>()
            const now = yield* Clock.currentTimeMillis
            if ((yield* storage.queryOne(nextDeliverableStatement(project, name, now))) !== undefined) break
            wakeAt = (yield* storage.queryOne<{ at: number | null }>(nextExpiryStatement(project, name, now)))?.at ?? undefined
          }
          // Something looked deliverable; another consumer may still win it.
          attempt = yield* leaseNext(name, consumer, o.visibilityTimeout, receipt, true)
        }
        return attempt.leased
      }))
    })

  const ack: DurableMailboxService["ack"] = (agent, messageId, receipt) =>
    Effect.gen(function*() {
      const a = yield* decodeAck(receipt === undefined ? { agent, messageId } : { agent, messageId, receipt })
      yield* eventStore.transact((tx) =>
        Effect.gen(function*() {
          const row = yield* tx.queryOne<AckStateRow>(ackStateStatement(project, a.agent, a.messageId))
          if (row === undefined) return yield* new MessageNotFound({ messageId: a.messageId, agent: a.agent })
          if (row.acked_at !== null) {
            return yield* new AlreadyAcked({ messageId: a.messageId, agent: a.agent, ackedAt: row.acked_at })
          }
          if (
            a.receipt !== undefined &&
            (row.lease_receipt !== a.receipt || row.lease_expires_at === null || row.lease_expires_at <= tx.now)
          ) {
            return yield* new LeaseLost({ messageId: a.messageId, receipt: a.receipt })
          }
          yield* append(tx, streamOf(a.messageId), MessageAcked.make({ id: a.messageId, agent: a.agent, receipt: a.receipt ?? null }))
        })
      )
    })

  const inbox: DurableMailboxService["inbox"] = (agent, options = {}) =>
    Effect.gen(function*() {
      const { agent: name, options: o } = yield* decodeInbox({ agent, options })
      const rows = yield* storage.query<DeliveryRow>(listStatement(project, name, {
        unreadOnly: o.unreadOnly ?? false,
        urgentOnly: o.urgentOnly ?? false,
        includeBodies: o.includeBodies ?? false,
        limit: o.limit ?? 20,
        after: 0
      }))
      return rows.map(toEntry)
    })

  const read: DurableMailboxService["read"] = (agent, messageId) =>
    Effect.gen(function*() {
      const a = yield* decodeRead({ agent, messageId })
      const row = yield* storage.queryOne<DeliveryRow>(deliveryStatement(project, a.agent, a.messageId))
      if (row === undefined) return yield* new MessageNotFound({ messageId: a.messageId, agent: a.agent })
      const message: DeliveredMessage = { ...toMessage(row), ...toState(row) }
      if (row.read_at !== null) return message
      // Unread when we looked: record the first read (unless another reader just did).
      const readAt = yield* eventStore.transact((tx) =>
        Effect.gen(function*() {
          const current = yield* tx.queryOne<{ read_at: number | null }>(readStateStatement(project, a.agent, row.position))
          if (current?.read_at != null) return current.read_at
          yield* append(tx, streamOf(a.messageId), MessageRead.make({ id: a.messageId, agent: a.agent }))
          return tx.now
        })
      )
      return { ...message, readAt }
    })

  const thread: DurableMailboxService["thread"] = (threadId, options = {}) =>
    Effect.gen(function*() {
      const { thread: id, options: o } = yield* decodeThread({ thread: threadId, options })
      const rows = yield* storage.query<MessageRow>(threadStatement(project, id, o.limit ?? 1000))
      return rows.map(toMessage)
    })

  const wait: DurableMailboxService["wait"] = (agent, options) =>
    Effect.gen(function*() {
      const { agent: name, options: o } = yield* decodeWait({ agent, options })
      const query = (after: number) =>
        Effect.map(
          storage.query<DeliveryRow>(listStatement(project, name, {
            unreadOnly: true,
            urgentOnly: o.urgentOnly ?? false,
            includeBodies: o.includeBodies ?? false,
            limit: o.limit ?? 20,
            after
          })),
          (rows) => rows.map(toEntry)
        )
      return yield* Effect.scoped(Effect.gen(function*() {
        // Subscribe before the first look, so that no delivery between the look and the wait is missed.
        const ticks = yield* storage.subscribe
        const deadline = (yield* Clock.currentTimeMillis) + o.timeout
        const head = yield* storage.queryOne<{ head: number }>(headStatement(project, name))
        const first = yield* query(0)
        if (first.length > 0) return first
        // Nothing unread up to `head`, and reads are never undone: only newer deliveries can match.
        const after = head?.head ?? 0
        while (yield* nap(ticks, deadline)) {
          const found = yield* query(after)
          if (found.length > 0) return found
        }
        return []
      }))
    })

  return { send, receive, ack, inbox, read, thread, wait } satisfies DurableMailboxService
})

export class DurableMailbox extends Context.Tag("@waggle/primitives/DurableMailbox")<DurableMailbox, DurableMailboxService>() {
  /**
   * The mailbox on the project's event store; installs its module (migrations, events, projection).
   * It also needs `Storage`: listings read committed data without taking the write lock, and waiters
   * subscribe to its change ticks.
   */
  static readonly layer: Layer.Layer<DurableMailbox, MigrationError | StorageError, EventStore | Storage> = Layer.effect(
    DurableMailbox,
    make
  )
}
