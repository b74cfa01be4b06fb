/**
 * Events → `mail_messages` and `mail_deliveries`. Handlers use only the event (its data, position
 * and `createdAt`) and existing rows, so a rebuild reproduces the tables exactly.
 */
import * as Projection from "../../Projection.js"
import { placeholders, sql, statement } from "../../Sql.js"
import type { SqlValue, Statement } from "../../Sql.js"
import { importanceRank, MessageAcked, MessageLeased, MessageRead, MessageSent } from "./events.js"

/** Selects one delivery: the recipient's row for the message with this id. */
const DELIVERY = "project = ?1 AND recipient = ?2 AND position = (SELECT position FROM mail_messages WHERE project = ?1 AND id = ?3)"

const insertDeliveries = (count: number): string =>
  `INSERT INTO mail_deliveries (project, recipient, position, message_id, rank, delivery_count) VALUES ${
    Array.from({ length: count }, () => `(${placeholders(5)}, 0)`).join(", ")
  } ON CONFLICT DO NOTHING`
const deliveryInserts = new Map<number, string>()

const deliveries = (project: string, to: ReadonlyArray<string>, position: number, id: string, rank: number): Statement => {
  let text = deliveryInserts.get(to.length)
  if (text === undefined) {
    text = insertDeliveries(to.length)
    deliveryInserts.set(to.length, text)
  }
  const args: Array<SqlValue> = []
  for (const recipient of to) args.push(project, recipient, position, id, rank)
  return statement(text, args)
}

const READ = `UPDATE mail_deliveries SET read_at = coalesce(read_at, ?4) WHERE ${DELIVERY}`
const LEASE = `UPDATE mail_deliveries
  SET lease_owner = ?4, lease_receipt = ?5, lease_expires_at = ?6, delivery_count = delivery_count + 1,
      read_at = coalesce(read_at, ?7)
  WHERE ${DELIVERY}`
const ACK = `UPDATE mail_deliveries
  SET acked_at = ?4, read_at = coalesce(read_at, ?4), lease_owner = NULL, lease_receipt = NULL, lease_expires_at = NULL
  WHERE ${DELIVERY}`

export const mailboxProjection = Projection.make("mailbox", ["mail_messages", "mail_deliveries"])
  .on(MessageSent, (e) => [
    sql`INSERT INTO mail_messages (project, id, position, sender, recipients, subject, body, thread, importance, ack_required, sent_at)
        VALUES (${e.project}, ${e.data.id}, ${e.position}, ${e.data.from}, ${JSON.stringify(e.data.to)}, ${e.data.subject},
                ${e.data.body}, ${e.data.thread}, ${e.data.importance}, ${e.data.ackRequired ? 1 : 0}, ${e.createdAt})`,
    deliveries(e.project, e.data.to, e.position, e.data.id, importanceRank[e.data.importance])
  ])
  .on(MessageRead, (e) => [statement(READ, [e.project, e.data.agent, e.data.id, e.createdAt])])
  .on(MessageLeased, (e) => [
    statement(LEASE, [e.project, e.data.agent, e.data.id, e.data.consumer, e.data.receipt, e.data.expiresAt, e.createdAt])
  ])
  .on(MessageAcked, (e) => [statement(ACK, [e.project, e.data.agent, e.data.id, e.createdAt])])
