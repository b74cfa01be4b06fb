/**
 * Racer processes wait for a common start time, then all try at once to take over the same expired
 * lock (several rounds, one lock per round). Exactly one may win each round, with the next fence and
 * the expired holder named; everyone else must be told who won.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableLock, EventStore } from "@waggle/primitives"
import { primitivesLayer, startWorker, tempDir } from "@waggle/test-support"

const worker = fileURLToPath(new URL("../workers/lockRacer.ts", import.meta.url))
const RACERS = 5
const ROUNDS = 8
const GAP_MS = 200

interface Outcome {
  readonly workerId: string
  readonly round: number
  readonly won: boolean
  readonly fence?: number
  readonly previousHolder?: string | null
  readonly heldBy?: string
}

describe.each(["native", "client"] as const)("racing for expired locks from %s-driver processes", (driver) => {
  it.scopedLive("exactly one racer takes over each expired lock", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "locks.db")}`
      const project = "lock-takeover"
      const startFile = path.join(dir, "start")
      const layer = Layer.provideMerge(DurableLock.layer, primitivesLayer({ url, project }))
      const expiries = yield* Effect.gen(function*() {
        const locks = yield* DurableLock
        return yield* Effect.forEach(
          Array.from({ length: ROUNDS }, (_, r) => r),
          (r) => Effect.map(locks.acquire(`race-${r}`, "old", { ttl: "1 second" }), (l) => l.expiresAt)
        )
      }).pipe(Effect.provide(layer))

      const racers = Array.from({ length: RACERS }, (_, w) =>
        startWorker(worker, [url, project, `racer-${w}`, driver, String(ROUNDS), String(GAP_MS), startFile]))
      yield* Effect.promise(() => Promise.all(racers.map((w) => w.waitFor((m) => m.ready === true, 60_000))))
      // Every lease has expired before the first round starts.
      const start = Math.max(Date.now() + 300, Math.max(...expiries) + 100)
      fs.writeFileSync(startFile, String(start))
      const results = yield* Effect.promise(() => Promise.all(racers.map((w) => w.exited)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)

      const outcomes = results.flatMap((r) => r.messages as Array<Outcome>).filter((m) => m.round !== undefined)
      expect(outcomes).toHaveLength(RACERS * ROUNDS)
      for (let round = 0; round < ROUNDS; round++) {
        const these = outcomes.filter((o) => o.round === round)
        const winners = these.filter((o) => o.won)
        expect(winners, `round ${round}`).toHaveLength(1)
        expect(winners[0]).toMatchObject({ fence: 2, previousHolder: "old" })
        for (const loser of these.filter((o) => !o.won)) expect(loser.heldBy).toBe(winners[0]!.workerId)
      }

      const acquired = yield* Effect.flatMap(EventStore, (s) => s.readAll({ types: ["lease_acquired"], limit: 10_000 }))
        .pipe(Effect.provide(layer))
      expect(acquired).toHaveLength(2 * ROUNDS)
    }), 240_000)
})
