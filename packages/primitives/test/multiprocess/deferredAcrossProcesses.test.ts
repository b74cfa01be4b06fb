/**
 * Deferreds between real processes on one database file: created here, awaited in one child and
 * completed from another. The awaiting child prints what it received: the resolved value exactly,
 * the rejection's reason, or a typed timeout (its own timeout, or the deferred's expiry). Two
 * children completing the same deferred at once: exactly one wins.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableDeferred } from "@waggle/primitives"
import { primitivesLayer, runWorker, startWorker, tempDir } from "@waggle/test-support"
import type { Worker } from "@waggle/test-support"

const party = fileURLToPath(new URL("../workers/deferredParty.ts", import.meta.url))

const value = {
  text: `it's "quoted", back\\slash, line\nbreak, tab\t, emoji 🐝, nul \u0000 inside`,
  nested: { list: [1, -2.5, true, null, { deep: [[["x"]]] }], empty: {} }
}

const outcomeOf = (worker: Worker) =>
  Effect.promise(async () => {
    const result = await worker.exited
    if (result.code !== 0) throw new Error(`worker failed (${result.code ?? result.signal})\n${result.stderr}`)
    return result.messages.find((m) => (m as { waiting?: boolean }).waiting !== true) as Record<string, any>
  })

describe.each(["native", "client"] as const)("deferreds across %s-driver processes", (driver) => {
  it.scopedLive("awaited in one process, completed from another; timeouts and expiry are typed", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "deferred.db")}`
      const project = "deferred-processes"
      const context = yield* Layer.build(Layer.provideMerge(DurableDeferred.layer, primitivesLayer({ url, project })))
      const deferreds = yield* Effect.provide(DurableDeferred, context)
      const args = (op: string, token: string, argument = "") => [url, project, driver, op, token, argument]

      const resolved = yield* deferreds.create({ ttl: "2 minutes" })
      const rejected = yield* deferreds.create({ ttl: "2 minutes" })
      const slow = yield* deferreds.create({ ttl: "2 minutes" })
      const expiring = yield* deferreds.create({ ttl: "6 seconds" })
      const raced = yield* deferreds.create({ ttl: "2 minutes" })

      const waiters = {
        resolved: startWorker(party, args("await", resolved, "60000")),
        rejected: startWorker(party, args("await", rejected, "60000")),
        slow: startWorker(party, args("await", slow, "300")),
        expiring: startWorker(party, args("await", expiring))
      }
      // Complete only once the awaiting processes are waiting.
      yield* Effect.promise(() =>
        Promise.all([waiters.resolved, waiters.rejected].map((w) => w.waitFor((m) => m.waiting === true, 60_000)))
      )
      const completions = yield* Effect.promise(() =>
        Promise.all([
          runWorker(party, args("resolve", resolved, JSON.stringify(value))),
          runWorker(party, args("reject", rejected, "no \"thanks\"\nreally")),
          runWorker(party, args("resolve", raced, JSON.stringify("from a"))),
          runWorker(party, args("reject", raced, "from b"))
        ])
      )
      const [resolvedBy, rejectedBy, ...racers] = completions.map((r) => r.messages[0] as Record<string, any>)
      expect(resolvedBy).toEqual({ resolved: true })
      expect(rejectedBy).toEqual({ rejected: true })

      expect(yield* outcomeOf(waiters.resolved)).toEqual({ value })
      expect(yield* outcomeOf(waiters.rejected)).toEqual({
        error: { _tag: "DeferredRejected", token: rejected, reason: "no \"thanks\"\nreally" }
      })
      expect(yield* outcomeOf(waiters.slow)).toMatchObject({ error: { _tag: "DeferredTimeout", token: slow, expired: false } })
      expect(yield* outcomeOf(waiters.expiring)).toMatchObject({
        error: { _tag: "DeferredTimeout", token: expiring, expired: true }
      })

      // The race: exactly one completion won, the other saw it.
      const winners = racers.filter((m) => m.error === undefined)
      expect(winners).toHaveLength(1)
      const state = winners[0]!.resolved === true ? "resolved" : "rejected"
      expect(racers.find((m) => m.error !== undefined)).toEqual({ error: { _tag: "AlreadyCompleted", token: raced, state } })
      expect((yield* deferreds.status(raced)).state).toBe(state)

      // A second completion from yet another process: AlreadyCompleted, the value stands.
      const late = yield* Effect.promise(() => runWorker(party, args("reject", resolved, "too late")))
      expect(late.messages[0]).toEqual({ error: { _tag: "AlreadyCompleted", token: resolved, state: "resolved" } })
      expect(yield* deferreds.await(resolved, { timeout: 0 })).toEqual(value)
      expect((yield* deferreds.status(slow)).state).toBe("pending")
    }), 180_000)
})
