import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive, HiveSessions } from "../src/index.js"
import { hiveLayer } from "./fixtures/hive.js"

describe.each(backends)("Hive ids on $name", (backend) => {
  it.scoped("ids are <prefix>-<4 base36 chars> at first, unique, and children are <epic>.<n>", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const cells = yield* Effect.forEach(Array.from({ length: 50 }, (_, i) => i), (i) => hive.create({ title: `c${i}` }))
      for (const c of cells) expect(c.id).toMatch(/^hv-[0-9a-z]{4}$/)
      expect(new Set(cells.map((c) => c.id)).size).toBe(50)
      const { epic, subtasks } = yield* hive.createEpic({ title: "E", subtasks: [{ title: "a" }, { title: "b" }] })
      expect(subtasks.map((s) => s.id)).toEqual([`${epic.id}.1`, `${epic.id}.2`])
      const third = yield* hive.create({ title: "c", parent: epic.id })
      expect(third.id).toBe(`${epic.id}.3`)
      yield* hive.delete(third.id)
      expect((yield* hive.create({ title: "d", parent: epic.id })).id).toBe(`${epic.id}.4`)
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("a full id, a unique prefix or a unique substring resolves; an ambiguous one names the candidates", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const { epic, subtasks } = yield* hive.createEpic({ title: "E", subtasks: [{ title: "a" }, { title: "b" }] })
      const hash = epic.id.slice("hv-".length)
      expect((yield* hive.get(epic.id)).id).toBe(epic.id)
      expect(yield* hive.resolve(hash)).toBe(epic.id) // without the project prefix: exact wins over prefixes
      expect(yield* hive.resolve(`${hash}.2`)).toBe(subtasks[1]!.id)
      expect(yield* hive.resolve(`${epic.id}.1`)).toBe(subtasks[0]!.id)
      const ambiguous = yield* Effect.flip(hive.resolve(`${hash}.`))
      expect(ambiguous).toMatchObject({ _tag: "AmbiguousId", id: `${hash}.` })
      if (ambiguous._tag === "AmbiguousId") expect([...ambiguous.candidates].sort()).toEqual(subtasks.map((s) => s.id).sort())
      const other = yield* hive.create({ title: "x" })
      expect(yield* hive.resolve(other.id.slice(3, 6))).toBe(other.id) // a unique prefix of the hash
      const all = yield* Effect.flip(hive.resolve("hv-"))
      expect(all._tag).toBe("AmbiguousId")
      expect(yield* Effect.flip(hive.get("zzzzzz"))).toMatchObject({ _tag: "CellNotFound", id: "zzzzzz" })
    }).pipe(Effect.provide(hiveLayer(backend))))

  it.scoped("the default prefix comes from the project root's name; a bad prefix is refused", () =>
    Effect.gen(function*() {
      const hive = yield* Hive
      expect(hive.prefix).toMatch(/^waggle$/) // the test root is a temp dir named waggle-test-...
      expect((yield* hive.create({ title: "x" })).id).toMatch(/^waggle-[0-9a-z]{4}$/)
      const bad = yield* Effect.flip(
        Effect.provide(Hive, Layer.provide(Hive.layer({ prefix: "Bad Prefix" }), Layer.provideMerge(EventStore.layer, backend.layer())))
      )
      expect((bad as { readonly _tag: string })._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(Layer.provideMerge(Layer.merge(Hive.layer(), HiveSessions.layer), Layer.provideMerge(EventStore.layer, backend.layer())))))
})
