import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { DurableMailbox, EventStore, Storage, sql } from "@waggle/primitives"
import type { SendMailInput, StorageOptions } from "@waggle/primitives"
import { backends } from "@waggle/test-support"

const mail = (overrides: Partial<SendMailInput> & Pick<SendMailInput, "to">): SendMailInput => ({
  from: "alice",
  subject: "hello",
  body: "body",
  ...overrides
})

/** Every mailbox row of this project and the log head: equal dumps mean an unchanged database. */
const dump = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const messages = yield* storage.query(sql`SELECT * FROM mail_messages WHERE project = ${store.project} ORDER BY id`)
  const deliveries = yield* storage.query(
    sql`SELECT * FROM mail_deliveries WHERE project = ${store.project} ORDER BY recipient, position`
  )
  return { messages, deliveries, head: yield* store.head }
})

/**
 * Until a forked waiter is asleep: its nap (at most 1 s between looks) shows up among the
 * TestClock's pending sleeps. Lets a test prove that new mail, not the clock, woke it.
 */
const asleep = Effect.gen(function*() {
  const napUntil = (yield* TestClock.currentTimeMillis) + 1000
  while (!Chunk.some(yield* TestClock.sleeps(), (t) => t === napUntil)) {
    yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
  }
})

const idsOf = (list: ReadonlyArray<{ readonly id: string }>) => list.map((m) => m.id)
const leased = <A>(o: Option.Option<A>): A => Option.getOrThrowWith(o, () => new Error("expected a leased message"))

describe.each(backends)("DurableMailbox on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, DurableMailbox | EventStore | Storage>, options: Partial<StorageOptions> = {}) =>
    effect.pipe(Effect.provide(Layer.provideMerge(DurableMailbox.layer, Layer.provideMerge(EventStore.layer, backend.layer(options)))))
  /**
   * For tests that move the TestClock far while someone waits: the cross-process change poller
   * would otherwise step through every poll interval. Waking here comes from local commits.
   */
  const slowPoll = { pollIntervalMs: 60_000 }

  it.scoped("send delivers to every recipient once; inbox lists newest first, bodies on request", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const first = yield* mailbox.send(mail({ to: ["bob", "carol", "bob"], subject: "one", body: "first body" }))
      expect(first).toMatchObject({ from: "alice", to: ["bob", "carol"], subject: "one", importance: "normal", ackRequired: false })
      expect(first.id).toMatch(/^msg_/)
      expect(first.thread).toBe(first.id)
      expect(first).not.toHaveProperty("body")
      const second = yield* mailbox.send(mail({ to: ["bob"], subject: "two", importance: "urgent", ackRequired: true }))
      const toSelf = yield* mailbox.send(mail({ from: "bob", to: ["bob"], subject: "note to self" }))

      const bob = yield* mailbox.inbox("bob")
      expect(idsOf(bob)).toEqual([toSelf.id, second.id, first.id])
      expect(bob[1]).toMatchObject({ subject: "two", importance: "urgent", ackRequired: true, readAt: null, ackedAt: null, deliveryCount: 0 })
      expect(bob.every((m) => !("body" in m))).toBe(true)
      const withBodies = yield* mailbox.inbox("bob", { includeBodies: true, limit: 2 })
      expect(withBodies.map((m) => m.body)).toEqual(["body", "body"])
      expect(idsOf(yield* mailbox.inbox("carol", { includeBodies: true }))).toEqual([first.id])
      expect((yield* mailbox.inbox("carol", { includeBodies: true }))[0]?.body).toBe("first body")
      // Inboxes are implicit: nobody sent alice anything, and an unknown agent simply has none.
      expect(yield* mailbox.inbox("alice")).toEqual([])
      expect(yield* mailbox.inbox("nobody-yet")).toEqual([])
    })))

  it.scoped("read returns the message and marks it read once, for that recipient only", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const store = yield* EventStore
      const m = yield* mailbox.send(mail({ to: ["bob", "carol"], body: "read me" }))
      yield* TestClock.adjust("5 seconds")
      const opened = yield* mailbox.read("bob", m.id)
      expect(opened).toMatchObject({ id: m.id, body: "read me", readAt: 5000, ackedAt: null })
      yield* TestClock.adjust("5 seconds")
      const head = yield* store.head
      expect((yield* mailbox.read("bob", m.id)).readAt).toBe(5000)
      expect(yield* store.head).toBe(head) // a second read records nothing
      expect((yield* mailbox.inbox("bob"))[0]?.readAt).toBe(5000)
      expect((yield* mailbox.inbox("carol"))[0]?.readAt).toBeNull()
      expect(yield* Effect.flip(mailbox.read("dave", m.id))).toMatchObject({ _tag: "MessageNotFound", agent: "dave", messageId: m.id })
      expect(yield* Effect.flip(mailbox.read("bob", "msg_nope"))).toMatchObject({ _tag: "MessageNotFound" })
      // the sender is not a recipient of her own message
      expect((yield* Effect.flip(mailbox.read("alice", m.id)))._tag).toBe("MessageNotFound")
    })))

  it.scoped("inbox filters: unread only, urgent only (high and urgent), limit", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const sent = []
      for (const importance of ["low", "normal", "high", "urgent", "normal", "urgent"] as const) {
        sent.push(yield* mailbox.send(mail({ to: ["bob"], subject: importance, importance })))
      }
      yield* mailbox.read("bob", sent[5]!.id)
      yield* mailbox.read("bob", sent[1]!.id)
      expect(idsOf(yield* mailbox.inbox("bob", { unreadOnly: true }))).toEqual([sent[4], sent[3], sent[2], sent[0]].map((m) => m!.id))
      expect(idsOf(yield* mailbox.inbox("bob", { urgentOnly: true }))).toEqual([sent[5], sent[3], sent[2]].map((m) => m!.id))
      expect(idsOf(yield* mailbox.inbox("bob", { urgentOnly: true, unreadOnly: true }))).toEqual([sent[3], sent[2]].map((m) => m!.id))
      expect(idsOf(yield* mailbox.inbox("bob", { limit: 2 }))).toEqual([sent[5], sent[4]].map((m) => m!.id))
    })))

  it.scoped("a thread lists its messages oldest first, whoever sent them", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const opening = yield* mailbox.send(mail({ to: ["bob"], subject: "plan", body: "step 1" }))
      yield* mailbox.send(mail({ to: ["bob"], subject: "unrelated" }))
      const reply = yield* mailbox.send(mail({ from: "bob", to: ["alice"], subject: "re: plan", body: "ok", thread: opening.thread }))
      const named = yield* mailbox.send(mail({ to: ["carol"], subject: "kick-off", thread: "release-1.0" }))
      const again = yield* mailbox.send(mail({ from: "carol", to: ["alice"], subject: "re: kick-off", thread: "release-1.0" }))
      const plan = yield* mailbox.thread(opening.thread)
      expect(plan.map((m) => [m.id, m.from, m.body])).toEqual([[opening.id, "alice", "step 1"], [reply.id, "bob", "ok"]])
      expect(idsOf(yield* mailbox.thread("release-1.0"))).toEqual([named.id, again.id])
      expect(idsOf(yield* mailbox.thread("release-1.0", { limit: 1 }))).toEqual([named.id])
      expect(yield* mailbox.thread("no-such-thread")).toEqual([])
    })))

  it.scoped("receive leases by importance, then oldest; a live lease is never handed out twice", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const low = yield* mailbox.send(mail({ to: ["bob"], importance: "low" }))
      const normal1 = yield* mailbox.send(mail({ to: ["bob"] }))
      const urgent = yield* mailbox.send(mail({ to: ["bob"], importance: "urgent" }))
      const normal2 = yield* mailbox.send(mail({ to: ["bob"], importance: "normal" }))
      const high = yield* mailbox.send(mail({ to: ["bob"], importance: "high" }))
      yield* mailbox.send(mail({ to: ["carol"], importance: "urgent" }))
      const order = []
      for (let i = 0; i < 5; i++) order.push(leased(yield* mailbox.receive("bob", { visibilityTimeout: "1 minute", consumer: `w${i}` })))
      expect(idsOf(order)).toEqual(idsOf([urgent, high, normal1, normal2, low]))
      expect(order[0]).toMatchObject({ body: "body", deliveryCount: 1, leaseExpiresAt: 60_000 })
      expect(new Set(order.map((r) => r.receipt)).size).toBe(5)
      expect(yield* mailbox.receive("bob", { visibilityTimeout: "1 minute" })).toEqual(Option.none())
      // receiving counts as reading
      expect((yield* mailbox.inbox("bob", { unreadOnly: true }))).toEqual([])
      expect((yield* mailbox.inbox("bob")).every((m) => m.readAt === 0 && m.deliveryCount === 1)).toBe(true)
      const { deliveries } = yield* dump
      expect(deliveries.filter((d) => d["recipient"] === "bob").map((d) => d["lease_owner"]).sort()).toEqual(["w0", "w1", "w2", "w3", "w4"])
    })))

  it.scoped("concurrent consumers draining one inbox never share a message", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const sent = yield* Effect.forEach(Array.from({ length: 40 }, (_, i) => i), (i) =>
        mailbox.send(mail({ to: ["queue"], subject: `job ${i}`, importance: i % 5 === 0 ? "high" : "normal" })))
      const drain = (consumer: string) =>
        Effect.gen(function*() {
          const got: Array<string> = []
          while (true) {
            const next = yield* mailbox.receive("queue", { visibilityTimeout: "10 minutes", consumer })
            if (Option.isNone(next)) return got
            got.push(next.value.id)
            yield* mailbox.ack("queue", next.value.id, next.value.receipt)
          }
        })
      const results = yield* Effect.forEach(["a", "b", "c", "d", "e", "f"], drain, { concurrency: "unbounded" })
      const all = results.flat()
      expect(all).toHaveLength(40)
      expect(new Set(all)).toEqual(new Set(idsOf(sent)))
      const { deliveries } = yield* dump
      expect(deliveries.every((d) => d["acked_at"] !== null && d["delivery_count"] === 1)).toBe(true)
    })))

  it.scoped("an unacknowledged message is redelivered after its visibility timeout; the old receipt is dead", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const m = yield* mailbox.send(mail({ to: ["bob"] }))
      const first = leased(yield* mailbox.receive("bob", { visibilityTimeout: "30 seconds", consumer: "w1" }))
      yield* TestClock.adjust("29 seconds")
      expect(yield* mailbox.receive("bob", { visibilityTimeout: "30 seconds", consumer: "w2" })).toEqual(Option.none())
      yield* TestClock.adjust("1 second")
      const second = leased(yield* mailbox.receive("bob", { visibilityTimeout: "30 seconds", consumer: "w2" }))
      expect(second).toMatchObject({ id: m.id, deliveryCount: 2, leaseExpiresAt: 60_000 })
      expect(second.receipt).not.toBe(first.receipt)
      expect(yield* Effect.flip(mailbox.ack("bob", m.id, first.receipt))).toMatchObject({ _tag: "LeaseLost", messageId: m.id, receipt: first.receipt })
      yield* mailbox.ack("bob", m.id, second.receipt)
      // once done, the late consumer learns that rather than a lost lease
      expect(yield* Effect.flip(mailbox.ack("bob", m.id, first.receipt))).toMatchObject({ _tag: "AlreadyAcked", ackedAt: 30_000 })
      yield* TestClock.adjust("1 minute")
      expect(yield* mailbox.receive("bob", { visibilityTimeout: "30 seconds" })).toEqual(Option.none())
      expect((yield* mailbox.inbox("bob"))[0]).toMatchObject({ ackedAt: 30_000, deliveryCount: 2, readAt: 0 })
    })))

  it.scoped("ack: receipts must be live; by hand without one; twice is AlreadyAcked; per recipient", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const m = yield* mailbox.send(mail({ to: ["bob", "carol"], ackRequired: true }))
      // by hand, after reading it
      yield* mailbox.read("bob", m.id)
      yield* TestClock.adjust("1 second")
      yield* mailbox.ack("bob", m.id)
      expect(yield* Effect.flip(mailbox.ack("bob", m.id))).toMatchObject({ _tag: "AlreadyAcked", agent: "bob", ackedAt: 1000 })
      expect((yield* mailbox.inbox("carol"))[0]).toMatchObject({ ackedAt: null, readAt: null })
      // a receipt that was never issued, and one whose lease expired though nobody took the message
      const lease = leased(yield* mailbox.receive("carol", { visibilityTimeout: "10 seconds" }))
      expect((yield* Effect.flip(mailbox.ack("carol", m.id, "rcpt_forged")))._tag).toBe("LeaseLost")
      yield* TestClock.adjust("10 seconds")
      expect((yield* Effect.flip(mailbox.ack("carol", m.id, lease.receipt)))._tag).toBe("LeaseLost")
      // acking by hand ends a live lease: the lease holder then finds it done
      const again = leased(yield* mailbox.receive("carol", { visibilityTimeout: "10 seconds" }))
      yield* mailbox.ack("carol", m.id)
      expect((yield* Effect.flip(mailbox.ack("carol", m.id, again.receipt)))._tag).toBe("AlreadyAcked")
      // not in the agent's inbox, or no such message
      expect(yield* Effect.flip(mailbox.ack("alice", m.id))).toMatchObject({ _tag: "MessageNotFound", agent: "alice", messageId: m.id })
      expect((yield* Effect.flip(mailbox.ack("bob", "msg_missing", "rcpt_x")))._tag).toBe("MessageNotFound")
      const { deliveries } = yield* dump
      expect(deliveries.map((d) => [d["recipient"], d["acked_at"], d["lease_receipt"]])).toEqual([["bob", 1000, null], ["carol", 11_000, null]])
    })))

  it.scoped("wait returns unread mail at once, wakes when mail arrives, and returns empty on timeout", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const early = yield* mailbox.send(mail({ to: ["bob"], subject: "already here" }))
      expect(idsOf(yield* mailbox.wait("bob", { timeout: "1 hour" }))).toEqual([early.id])
      yield* mailbox.read("bob", early.id)
      // Nothing unread: the waiter sleeps. The TestClock never moves, so only the new mail can wake it.
      const waiter = yield* Effect.fork(mailbox.wait("bob", { timeout: "1 hour", includeBodies: true }))
      yield* asleep
      yield* mailbox.send(mail({ to: ["carol"], subject: "not for bob" }))
      const fresh = yield* mailbox.send(mail({ from: "carol", to: ["bob"], subject: "wake up", body: "news" }))
      const woke = yield* Fiber.join(waiter)
      expect(woke.map((m) => [m.id, m.body, m.readAt])).toEqual([[fresh.id, "news", null]])
      yield* mailbox.read("bob", fresh.id)
      // timeout: an empty list once the clock passes it
      const idle = yield* Effect.fork(mailbox.wait("bob", { timeout: "30 seconds" }))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(idle)).toEqual([])
      // urgentOnly waits past normal mail
      const urgentWaiter = yield* Effect.fork(mailbox.wait("bob", { timeout: "1 hour", urgentOnly: true }))
      yield* asleep
      yield* mailbox.send(mail({ to: ["bob"], subject: "meh" }))
      const alarm = yield* mailbox.send(mail({ to: ["bob"], subject: "fire", importance: "urgent" }))
      expect(idsOf(yield* Fiber.join(urgentWaiter))).toEqual([alarm.id])
      expect(yield* mailbox.wait("bob", { timeout: 0, urgentOnly: true })).toHaveLength(1)
    }), slowPoll))

  it.scoped("receive with wait long-polls: wakes on new mail and when a lease expires, none after the wait", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const polling = yield* Effect.fork(mailbox.receive("bob", { visibilityTimeout: "10 seconds", wait: "1 hour" }))
      yield* asleep
      const m = yield* mailbox.send(mail({ to: ["bob"] }))
      const got = leased(yield* Fiber.join(polling))
      expect(got).toMatchObject({ id: m.id, deliveryCount: 1 })
      // another consumer waits; the first never acks, so the lease expiry wakes the second
      const second = yield* Effect.fork(mailbox.receive("bob", { visibilityTimeout: "10 seconds", wait: "1 minute", consumer: "w2" }))
      yield* asleep
      yield* TestClock.adjust("10 seconds")
      expect(leased(yield* Fiber.join(second))).toMatchObject({ id: m.id, deliveryCount: 2, leaseExpiresAt: 20_000 })
      const timedOut = yield* Effect.fork(mailbox.receive("bob", { visibilityTimeout: "1 hour", wait: "5 seconds" }))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(timedOut)).toEqual(Option.none())
    }), slowPoll))

  it.scoped("bad input to every operation is InvalidInput with field paths, and changes nothing", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const m = yield* mailbox.send(mail({ to: ["bob"] }))
      const lease = leased(yield* mailbox.receive("bob", { visibilityTimeout: "1 minute" }))
      const before = yield* dump
      const any = <T>(x: unknown) => x as T
      const cases: ReadonlyArray<readonly [Effect.Effect<unknown, { readonly _tag: string }>, ReadonlyArray<string>]> = [
        [mailbox.send(mail({ from: "", to: [] })), ["from", "to"]],
        [mailbox.send(mail({ from: "   ", to: ["bob", ""], subject: "" })), ["from", "to[1]", "subject"]],
        [mailbox.send(mail({ to: ["bob"], subject: "x".repeat(201), thread: "" })), ["subject", "thread"]],
        [mailbox.send(mail({ to: ["bob"], body: "é".repeat(32 * 1024 + 1) })), ["body"]],
        [mailbox.send(mail({ to: ["bob"], body: "a\u0000b", from: "al\u0000ice" })), ["from", "body"]],
        [mailbox.send(mail({ to: Array.from({ length: 101 }, (_, i) => `a${i}`) })), ["to"]],
        [mailbox.send(any({ ...mail({ to: ["bob"] }), to: "bob", importance: "critical", ackRequired: "yes" })), ["to", "importance", "ackRequired"]],
        [mailbox.send(any({ ...mail({ to: ["bob"] }), cc: ["carol"] })), ["cc"]],
        [mailbox.send(any(null)), [""]],
        [mailbox.receive("", { visibilityTimeout: 0 }), ["agent", "options.visibilityTimeout"]],
        [mailbox.receive("bob", any({ visibilityTimeout: "soon", consumer: "w\u0000", wait: -5 })), ["options.visibilityTimeout", "options.consumer", "options.wait"]],
        [mailbox.receive("bob", any({ visibilityTimeout: Number.NaN })), ["options.visibilityTimeout"]],
        [mailbox.receive("bob", any({ visibilityTimeout: "-5 seconds", wait: [-1, 0] })), ["options.visibilityTimeout", "options.wait"]],
        [mailbox.receive("bob", any({ visibilityTimeout: "13 hours" })), ["options.visibilityTimeout"]],
        [mailbox.receive("bob", any(undefined)), ["options"]],
        [mailbox.ack("bob", "", ""), ["messageId", "receipt"]],
        [mailbox.ack(any(42), m.id, lease.receipt + "\u0000"), ["agent", "receipt"]],
        [mailbox.inbox("bob", any({ limit: 0, unreadOnly: "yes" })), ["options.unreadOnly", "options.limit"]],
        [mailbox.inbox("bob", any({ limit: 1.5, sort: "oldest" })), ["options.limit", "options.sort"]],
        [mailbox.read("b\u0000ob", m.id), ["agent"]],
        [mailbox.read("bob", "x".repeat(201)), ["messageId"]],
        [mailbox.thread("", { limit: 10_001 }), ["thread", "options.limit"]],
        [mailbox.wait("bob", any({})), ["options.timeout"]],
        [mailbox.wait("", any({ timeout: "forever", limit: -1 })), ["agent", "options.timeout", "options.limit"]]
      ]
      for (const [effect, paths] of cases) {
        const error = yield* Effect.flip(effect)
        expect(error._tag).toBe("InvalidInput")
        if (error._tag === "InvalidInput") {
          expect([...new Set((error as unknown as { issues: ReadonlyArray<{ path: string }> }).issues.map((i) => i.path))].sort()).toEqual([...paths].sort())
        }
      }
      expect(yield* dump).toEqual(before)
      // the boundaries themselves are accepted
      const big = yield* mailbox.send(mail({ to: Array.from({ length: 100 }, (_, i) => `a${i}`), subject: "s".repeat(200), body: "é".repeat(32 * 1024) }))
      expect((yield* mailbox.read("a99", big.id)).body).toHaveLength(32 * 1024)
    })))

  it.scoped("quotes, backslashes, newlines, unicode and SQL round-trip exactly", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const nasty = [`it's "quoted"`, "back\\slash\\\\", "line\nbreak\r\n\ttab", "'); DROP TABLE mail_messages; --", "emoji 🐝 ünïcödé", "%_ like wildcards"]
      for (const text of nasty) {
        const sent = yield* mailbox.send({ from: `from ${text}`, to: [text, "bob"], subject: text, body: `${text}\n${text}`, thread: `t ${text}` })
        const opened = yield* mailbox.read(text, sent.id)
        expect(opened).toMatchObject({ from: `from ${text}`, to: [text, "bob"], subject: text, body: `${text}\n${text}`, thread: `t ${text}` })
        expect((yield* mailbox.thread(`t ${text}`)).map((x) => x.body)).toEqual([`${text}\n${text}`])
        expect((yield* mailbox.inbox(text, { includeBodies: true }))[0]?.subject).toBe(text)
        const got = leased(yield* mailbox.receive("bob", { visibilityTimeout: "1 minute", consumer: text }))
        expect(got.subject).toBe(text)
        yield* mailbox.ack("bob", sent.id, got.receipt)
      }
      expect((yield* mailbox.inbox("bob", { limit: 100 })).map((m) => m.subject).reverse()).toEqual(nasty)
    })))

  it.scoped("rebuilding the projections reproduces every row exactly", () =>
    run(Effect.gen(function*() {
      const mailbox = yield* DurableMailbox
      const store = yield* EventStore
      const storage = yield* Storage
      let seed = 7
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      const agents = ["ann", "ben", "cy", "dee"]
      const importances = ["low", "normal", "high", "urgent"] as const
      const sent: Array<{ id: string; to: ReadonlyArray<string> }> = []
      for (let i = 0; i < 120; i++) {
        const roll = rand(10)
        if (roll < 4 || sent.length === 0) {
          const to = agents.filter(() => rand(2) === 0)
          const m = yield* mailbox.send({
            from: agents[rand(4)]!,
            to: to.length === 0 ? [agents[0]!] : to,
            subject: `s${i}`,
            body: `b${i} "q" \\`,
            importance: importances[rand(4)]!,
            ackRequired: rand(2) === 0,
            ...(sent.length > 0 && rand(3) === 0 ? { thread: sent[rand(sent.length)]!.id } : {})
          })
          sent.push(m)
        } else {
          const m = sent[rand(sent.length)]!
          const agent = m.to[rand(m.to.length)]!
          if (roll < 6) yield* mailbox.read(agent, m.id)
          else if (roll < 8) yield* mailbox.receive(agent, { visibilityTimeout: `${1 + rand(20)} seconds` })
          else yield* Effect.either(mailbox.ack(agent, m.id))
        }
        yield* TestClock.adjust(`${rand(5)} seconds`)
      }
      const before = yield* dump
      expect(before.deliveries.some((d) => d["lease_receipt"] !== null)).toBe(true)
      expect(before.deliveries.some((d) => d["acked_at"] !== null)).toBe(true)
      yield* storage.write((tx) => tx.run(sql`UPDATE mail_deliveries SET read_at = 1, delivery_count = 99 WHERE project = ${store.project}`))
      yield* storage.write((tx) => tx.run(sql`DELETE FROM mail_messages WHERE project = ${store.project} AND sender = 'ann'`))
      yield* store.rebuildProjections(["mailbox"])
      expect(yield* dump).toEqual(before)
    })))
})
