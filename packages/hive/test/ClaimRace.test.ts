/**
 * Real processes race to claim cells on one database file. Every cell must be claimed exactly
 * once, by the process that was told it won; then every process claims one cell explicitly: only
 * its holder succeeds (idempotently), everyone else gets CellAlreadyClaimed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { sql, Storage } from "@waggle/primitives"
import { primitivesLayer, startWorker, tempDir } from "@waggle/test-support"
import { Hive } from "../src/index.js"

const worker = fileURLToPath(new URL("./workers/claimer.ts", import.meta.url))
const PROCESSES = 6
const CELLS = 60

describe.each(["native", "client"] as const)("claim race between %s-driver processes", (driver) => {
  it.scopedLive("of N processes claiming concurrently, exactly one wins each cell", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "hive.db")}`
      const project = "claim-race"
      const env = Layer.provideMerge(Hive.layer({ prefix: "hv" }), primitivesLayer({ url, project }))
      const created = yield* Effect.gen(function*() {
        const hive = yield* Hive
        const cells = yield* Effect.forEach(Array.from({ length: CELLS }, (_, i) => i), (i) =>
          hive.create({ title: `cell ${i}`, priority: i % 4 }))
        return cells.map((c) => c.id)
      }).pipe(Effect.provide(env))

      const goFile = path.join(dir, "go")
      const workers = Array.from({ length: PROCESSES }, (_, w) => startWorker(worker, [url, project, `agent-${w}`, driver, goFile, created[0]!]))
      yield* Effect.promise(() => Promise.all(workers.map((w) => w.waitFor((m) => m.ready === true, 60_000))))
      fs.writeFileSync(goFile, "")
      const results = yield* Effect.promise(() => Promise.all(workers.map((w) => w.exited)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)
      const reports = results.map((r) => r.messages.find((m) => (m as { agent?: string }).agent !== undefined) as { agent: string; claimed: Array<string>; mismatches: Array<string>; contested: string })
      const claimed = reports.flatMap((r) => r.claimed)
      const expected = [...created].sort()
      expect([...claimed].sort()).toEqual(expected)
      expect(new Set(claimed).size).toBe(claimed.length)
      expect(reports.flatMap((r) => r.mismatches)).toEqual([])
      // every process saw the contested claim either won (the holder claiming again) or refused
      const holderReports = reports.filter((r) => r.contested === "won")
      expect(holderReports).toHaveLength(1)
      expect(reports.filter((r) => r.contested !== "won").every((r) => r.contested === "CellAlreadyClaimed")).toBe(true)

      const rows = yield* Effect.gen(function*() {
        const storage = yield* Storage
        return yield* storage.query<{ id: string; assignee: string; status: string }>(
          sql`SELECT id, assignee, status FROM hive_cells WHERE project = ${project} ORDER BY id`
        )
      }).pipe(Effect.provide(env))
      const winner = new Map(reports.flatMap((r) => r.claimed.map((id) => [id, r.agent] as const)))
      for (const row of rows) {
        expect(row.status).toBe("in_progress")
        expect(row.assignee).toBe(winner.get(row.id))
      }
      expect(holderReports[0]!.agent).toBe(winner.get(created[0]!))
    }), 180_000)
})
