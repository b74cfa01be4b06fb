import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"

describe.each(backends)("Memory links on $name", (backend) => {
  const run = runOn(backend)

  const three = Effect.gen(function*() {
    const memory = yield* Memory
    const a = yield* memory.store("Kafka consumers rebalance after every deploy")
    const b = yield* memory.store("Use static group membership for Kafka consumers")
    const c = yield* memory.store("Consumer lag alerts fire during rebalances")
    return { memory, a, b, c }
  })

  it.scoped("links are typed and unique per (source, target, type); linking again sets the strength", () =>
    run(Effect.gen(function*() {
      const { a, b, memory } = yield* three
      yield* memory.link(b, a, { type: "refines", strength: 0.6 })
      yield* memory.link(b, a, { type: "refines", strength: 0.9 })
      yield* memory.link(b, a, { type: "related" })
      const out = yield* memory.linked(b, { direction: "out" })
      expect(out.map((l) => [l.type, l.strength, l.direction, l.memory.id])).toEqual([
        ["related", 1, "out", a],
        ["refines", 0.9, "out", a]
      ])
      expect((yield* memory.stats).links).toBe(2)
    })))

  it.scoped("linked filters by type and direction", () =>
    run(Effect.gen(function*() {
      const { a, b, c, memory } = yield* three
      yield* memory.link(b, a, { type: "refines", strength: 0.8 })
      yield* memory.link(c, a, { type: "derived_from", strength: 0.5 })
      yield* memory.link(a, c, { type: "contradicts", strength: 0.3 })
      const all = yield* memory.linked(a)
      expect(all.map((l) => [l.type, l.direction, l.memory.id])).toEqual([
        ["refines", "in", b],
        ["derived_from", "in", c],
        ["contradicts", "out", c]
      ])
      expect((yield* memory.linked(a, { direction: "in" })).map((l) => l.memory.id)).toEqual([b, c])
      expect((yield* memory.linked(a, { type: "contradicts" })).map((l) => [l.direction, l.memory.id])).toEqual([["out", c]])
      expect(yield* memory.linked(a, { type: "supersedes" })).toEqual([])
    })))

  it.scoped("removing either end removes its links", () =>
    run(Effect.gen(function*() {
      const { a, b, c, memory } = yield* three
      const storage = yield* Storage
      yield* memory.link(a, b, { type: "related" })
      yield* memory.link(b, c, { type: "related" })
      yield* memory.link(c, a, { type: "related" })
      yield* memory.remove(b)
      const rows = yield* storage.query<{ source: string; target: string }>(
        sql`SELECT source, target FROM memory_links WHERE source = ${b} OR target = ${b}`
      )
      expect(rows).toEqual([])
      expect((yield* memory.linked(a)).map((l) => l.memory.id)).toEqual([c])
      expect((yield* memory.linked(c)).map((l) => l.memory.id)).toEqual([a])
    })))

  it.scoped("bad links are typed errors and change nothing; unlink reports whether there was a link", () =>
    run(Effect.gen(function*() {
      const { a, b, memory } = yield* three
      expect(yield* Effect.flip(memory.link(a, "mem_missing", { type: "related" }))).toMatchObject({
        _tag: "MemoryNotFound",
        id: "mem_missing"
      })
      expect(yield* Effect.flip(memory.link("mem_missing", a, { type: "related" }))).toMatchObject({ _tag: "MemoryNotFound" })
      const self = yield* Effect.flip(memory.link(a, a, { type: "related" }))
      expect(self).toMatchObject({ _tag: "InvalidInput", issues: [{ path: "target" }] })
      const badType = yield* Effect.flip(memory.link(a, b, { type: "likes" as never }))
      expect(badType).toMatchObject({ _tag: "InvalidInput" })
      const badStrength = yield* Effect.flip(memory.link(a, b, { type: "related", strength: 3 }))
      expect(badStrength).toMatchObject({ _tag: "InvalidInput" })
      expect((yield* memory.stats).links).toBe(0)
      expect(yield* memory.unlink(a, b, "related")).toBe(false)
      yield* memory.link(a, b, { type: "related" })
      expect(yield* memory.unlink(a, b, "related")).toBe(true)
      expect(yield* memory.linked(a)).toEqual([])
      expect((yield* Effect.flip(memory.linked("mem_missing")))._tag).toBe("MemoryNotFound")
    })))
})
