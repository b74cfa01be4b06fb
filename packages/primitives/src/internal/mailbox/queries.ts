/** The mailbox's reads: SQL over the projections and the rows turned into the public shapes. */
import { sql, statement } from "../../Sql.js"
import type { SqlValue, Statement } from "../../Sql.js"
import type { Importance } from "./events.js"
import { importanceRank } from "./events.js"

/** A message without its body. */
export interface MessageHeader {
  readonly id: string
  readonly from: string
  /** The distinct recipients, in the order the sender gave them. */
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly thread: string
  readonly importance: Importance
  readonly ackRequired: boolean
  /** Milliseconds since the epoch, from the sending process's clock. */
  readonly sentAt: number
}

export interface MailMessage extends MessageHeader {
  readonly body: string
}

/** One recipient's state of a message. */
export interface DeliveryState {
  /** When the recipient first read, received or acknowledged it; `null` while unread. */
  readonly readAt: number | null
  readonly ackedAt: number | null
  /** How many times `receive` has leased it. */
  readonly deliveryCount: number
}

/** A message in an inbox listing; `body` only with `includeBodies`. */
export interface InboxEntry extends MessageHeader, DeliveryState {
  readonly body?: string
}

/** A message opened with `read`: the body and the recipient's state. */
export interface DeliveredMessage extends MailMessage, DeliveryState {}

export interface MessageRow {
  readonly id: string
  readonly sender: string
  readonly recipients: string
  readonly subject: string
  readonly body?: string
  readonly thread: string
  readonly importance: Importance
  readonly ack_required: number
  readonly sent_at: number
}

export interface DeliveryRow extends MessageRow {
  readonly position: number
  readonly read_at: number | null
  readonly acked_at: number | null
  readonly delivery_count: number
}

export interface AckStateRow {
  readonly acked_at: number | null
  readonly lease_receipt: string | null
  readonly lease_expires_at: number | null
}

const HEADER = "m.id, m.sender, m.recipients, m.subject, m.thread, m.importance, m.ack_required, m.sent_at"
const STATE = "d.position, d.read_at, d.acked_at, d.delivery_count"
const JOIN = "mail_deliveries d JOIN mail_messages m ON m.project = d.project AND m.id = d.message_id"

export const toHeader = (row: MessageRow): MessageHeader => ({
  id: row.id,
  from: row.sender,
  to: JSON.parse(row.recipients) as ReadonlyArray<string>,
  subject: row.subject,
  thread: row.thread,
  importance: row.importance,
  ackRequired: row.ack_required === 1,
  sentAt: row.sent_at
})

export const toMessage = (row: MessageRow): MailMessage => ({ ...toHeader(row), body: row.body ?? "" })

export const toState = (row: DeliveryRow): DeliveryState => ({
  readAt: row.read_at,
  ackedAt: row.acked_at,
  deliveryCount: row.delivery_count
})

export const toEntry = (row: DeliveryRow): InboxEntry =>
  row.body === undefined ? { ...toHeader(row), ...toState(row) } : { ...toHeader(row), body: row.body, ...toState(row) }

export interface ListQuery {
  readonly unreadOnly: boolean
  readonly urgentOnly: boolean
  readonly includeBodies: boolean
  readonly limit: number
  /** Only deliveries after this position (exclusive). */
  readonly after: number
}

/** The recipient's deliveries, newest first (walks the primary key backwards). */
export const listStatement = (project: string, agent: string, q: ListQuery): Statement => {
  const where = ["d.project = ?", "d.recipient = ?", "d.position > ?"]
  const args: Array<SqlValue> = [project, agent, q.after]
  if (q.unreadOnly) where.push("d.read_at IS NULL")
  if (q.urgentOnly) {
    where.push("d.rank >= ?")
    args.push(importanceRank.high)
  }
  args.push(q.limit)
  return statement(
    `SELECT ${HEADER}, ${q.includeBodies ? "m.body, " : ""}${STATE} FROM ${JOIN}
     WHERE ${where.join(" AND ")} ORDER BY d.position DESC LIMIT ?`,
    args
  )
}

/** The recipient's latest delivery position (0 for an empty inbox). */
export const headStatement = (project: string, agent: string): Statement =>
  sql`SELECT position AS head FROM mail_deliveries WHERE project = ${project} AND recipient = ${agent}
      ORDER BY position DESC LIMIT 1`

/**
 * The next message `receive` hands out: not acknowledged, no live lease; urgent first, then the
 * oldest. Walks the partial index of unacknowledged deliveries in that order.
 */
export const nextDeliverableStatement = (project: string, agent: string, now: number): Statement =>
  sql`SELECT m.id, m.sender, m.recipients, m.subject, m.body, m.thread, m.importance, m.ack_required, m.sent_at,
             d.position, d.read_at, d.acked_at, d.delivery_count
      FROM mail_deliveries d JOIN mail_messages m ON m.project = d.project AND m.id = d.message_id
      WHERE d.project = ${project} AND d.recipient = ${agent} AND d.acked_at IS NULL
        AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= ${now})
      ORDER BY d.rank DESC, d.position LIMIT 1`

/** When the recipient's next live lease expires (`null` when none is live). */
export const nextExpiryStatement = (project: string, agent: string, now: number): Statement =>
  sql`SELECT min(lease_expires_at) AS at FROM mail_deliveries INDEXED BY mail_deliveries_queue
      WHERE project = ${project} AND recipient = ${agent} AND acked_at IS NULL AND lease_expires_at > ${now}`

/** One recipient's delivery of one message, with the message and its body. */
export const deliveryStatement = (project: string, agent: string, id: string): Statement =>
  sql`SELECT m.id, m.sender, m.recipients, m.subject, m.body, m.thread, m.importance, m.ack_required, m.sent_at,
             d.position, d.read_at, d.acked_at, d.delivery_count
      FROM mail_messages m JOIN mail_deliveries d ON d.project = m.project AND d.recipient = ${agent} AND d.position = m.position
      WHERE m.project = ${project} AND m.id = ${id}`

/** What `ack` decides on: the delivery's acknowledgement and lease. */
export const ackStateStatement = (project: string, agent: string, id: string): Statement =>
  sql`SELECT d.acked_at, d.lease_receipt, d.lease_expires_at
      FROM mail_messages m JOIN mail_deliveries d ON d.project = m.project AND d.recipient = ${agent} AND d.position = m.position
      WHERE m.project = ${project} AND m.id = ${id}`

/** Whether the recipient has read the message (by its delivery's key). */
export const readStateStatement = (project: string, agent: string, position: number): Statement =>
  sql`SELECT read_at FROM mail_deliveries WHERE project = ${project} AND recipient = ${agent} AND position = ${position}`

/** A thread's messages, oldest first. */
export const threadStatement = (project: string, thread: string, limit: number): Statement =>
  sql`SELECT id, sender, recipients, subject, body, thread, importance, ack_required, sent_at FROM mail_messages
      WHERE project = ${project} AND thread = ${thread} ORDER BY position LIMIT ${limit}`
