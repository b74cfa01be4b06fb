/** The Promise facade: the same behaviour and the same typed errors, without Effect. */
import { afterEach, describe, expect, it } from "vitest"
import * as path from "node:path"
import { connect } from "@waggle/primitives/promise"
import type { Waggle } from "@waggle/primitives/promise"
import { makeTempDir } from "@waggle/test-support"
import { NoteAdded, NotesModule } from "./fixtures/notes.js"

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const open = async (): Promise<Waggle> => {
  const tmp = makeTempDir()
  const waggle = await connect({ url: `file:${path.join(tmp.dir, "w.db")}`, project: "promise-test", cwd: tmp.dir })
  cleanups.push(tmp.remove, () => waggle.close())
  return waggle
}

describe("the Promise facade", () => {
  it("appends and reads events of an installed module; a version conflict rejects with its tag", async () => {
    const waggle = await open()
    await waggle.eventStore.install(NotesModule)
    const first = await waggle.eventStore.append("n", [NoteAdded.make({ id: "1", text: "a", tags: [] })], { expectedVersion: "no_stream" })
    expect(first.version).toBe(1)
    await expect(waggle.eventStore.append("n", [NoteAdded.make({ id: "2", text: "b", tags: [] })], { expectedVersion: 0 }))
      .rejects.toMatchObject({ _tag: "StreamVersionConflict", stream: "n", actual: 1 })
    const events = await waggle.eventStore.read("n")
    expect(events.map((e) => e.data)).toEqual([{ id: "1", text: "a", tags: [] }])
    expect((await waggle.eventStore.readAll()).length).toBe(1)
  })

  it("locks: one holder at a time, typed errors, withLock releases when the callback throws", async () => {
    const waggle = await open()
    const lease = await waggle.lock.acquire("deploy", "alice", { ttl: "30 seconds" })
    await expect(waggle.lock.acquire("deploy", "bob", { ttl: "30 seconds" })).rejects.toMatchObject({ _tag: "LockHeld", holder: "alice" })
    await expect(waggle.lock.release("deploy", "bob")).rejects.toMatchObject({ _tag: "LockNotHeld" })
    await waggle.lock.release("deploy", "alice")
    await expect(waggle.lock.withLock("deploy", "bob", { ttl: "30 seconds" }, async () => {
      throw new Error("boom")
    })).rejects.toThrow("boom")
    const status = await waggle.lock.inspect("deploy")
    expect(status.state).toBe("free")
    expect(status.fence).toBeGreaterThan(lease.fence)
  })

  it("mail: send, receive with a lease, ack once", async () => {
    const waggle = await open()
    const sent = await waggle.mailbox.send({ from: "alice", to: ["bob"], subject: "hi", body: "it's \"quoted\"\n" })
    const received = await waggle.mailbox.receive("bob", { visibilityTimeout: "30 seconds" })
    expect(received?.id).toBe(sent.id)
    expect(received?.body).toBe("it's \"quoted\"\n")
    expect(await waggle.mailbox.receive("bob", { visibilityTimeout: "30 seconds" })).toBeUndefined()
    await waggle.mailbox.ack("bob", sent.id, received!.receipt)
    await expect(waggle.mailbox.ack("bob", sent.id)).rejects.toMatchObject({ _tag: "AlreadyAcked" })
  })

  it("reservations: all or nothing, with the conflicts", async () => {
    const waggle = await open()
    await waggle.reservations.reserve("alice", ["src/a.ts"])
    await expect(waggle.reservations.reserve("bob", ["src/**", "docs/x.md"])).rejects.toMatchObject({
      _tag: "ReservationConflict",
      conflicts: [expect.objectContaining({ holder: "alice", pattern: "src/a.ts" })]
    })
    expect(await waggle.reservations.list({ agent: "bob" })).toEqual([])
    expect(await waggle.reservations.check("bob", ["docs/x.md"])).toEqual([])
  })

  it("cursors resume from their checkpoint; deferreds complete across callers", async () => {
    const waggle = await open()
    await waggle.eventStore.install(NotesModule)
    for (let i = 0; i < 5; i++) await waggle.eventStore.append(`s${i}`, NoteAdded.make({ id: `${i}`, text: "t", tags: [] }))
    const cursor = await waggle.cursor.open("reader")
    const seen: Array<string> = []
    expect(await cursor.consume((e) => void seen.push((e.data as { id: string }).id))).toBe(5)
    expect(await cursor.consume(() => undefined)).toBe(0)
    expect(seen).toEqual(["0", "1", "2", "3", "4"])
    await expect(cursor.checkpoint(1)).rejects.toMatchObject({ _tag: "CheckpointBehind" })

    const token = await waggle.deferred.create({ ttl: "1 minute" })
    const answer = waggle.deferred.await<{ ok: boolean }>(token, { timeout: "10 seconds" })
    await waggle.deferred.resolve(token, { ok: true })
    expect(await answer).toEqual({ ok: true })
    await expect(waggle.deferred.reject(token, "too late")).rejects.toMatchObject({ _tag: "AlreadyCompleted", state: "resolved" })
  })

  it("a database that cannot be opened rejects with DatabaseOpenError naming the URL", async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const url = `file:${path.join(tmp.dir, "no", "such", "dir", "w.db")}`
    await expect(connect({ url, project: "x" })).rejects.toMatchObject({ _tag: "DatabaseOpenError", url })
  })
})
