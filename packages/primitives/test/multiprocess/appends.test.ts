/**
 * Several processes append to one database file at once. Every append a process saw succeed must
 * be in the log, positions have no gaps or duplicates, and a contended stream's versions are
 * exactly the successful optimistic appends. This guards libSQL's SQLITE_BUSY data-loss bug: a
 * connection that saw SQLITE_BUSY can silently drop later writes, so it is always replaced.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { EventStore, sql, Storage } from "@waggle/primitives"
import { primitivesLayer, runWorker, tempDir } from "@waggle/test-support"
import { NotesModule } from "../fixtures/notes.js"

const worker = fileURLToPath(new URL("../workers/appender.ts", import.meta.url))
const PROCESSES = 4
const APPENDS = 300

describe.each(["native", "client"] as const)("concurrent appends from %s-driver processes", (driver) => {
  it.scoped("every reported append is stored; positions have no gaps or duplicates", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "shared.db")}`
      const project = "multi-process"
      // create the schema first so that the workers race on appends, not on migrations
      yield* Effect.flatMap(EventStore, (s) => s.install(NotesModule)).pipe(Effect.provide(primitivesLayer({ url, project })))
      const results = yield* Effect.promise(() =>
        Promise.all(Array.from({ length: PROCESSES }, (_, w) => runWorker(worker, [url, project, `w${w}`, String(APPENDS), driver])))
      )
      const reported = results.flatMap((r) => (r.messages[0] as { successes: Array<{ stream: string; version: number; position: number }> }).successes)
      expect(reported).toHaveLength(PROCESSES * APPENDS)

      const stored = yield* Effect.gen(function*() {
        const storage = yield* Storage
        return yield* storage.query<{ position: number; stream: string; version: number }>(
          sql`SELECT position, stream, version FROM events ORDER BY position`
        )
      }).pipe(Effect.provide(primitivesLayer({ url, project })))

      expect(stored).toHaveLength(PROCESSES * APPENDS)
      const byPosition = new Map(stored.map((e) => [e.position, e]))
      for (const r of reported) expect(byPosition.get(r.position)).toEqual(r)
      const positions = stored.map((e) => e.position)
      expect(positions[positions.length - 1]! - positions[0]! + 1).toBe(positions.length) // no gaps
      const hot = stored.filter((e) => e.stream === "hot").map((e) => e.version)
      expect(hot).toEqual(Array.from({ length: (PROCESSES * APPENDS) / 2 }, (_, i) => i + 1))
    }), 180_000)
})
