/**
 * Several processes take turns on one lock (one database file) to read-modify-write a counter
 * file. If two critical sections ever overlapped, an increment would be lost and the intervals
 * (taken from the system-wide monotonic clock) would intersect. Fencing tokens must increase
 * strictly in the order the sections ran, with no duplicates, and the log must hold exactly one
 * acquisition and one release per section.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableLock, EventStore } from "@waggle/primitives"
import { primitivesLayer, startWorker, tempDir } from "@waggle/test-support"

const worker = fileURLToPath(new URL("../workers/lockCounter.ts", import.meta.url))
const PROCESSES = 4
const ITERATIONS = 200

type Section = readonly [fence: number, enter: string, exit: string, value: number]

describe.each(["native", "client"] as const)("a lock guarding a counter across %s-driver processes", (driver) => {
  it.scopedLive("critical sections never overlap, no increment is lost, fences follow the order", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "locks.db")}`
      const project = "lock-counter"
      const counterFile = path.join(dir, "counter.txt")
      const startFile = path.join(dir, "start")
      fs.writeFileSync(counterFile, "0")
      const layer = Layer.provideMerge(DurableLock.layer, primitivesLayer({ url, project }))
      // Create the schema first, so that the workers race on the lock, not on migrations.
      yield* Effect.provide(DurableLock, layer)

      const workers = Array.from({ length: PROCESSES }, (_, w) =>
        startWorker(worker, [url, project, `w${w}`, String(ITERATIONS), driver, counterFile, startFile]))
      yield* Effect.promise(() => Promise.all(workers.map((w) => w.waitFor((m) => m.ready === true, 60_000))))
      fs.writeFileSync(startFile, "go")
      const results = yield* Effect.promise(() => Promise.all(workers.map((w) => w.exited)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)

      const total = PROCESSES * ITERATIONS
      const sections = results
        .flatMap((r) => (r.messages.find((m) => (m as { sections?: unknown }).sections !== undefined) as { sections: Array<Section> }).sections)
        .sort((a, b) => (BigInt(a[1]) < BigInt(b[1]) ? -1 : 1))
      expect(sections).toHaveLength(total)
      expect(Number(fs.readFileSync(counterFile, "utf8"))).toBe(total)
      for (let i = 1; i < sections.length; i++) {
        // the previous section ended before this one began
        expect(BigInt(sections[i - 1]![2]) < BigInt(sections[i]![1])).toBe(true)
      }
      // in the order the sections ran: fences 1, 2, 3, ... and counter values 1, 2, 3, ...
      expect(sections.map((s) => s[0])).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(sections.map((s) => s[3])).toEqual(Array.from({ length: total }, (_, i) => i + 1))

      const log = yield* Effect.gen(function*() {
        const store = yield* EventStore
        const locks = yield* DurableLock
        return {
          acquired: yield* store.readAll({ types: ["lease_acquired"], limit: 100_000 }),
          released: yield* store.readAll({ types: ["lease_released"], limit: 100_000 }),
          status: yield* locks.inspect("counter")
        }
      }).pipe(Effect.provide(layer))
      expect(log.acquired.map((e) => (e.data as { fence: number }).fence)).toEqual(sections.map((s) => s[0]))
      expect(log.released).toHaveLength(total)
      expect(log.status).toMatchObject({ state: "free", fence: total })
    }), 240_000)
})
