/**
 * Message ids and lease receipts, made by the caller before its transaction (a unit may be retried,
 * so nothing random happens inside it) and never from the clock.
 *
 * - Receipts are capabilities (they complete a lease), so each is 120 fresh random bits.
 * - Message ids only need to be unique. Each mailbox instance draws a random 72-bit prefix once and
 *   counts after it: ids from one process then sort together, so that inserts into the key-ordered
 *   tables (`mail_messages`, the log's stream index) append to the same few pages instead of landing
 *   on a random page each time. Two instances share a prefix with probability 2^-72.
 */
import { randomFillSync } from "node:crypto"

const pool = Buffer.alloc(4096)
let offset = pool.length

/** `bytes` random bytes as base64url, from a pooled buffer refilled by the CSPRNG. */
export const randomText = (bytes: number): string => {
  if (offset + bytes > pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const text = pool.toString("base64url", offset, offset + bytes)
  offset += bytes
  return text
}

export const newReceipt = (): string => `rcpt_${randomText(15)}`

/** A generator of message ids: `msg_` + this instance's random prefix + a fixed-width counter. */
export const messageIds = (): (() => string) => {
  const prefix = `msg_${randomText(9)}`
  let next = 0
  return () => `${prefix}${(next++).toString(36).padStart(8, "0")}`
}
