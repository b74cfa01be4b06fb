import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { EventStore, SyncParticipants } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"

const KEYS = ["id", "content", "collection", "tags", "confidence", "source", "metadata", "validFrom", "validUntil", "supersededBy", "validatedAt", "links"]

describe.each(backends)("memories sync file on $name", (backend) => {
  /** Each call is another machine: a fresh database and project. */
  const machine = runOn(backend)

  /** A machine with some history: an update chain, a validation, links, metadata. */
  const populate = Effect.gen(function*() {
    const memory = yield* Memory
    yield* TestClock.setTime(1_000)
    const a = yield* memory.store("The CI runner needs 4 GB of memory", { tags: ["ci"], metadata: { b: 1, a: { d: 1, c: 2 } } })
    const b = yield* memory.store("Use pnpm in this repository", { collection: "tooling", source: "agent-1", confidence: 0.9 })
    yield* TestClock.setTime(2_000)
    const a2 = yield* memory.upsert("The CI runner needs 8 GB of memory")
    yield* memory.validate(b)
    yield* memory.link(b, a2.id, { type: "related", strength: 0.25 })
    return { a, b, a2: a2.id }
  })

  it.scoped("export is deterministic: sorted by id, keys in a fixed order, metadata keys sorted, no embeddings", () =>
    machine(Effect.gen(function*() {
      const memory = yield* Memory
      expect(yield* memory.exportFile).toBe("")
      const { a } = yield* populate
      const file = yield* memory.exportFile
      expect(yield* memory.exportFile).toBe(file)
      const lines = file.split("\n")
      expect(lines.pop()).toBe("")
      expect(lines).toHaveLength(3)
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(parsed.map((p) => p["id"])).toEqual([...parsed.map((p) => p["id"] as string)].sort())
      for (const p of parsed) expect(Object.keys(p)).toEqual(KEYS)
      expect(file).not.toMatch(/embedding|sketch/)
      expect(lines.find((l) => l.includes(a))).toContain("\"metadata\":{\"a\":{\"c\":2,\"d\":1},\"b\":1}")
    })))

  it.scoped("another machine imports everything (re-embedded), exports the same bytes, and a second import changes nothing", () =>
    Effect.gen(function*() {
      const { file, ids } = yield* machine(Effect.gen(function*() {
        const ids = yield* populate
        return { file: yield* (yield* Memory).exportFile, ids }
      }))
      yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        const events = yield* EventStore
        const first = yield* memory.importFile(file)
        expect(first).toEqual({ created: 3, updated: 0, unchanged: 0, conflicts: [] })
        expect(yield* memory.exportFile).toBe(file)
        const head = yield* events.head
        const second = yield* memory.importFile(file, { base: file })
        expect(second).toEqual({ created: 0, updated: 0, unchanged: 3, conflicts: [] })
        expect(yield* events.head).toBe(head)
        expect((yield* memory.history(ids.a2)).map((m) => m.id)).toEqual([ids.a, ids.a2])
        const found = yield* memory.find("how much memory does the CI runner need", { mode: "vector" })
        expect(found.hits.map((h) => h.id)).toEqual([ids.a2])
        expect((yield* memory.get(ids.b))).toMatchObject({ validatedAt: 2_000, confidence: 0.9, collection: "tooling" })
        expect((yield* memory.linked(ids.b)).map((l) => [l.type, l.strength, l.memory.id])).toEqual([["related", 0.25, ids.a2]])
      }))
    }))

  it.scoped("a file with bad lines imports nothing and names every bad line", () =>
    Effect.gen(function*() {
      const file = yield* machine(Effect.gen(function*() {
        yield* populate
        return yield* (yield* Memory).exportFile
      }))
      const [good1, good2] = file.split("\n")
      const badTag = JSON.stringify({ ...JSON.parse(good2!), id: "mem_other", tags: ["Not A Tag"] })
      const extraKey = JSON.stringify({ ...JSON.parse(good2!), id: "mem_extra", embedding: "AAAA" })
      const content = [good1, "{not json", badTag, good1, "", extraKey, "   "].join("\n")
      yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        const error = yield* Effect.flip(memory.importFile(content))
        expect(error._tag).toBe("SyncFileError")
        if (error._tag === "SyncFileError") {
          expect(error.file).toBe(".hive/memories.jsonl")
          expect(error.errors.map((e) => e.line)).toEqual([2, 3, 4, 6])
          expect(error.errors[1]?.message).toMatch(/tags\[0\]/)
          expect(error.errors[2]?.message).toMatch(/duplicate memory id/)
          expect(error.errors[3]?.message).toMatch(/embedding/)
        }
        expect((yield* memory.stats).total).toBe(0)
      }))
    }))

  it.scoped("merge: the file's supersession and newer validation apply; removals elsewhere apply with a base; local removals stick", () =>
    Effect.gen(function*() {
      // Machine A creates three memories; machine B imports them (the last sync).
      const a = yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        yield* TestClock.setTime(1_000)
        const x = yield* memory.store("Sessions expire after 30 minutes")
        const y = yield* memory.store("The staging database resets at 02:00 UTC")
        const z = yield* memory.store("Sentry samples 10 percent of traces")
        const base = yield* memory.exportFile
        // Then A changes things: validates x, updates y, removes z.
        yield* TestClock.setTime(5_000)
        yield* memory.validate(x)
        const y2 = yield* memory.upsert("The staging database resets at 03:00 UTC")
        yield* memory.remove(z)
        return { x, y, z, y2: y2.id, base, after: yield* memory.exportFile }
      }))
      yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        expect((yield* memory.importFile(a.base)).created).toBe(3)
        const dry = yield* memory.importFile(a.after, { base: a.base, dryRun: true })
        const head = yield* (yield* EventStore).head
        expect(dry).toEqual({ created: 1, updated: 3, unchanged: 0, conflicts: [] })
        expect(yield* (yield* EventStore).head).toBe(head)
        const report = yield* memory.importFile(a.after, { base: a.base })
        expect(report).toEqual(dry)
        expect(yield* memory.exportFile).toBe(a.after)
        expect((yield* memory.get(a.x)).validatedAt).toBe(5_000)
        expect(yield* memory.get(a.y)).toMatchObject({ validUntil: 5_000, supersededBy: a.y2 })
        expect((yield* Effect.flip(memory.get(a.z)))._tag).toBe("MemoryNotFound")
        // Removed here since the last sync: importing the same file again does not bring it back...
        yield* memory.remove(a.x)
        expect((yield* memory.importFile(a.after, { base: a.after })).created).toBe(0)
        expect((yield* Effect.flip(memory.get(a.x)))._tag).toBe("MemoryNotFound")
        // ...but without a base, nothing says it was removed here: it is recreated.
        expect((yield* memory.importFile(a.after)).created).toBe(1)
        expect((yield* memory.get(a.x)).content).toBe("Sessions expire after 30 minutes")
      }))
    }))

  it.scoped("conflicting changes keep the local state and are reported", () =>
    Effect.gen(function*() {
      const shared = yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        const id = yield* memory.store("Deploys are frozen on Fridays")
        return { id, file: yield* memory.exportFile }
      }))
      const edited = shared.file.replace("Deploys are frozen on Fridays", "Deploys are frozen on Mondays")
      yield* machine(Effect.gen(function*() {
        const memory = yield* Memory
        yield* memory.importFile(shared.file)
        const report = yield* memory.importFile(edited)
        expect(report.conflicts).toEqual([{ id: shared.id, reason: expect.stringMatching(/content/) }])
        expect((yield* memory.get(shared.id)).content).toBe("Deploys are frozen on Fridays")
      }))
    }))

  it.scoped("the memory takes part in the hive's sync as a SyncParticipant for .hive/memories.jsonl", () =>
    machine(Effect.gen(function*() {
      const memory = yield* Memory
      yield* memory.store("Participant probe")
      const participant = yield* Memory.syncParticipant
      expect(participant).toMatchObject({ name: "memories", file: ".hive/memories.jsonl" })
      expect(yield* participant.exportFile).toBe(yield* memory.exportFile)
      const all = yield* Effect.provide(SyncParticipants, Memory.layerSyncParticipants)
      expect(all.map((p) => p.file)).toEqual([".hive/memories.jsonl"])
      expect(yield* participant.importFile(yield* memory.exportFile, { dryRun: false, base: undefined })).toEqual({
        created: 0,
        updated: 0,
        unchanged: 1,
        conflicts: []
      })
    })))
})
