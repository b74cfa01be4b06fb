import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { EventStore, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"

const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const { project } = yield* EventStore
  return {
    memories: yield* storage.query(sql`SELECT * FROM memories WHERE project = ${project} ORDER BY seq`),
    tags: yield* storage.query(sql`SELECT * FROM memory_tags WHERE project = ${project} ORDER BY tag, seq`),
    links: yield* storage.query(sql`SELECT * FROM memory_links WHERE project = ${project} ORDER BY source, target, type`),
    fts: yield* storage.query(sql`SELECT rowid, content, tags, project FROM memories_fts WHERE project = ${project} ORDER BY rowid`)
  }
})

describe.each(backends)("memory projections on $name", (backend) => {
  it.scoped("rebuildProjections reproduces every memory table exactly, and searches answer the same", () =>
    runOn(backend)(Effect.gen(function*() {
      const memory = yield* Memory
      const events = yield* EventStore
      const storage = yield* Storage
      const a = yield* memory.store("OAuth refresh tokens need a buffer", { tags: ["oauth", "auth"], metadata: { k: [1, 2] } })
      const b = yield* memory.store("Use pnpm in this repository", { collection: "tooling", source: "agent" })
      const c = yield* memory.store("Sentry samples 10 percent of traces", { tags: ["sentry"] })
      yield* TestClock.adjust("1 hour")
      const a2 = yield* memory.upsert("OAuth refresh tokens need a 5-minute buffer before expiry", { tags: ["oauth"] })
      yield* memory.validate(b, { confidence: 0.95 })
      yield* memory.link(b, c, { type: "related", strength: 0.3 })
      yield* memory.link(c, b, { type: "contradicts" })
      yield* memory.unlink(c, b, "contradicts")
      yield* memory.remove(c)
      yield* memory.reembed({ force: true, collection: "tooling" })
      expect(a2.action).toBe("UPDATE")
      const before = yield* snapshot
      const found = yield* memory.find("oauth token buffer", { includeSuperseded: true })
      expect(before.memories).toHaveLength(3)
      const report = yield* events.rebuildProjections(["memories"])
      expect(report.events).toBeGreaterThan(0)
      expect(yield* snapshot).toEqual(before)
      yield* storage.write((tx) => tx.run(sql`INSERT INTO memories_fts (memories_fts) VALUES ('integrity-check')`))
      const again = yield* memory.find("oauth token buffer", { includeSuperseded: true })
      expect(again.hits.map((h) => [h.id, h.score])).toEqual(found.hits.map((h) => [h.id, h.score]))
      expect(again.hits.map((h) => h.id).sort()).toEqual([a, a2.id].sort())
    })))
})
