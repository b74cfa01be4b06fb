/**
 * Four processes drain one inbox on one database file with receive → ack. Every message must be
 * acknowledged exactly once overall (by the workers' own reports, by the deliveries table and by
 * the log), none lost; messages a consumer abandons come back after their lease to someone else.
 * The visibility timeout is short (500 ms) so that, on a loaded machine, some leases also expire
 * while their consumer is still working: its late ack must then be refused.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableMailbox, EventStore, Storage, sql } from "@waggle/primitives"
import { primitivesLayer, startWorker, tempDir } from "@waggle/test-support"

const worker = fileURLToPath(new URL("../workers/mailboxReceiver.ts", import.meta.url))
const PROCESSES = 4
const MESSAGES = 400
const AGENT = "build-queue"
/** Every 40th message is abandoned on its first delivery. */
const ABANDONED = Array.from({ length: MESSAGES / 40 }, (_, i) => `job-${i * 40}`)

interface Report {
  readonly workerId: string
  readonly acked: ReadonlyArray<string>
  readonly received: number
  readonly abandoned: number
  readonly lost: number
}

describe.each(["native", "client"] as const)("mailbox drained by %s-driver processes", (driver) => {
  it.scoped("every message is acknowledged exactly once; abandoned ones are redelivered", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "mail.db")}`
      const project = "mailbox-drain"
      const layer = Layer.provideMerge(DurableMailbox.layer, primitivesLayer({ url, project }))
      const sent = yield* Effect.gen(function*() {
        const mailbox = yield* DurableMailbox
        return yield* Effect.forEach(
          Array.from({ length: MESSAGES }, (_, i) => i),
          (i) => mailbox.send({ from: `producer-${i % 3}`, to: [AGENT], subject: `job-${i}`, body: `payload ${i}`, importance: i % 7 === 0 ? "high" : "normal" }),
          { concurrency: 8 }
        )
      }).pipe(Effect.provide(layer))

      const workers = Array.from({ length: PROCESSES }, (_, w) =>
        startWorker(worker, [url, project, `w${w}`, AGENT, "500", driver, ABANDONED.join(",")]))
      yield* Effect.addFinalizer(() => Effect.sync(() => workers.forEach((w) => w.kill("SIGKILL"))))
      yield* Effect.promise(() => Promise.all(workers.map((w) => w.waitFor((m) => m.ready !== undefined, 120_000))))
      // One message wakes all four (each sleeps in `wait` on its own control inbox).
      yield* Effect.flatMap(DurableMailbox, (mailbox) =>
        mailbox.send({ from: "test", to: workers.map((_, w) => `control-w${w}`), subject: "go", body: "" })).pipe(Effect.provide(layer))
      const results = yield* Effect.promise(() => Promise.all(workers.map((w) => w.exited)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)
      const reports = results.map((r) => r.messages.find((m) => (m as Partial<Report>).acked !== undefined) as Report)
      const acked = reports.flatMap((r) => r.acked)
      expect(acked).toHaveLength(MESSAGES)
      expect(new Set(acked)).toEqual(new Set(sent.map((m) => m.id)))
      expect(reports.reduce((n, r) => n + r.abandoned, 0)).toBe(ABANDONED.length)

      const stored = yield* Effect.gen(function*() {
        const storage = yield* Storage
        const store = yield* EventStore
        const deliveries = yield* storage.query<{ message_id: string; acked_at: number | null; delivery_count: number }>(
          sql`SELECT message_id, acked_at, delivery_count FROM mail_deliveries WHERE project = ${store.project} AND recipient = ${AGENT}`
        )
        const ackEvents = yield* store.readAll({ types: ["message_acked"], limit: 10_000 })
        const leaseEvents = yield* store.readAll({ types: ["message_leased"], limit: 10_000 })
        return { deliveries, ackEvents, leaseEvents }
      }).pipe(Effect.provide(layer))

      expect(stored.deliveries).toHaveLength(MESSAGES)
      expect(stored.deliveries.every((d) => d.acked_at !== null)).toBe(true)
      expect(stored.ackEvents.map((e) => (e.data as { id: string }).id).sort()).toEqual([...acked].sort())
      // every receive a worker reported is one lease in the log and one delivery counted
      const received = reports.reduce((n, r) => n + r.received, 0)
      expect(stored.leaseEvents).toHaveLength(received)
      expect(stored.deliveries.reduce((n, d) => n + d.delivery_count, 0)).toBe(received)
      // From the log: a message is never leased again while a lease on it lives, and every ack
      // with a receipt came from the live lease.
      type Lease = { id: string; receipt: string; expiresAt: number }
      const events = [...stored.leaseEvents, ...stored.ackEvents].sort((a, b) => a.position - b.position)
      const live = new Map<string, Lease>()
      for (const e of events) {
        const data = e.data as Lease & { receipt: string | null }
        const current = live.get(data.id)
        if (e.type === "message_leased") {
          if (current !== undefined) expect(e.createdAt).toBeGreaterThanOrEqual(current.expiresAt)
          live.set(data.id, data)
        } else {
          expect(data.receipt).toBe(current?.receipt)
          expect(e.createdAt).toBeLessThan(current!.expiresAt)
        }
      }
      const bySubject = new Map(sent.map((m) => [m.id, m.subject]))
      for (const d of stored.deliveries) {
        if (ABANDONED.includes(bySubject.get(d.message_id)!)) expect(d.delivery_count).toBeGreaterThanOrEqual(2)
      }
      // the work was shared: more than one process acknowledged messages
      expect(reports.filter((r) => r.acked.length > 0).length).toBeGreaterThan(1)
    }), 180_000)
})
