/** Other packages' files (SyncParticipants) are exported, committed, pulled and imported in the same sync. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { EventStore, SyncParticipants } from "@waggle/primitives"
import type { SyncParticipant } from "@waggle/primitives"
import { embeddedNative } from "@waggle/test-support"
import { Hive, HiveSync } from "../src/index.js"
import { buildEnv } from "./fixtures/hive.js"
import { clones, git, remoteFile } from "./fixtures/git.js"

/** A participant keeping a set of lines in memory; it records what it was asked to import. */
const linesParticipant = () => {
  const lines = new Set<string>()
  const calls: Array<{ content: string; base: string | undefined }> = []
  const participant: SyncParticipant = {
    name: "memories",
    file: ".hive/memories.jsonl",
    exportFile: Effect.sync(() => [...lines].sort().map((l) => `${l}\n`).join("")),
    importFile: (content, options) =>
      Effect.sync(() => {
        calls.push({ content, base: options.base })
        let created = 0
        for (const l of content.split("\n").filter((x) => x !== "")) {
          if (!lines.has(l)) {
            lines.add(l)
            created++
          }
        }
        return { created, updated: 0, unchanged: 0, conflicts: [] }
      })
  }
  return { lines, calls, participant }
}

const envFor = (workdir: string, participant: SyncParticipant) =>
  Layer.provideMerge(
    Layer.merge(Hive.layer({ prefix: "hv" }), HiveSync.layer({ workdir })),
    Layer.provideMerge(Layer.merge(EventStore.layer, SyncParticipants.layerOf(participant)), embeddedNative.layer())
  )

describe("HiveSync with other participants", () => {
  it.scoped("their files go into the same commit, and come back through importFile with the merge base", () =>
    Effect.gen(function*() {
      const { origin, dirs: [dirA, dirB] } = yield* clones("alice", "bob")
      const memA = linesParticipant()
      const memB = linesParticipant()
      const a = yield* buildEnv(envFor(dirA!, memA.participant))
      const b = yield* buildEnv(envFor(dirB!, memB.participant))
      const sync = Effect.flatMap(HiveSync, (s) => s.sync())

      memA.lines.add(`{"memory":"use WAL"}`)
      yield* Effect.provide(Effect.flatMap(Hive, (h) => h.create({ title: "cell" })), a)
      const first = yield* Effect.provide(sync, a)
      expect(first.files).toEqual([".hive/issues.jsonl", ".hive/memories.jsonl"])
      expect(git(dirA!, "show", "--name-only", "--format=", "HEAD").trim().split("\n").sort()).toEqual([
        ".hive/issues.jsonl",
        ".hive/memories.jsonl"
      ])
      expect(remoteFile(origin, "main", ".hive/memories.jsonl")).toBe(`{"memory":"use WAL"}\n`)

      yield* Effect.provide(sync, b)
      expect(memB.calls).toEqual([{ content: `{"memory":"use WAL"}\n`, base: undefined }])
      expect([...memB.lines]).toEqual([`{"memory":"use WAL"}`])

      memB.lines.add(`{"memory":"claims are CAS"}`)
      yield* Effect.provide(sync, b)
      yield* Effect.provide(sync, a)
      expect(memA.calls.at(-1)).toEqual({
        content: `{"memory":"claims are CAS"}\n{"memory":"use WAL"}\n`,
        base: `{"memory":"use WAL"}\n`
      })
      expect([...memA.lines].sort()).toEqual([`{"memory":"claims are CAS"}`, `{"memory":"use WAL"}`])
    }), 60_000)
})
