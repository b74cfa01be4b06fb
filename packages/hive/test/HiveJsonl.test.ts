import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive, HiveSync } from "../src/index.js"
import { buildEnv, ids, snapshotTables, startClock, syncLayer, tick } from "./fixtures/hive.js"

const KEYS = [
  "id",
  "title",
  "description",
  "type",
  "status",
  "priority",
  "assignee",
  "labels",
  "files",
  "parent",
  "dependencies",
  "comments",
  "created_at",
  "updated_at",
  "closed_at",
  "closed_reason",
  "result",
  "deleted_at"
]
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** A hive with every kind of content: epic, links, labels, comments, closed and deleted cells, odd text. */
const populate = Effect.gen(function*() {
  yield* startClock
  const hive = yield* Hive
  const { epic, subtasks } = yield* hive.createEpic({
    title: "Epic 🐝",
    labels: ["z", "a"],
    subtasks: [{ title: "one", files: ["src/b.ts", "src/a.ts"] }, { title: "two", blockedBy: [0] }]
  })
  yield* tick()
  const odd = yield* hive.create({ title: `quote " backslash \\ newline\n tab\t`, description: "ünïcödé\r\n", priority: 0 })
  yield* hive.addDependency(odd.id, epic.id, "related")
  yield* hive.comment(odd.id, { author: "alice", body: "first\nline" })
  yield* tick()
  yield* hive.comment(odd.id, { author: "bob", body: "second" })
  yield* hive.close(subtasks[0]!.id, { reason: "done", result: "merged" })
  const gone = yield* hive.create({ title: "gone" })
  yield* hive.delete(gone.id)
  yield* hive.claim(subtasks[1]!.id, "carol").pipe(Effect.ignore)
  return { epic, subtasks, odd, gone }
})

describe.each(backends)("Hive export and import on $name", (backend) => {
  it.scoped("the export is deterministic: sorted by id, one line per cell ending in \\n, fixed keys, UTC timestamps", () =>
    Effect.gen(function*() {
      const { gone } = yield* populate
      const sync = yield* HiveSync
      const first = yield* sync.exportJsonl
      const second = yield* sync.exportJsonl
      expect(second).toBe(first)
      expect(first.endsWith("\n")).toBe(true)
      const lines = first.slice(0, -1).split("\n")
      expect(lines).toHaveLength(5)
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      const recordIds = records.map((r) => r["id"] as string)
      expect(recordIds).toEqual([...recordIds].sort())
      for (const r of records) {
        expect(Object.keys(r)).toEqual(KEYS)
        for (const k of ["created_at", "updated_at"]) expect(r[k]).toMatch(ISO)
        for (const k of ["closed_at", "deleted_at"]) if (r[k] !== null) expect(r[k]).toMatch(ISO)
      }
      const epicRecord = records.find((r) => r["type"] === "epic")!
      expect(epicRecord["labels"]).toEqual(["a", "z"])
      const tomb = records.find((r) => r["id"] === gone.id)!
      expect(tomb["deleted_at"]).toMatch(ISO)
      const { path, changed } = yield* sync.exportFile
      expect(changed).toBe(true)
      expect((yield* sync.exportFile).changed).toBe(false)
      expect(path.endsWith(".hive/issues.jsonl")).toBe(true)
    }).pipe(Effect.provide(syncLayer(backend))))

  it.scoped("an import into an empty database recreates the same export; importing again changes nothing and says so", () =>
    Effect.gen(function*() {
      const source = yield* buildEnv(syncLayer(backend))
      const target = yield* buildEnv(syncLayer(backend))
      const content = yield* Effect.provide(Effect.zipRight(populate, Effect.flatMap(HiveSync, (s) => s.exportJsonl)), source)
      const sourceReady = yield* Effect.provide(Effect.flatMap(Hive, (h) => h.ready({ includeInProgress: true })), source)
      yield* Effect.provide(
        Effect.gen(function*() {
          const sync = yield* HiveSync
          const hive = yield* Hive
          const store = yield* EventStore
          const report = yield* sync.importJsonl(content)
          expect(report).toMatchObject({ created: 5, updated: 0, unchanged: 0, conflicts: [], changed: true, dryRun: false })
          expect(yield* sync.exportJsonl).toBe(content)
          // readiness is rebuilt from the imported links
          expect(ids(yield* hive.ready({ includeInProgress: true }))).toEqual(ids(sourceReady))
          const head = yield* store.head
          const tables = yield* snapshotTables
          const again = yield* sync.importJsonl(content)
          expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5, changed: false })
          expect(yield* store.head).toBe(head)
          expect(yield* snapshotTables).toEqual(tables)
          // and the projections still rebuild to the same rows
          yield* store.rebuildProjections()
          expect(yield* snapshotTables).toEqual(tables)
        }),
        target
      )
    }))

  it.scoped("a dry run reports what would change and changes nothing", () =>
    Effect.gen(function*() {
      const source = yield* buildEnv(syncLayer(backend))
      const target = yield* buildEnv(syncLayer(backend))
      const content = yield* Effect.provide(Effect.zipRight(populate, Effect.flatMap(HiveSync, (s) => s.exportJsonl)), source)
      yield* Effect.provide(
        Effect.gen(function*() {
          const sync = yield* HiveSync
          const store = yield* EventStore
          const dry = yield* sync.importJsonl(content, { dryRun: true })
          expect(dry).toMatchObject({ created: 5, updated: 0, unchanged: 0, dryRun: true, changed: true })
          expect(yield* store.head).toBe(0)
          expect(yield* sync.exportJsonl).toBe("")
        }),
        target
      )
    }))

  it.scoped("a malformed line is an ImportParseError with the file and line number, and nothing is imported", () =>
    Effect.gen(function*() {
      const source = yield* buildEnv(syncLayer(backend))
      const content = yield* Effect.provide(Effect.zipRight(populate, Effect.flatMap(HiveSync, (s) => s.exportJsonl)), source)
      const lines = content.split("\n")
      const brokenJson = [...lines.slice(0, 2), "{\"id\": \"hv-x\",", ...lines.slice(2)].join("\n")
      const record = JSON.parse(lines[0]!) as Record<string, unknown>
      const badRecord = [lines[0], lines[1], JSON.stringify({ ...record, id: "hv-new", status: "closed", closed_at: null })].join("\n")
      const badTime = [lines[0], JSON.stringify({ ...record, id: "hv-t", created_at: "2025-01-01 10:00" })].join("\n")
      const duplicate = [lines[0], lines[1], lines[0]].join("\n")
      const nul = [lines[0], JSON.stringify({ ...record, id: "hv-nul", assignee: "a\u0000b" })].join("\n")
      const target = yield* buildEnv(syncLayer(backend))
      yield* Effect.provide(
        Effect.gen(function*() {
          const sync = yield* HiveSync
          const store = yield* EventStore
          const e1 = yield* Effect.flip(sync.importJsonl(brokenJson, { file: "issues.jsonl" }))
          expect(e1).toMatchObject({ _tag: "ImportParseError", file: "issues.jsonl", line: 3 })
          const e2 = yield* Effect.flip(sync.importJsonl(badRecord))
          expect(e2).toMatchObject({ _tag: "ImportParseError", file: ".hive/issues.jsonl", line: 3 })
          expect(e2.message).toContain("closed_at")
          const e3 = yield* Effect.flip(sync.importJsonl(badTime))
          expect(e3).toMatchObject({ _tag: "ImportParseError", line: 2 })
          expect(e3.message).toContain("created_at")
          const e4 = yield* Effect.flip(sync.importJsonl(duplicate))
          expect(e4).toMatchObject({ _tag: "ImportParseError", line: 3 })
          expect(e4.message).toContain("duplicate")
          // text that reaches a column refuses NUL (libSQL would cut it there)
          const e5 = yield* Effect.flip(sync.importJsonl(nul))
          expect(e5).toMatchObject({ _tag: "ImportParseError", line: 2 })
          expect(e5.message).toContain("assignee")
          expect(yield* store.head).toBe(0)
        }),
        target
      )
    }))

  it.scoped("an import merges into existing cells and reports created, updated, unchanged and conflicts", () =>
    Effect.gen(function*() {
      yield* startClock
      const a = yield* buildEnv(syncLayer(backend))
      const b = yield* buildEnv(syncLayer(backend))
      const exportOf = (env: typeof a) => Effect.provide(Effect.flatMap(HiveSync, (s) => s.exportJsonl), env)
      const [x, y, z] = yield* Effect.provide(
        Effect.gen(function*() {
          const hive = yield* Hive
          return yield* Effect.forEach(["x", "y", "z"], (title) => hive.create({ title, labels: ["shared"] }))
        }),
        a
      )
      const common = yield* exportOf(a)
      yield* Effect.provide(Effect.flatMap(HiveSync, (s) => s.importJsonl(common)), b)
      yield* tick()
      // a: edits x's title and closes y; b: edits x's title later, reprioritises y, labels z, adds a cell
      yield* Effect.provide(
        Effect.gen(function*() {
          const hive = yield* Hive
          yield* hive.update(x!.id, { title: "x by a" })
          yield* hive.close(y!.id, { reason: "done on a" })
        }),
        a
      )
      yield* tick()
      const extra = yield* Effect.provide(
        Effect.gen(function*() {
          const hive = yield* Hive
          yield* hive.update(x!.id, { title: "x by b" })
          yield* hive.update(y!.id, { priority: 0, title: "y by b" })
          yield* hive.label(z!.id, { add: ["b-label"] })
          return yield* hive.create({ title: "new on b" })
        }),
        b
      )
      const fromB = yield* exportOf(b)
      const report = yield* Effect.provide(Effect.flatMap(HiveSync, (s) => s.importJsonl(fromB, { base: common })), a)
      expect(report).toMatchObject({ created: 1, updated: 3, unchanged: 0, changed: true })
      expect(report.conflicts).toEqual([{ id: x!.id, reason: "title: changed on both sides; the later update wins" }])
      const merged = yield* Effect.provide(
        Effect.gen(function*() {
          const hive = yield* Hive
          return yield* Effect.forEach([x!.id, y!.id, z!.id, extra.id], (id) => hive.get(id))
        }),
        a
      )
      expect(merged.map((c) => [c.title, c.status, c.priority, c.labels])).toEqual([
        ["x by b", "open", 2, ["shared"]],
        ["y by b", "closed", 0, ["shared"]],
        ["z", "open", 2, ["b-label", "shared"]],
        ["new on b", "open", 2, []]
      ])
    }))
})
