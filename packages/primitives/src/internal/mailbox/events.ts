/**
 * The mailbox's events. Every message lives in its own stream (`mail:<id>`): it is sent once, then
 * each recipient's reads, leases and acknowledgements follow in that stream. Payloads are checked
 * at the service boundary with the stricter input schemas; these schemas describe what is stored.
 */
import { Schema } from "effect"
import * as Event from "../../Event.js"

/** How much a message matters; `receive` hands out urgent before high before normal before low. */
export const Importance = Schema.Literal("low", "normal", "high", "urgent")
export type Importance = typeof Importance.Type

/** The integer stored for ordering: higher is delivered first. */
export const importanceRank: Readonly<Record<Importance, number>> = { low: 0, normal: 1, high: 2, urgent: 3 }

export const streamOf = (messageId: string): string => `mail:${messageId}`

export const MessageSent = Event.define("message_sent", {
  id: Schema.String,
  from: Schema.String,
  /** Distinct recipients, in the order the sender gave them. */
  to: Schema.Array(Schema.String),
  subject: Schema.String,
  body: Schema.String,
  thread: Schema.String,
  importance: Importance,
  ackRequired: Schema.Boolean
})

/** A recipient opened the message (`read`); only the first read is recorded. */
export const MessageRead = Event.define("message_read", {
  id: Schema.String,
  agent: Schema.String
})

/** `receive` leased the message to one consumer of the recipient's inbox until `expiresAt`. */
export const MessageLeased = Event.define("message_leased", {
  id: Schema.String,
  agent: Schema.String,
  consumer: Schema.String,
  receipt: Schema.String,
  expiresAt: Schema.Number
})

/** The recipient acknowledged the message, with the receipt of a live lease or without one. */
export const MessageAcked = Event.define("message_acked", {
  id: Schema.String,
  agent: Schema.String,
  receipt: Schema.NullOr(Schema.String)
})
