import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, TestClock } from "effect"
import * as path from "node:path"
import { EventStore, FileReservations, Project, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"

const snapshot = Effect.gen(function*() {
  const storage = yield* Storage
  const store = yield* EventStore
  const rows = yield* storage.query(sql`SELECT * FROM file_reservations WHERE project = ${store.project} ORDER BY id`)
  return { rows, head: yield* store.head }
})

const patternsOf = (rs: ReadonlyArray<{ readonly pattern: string }>) => rs.map((r) => r.pattern)

describe.each(backends)("FileReservations on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, FileReservations | EventStore | Storage | Project>) =>
    effect.pipe(Effect.provide(
      Layer.provideMerge(FileReservations.layer, Layer.provideMerge(EventStore.layer, backend.layer({ pollIntervalMs: 60_000 })))
    ))

  it.scoped("grants all requested paths, listed with their mode, reason and expiry", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const result = yield* files.reserve("alice", ["src/a.ts", "docs/**"], { ttl: "10 minutes", reason: "refactor" })
      expect(result.conflicts).toEqual([])
      expect(result.granted.map((g) => [g.pattern, g.exclusive, g.reason, g.expiresAt - g.createdAt])).toEqual([
        ["src/a.ts", true, "refactor", 600_000],
        ["docs/**", true, "refactor", 600_000]
      ])
      expect(new Set(result.granted.map((g) => g.id)).size).toBe(2)
      const listed = yield* files.list()
      expect(listed.map((r) => r.id).sort()).toEqual(result.granted.map((g) => g.id).sort())
      expect(yield* files.list({ agent: "bob" })).toEqual([])
      // the default: exclusive, one hour
      const defaults = yield* files.reserve("bob", ["lib/x.ts"])
      expect(defaults.granted[0]).toMatchObject({ exclusive: true, reason: null })
      expect(defaults.granted[0]!.expiresAt - defaults.granted[0]!.createdAt).toBe(3_600_000)
    })))

  it.scoped("all or nothing: one conflicting path grants nothing; conflicts name holder, pattern and path", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const held = yield* files.reserve("alice", ["src/**", "README.md"], { ttl: "10 minutes" })
      const before = yield* snapshot
      const error = yield* Effect.flip(files.reserve("bob", ["lib/free.ts", "src/a.ts", "README.md"]))
      expect(error._tag).toBe("ReservationConflict")
      if (error._tag === "ReservationConflict") {
        expect(error.agent).toBe("bob")
        expect(error.conflicts).toEqual([
          { holder: "alice", pattern: "src/**", path: "src/a.ts", exclusive: true, expiresAt: held.granted[0]!.expiresAt },
          { holder: "alice", pattern: "README.md", path: "README.md", exclusive: true, expiresAt: held.granted[1]!.expiresAt }
        ])
      }
      expect(yield* snapshot).toEqual(before)
      expect(yield* files.list({ agent: "bob" })).toEqual([])
    })))

  it.scoped("overlap is decided in both directions; * does not cross /", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const cases: ReadonlyArray<readonly [string, string, boolean]> = [
        ["src/**", "src/a.ts", true],
        ["src/a.ts", "src/**", true],
        ["src/*.ts", "src/**/x.ts", true],
        ["src/**/x.ts", "src/*.ts", true],
        ["*.ts", "src/a.ts", false],
        ["src/a.ts", "*.ts", false],
        ["{src,lib}/*.ts", "lib/b.ts", true],
        ["src/[ab].ts", "src/c.ts", false]
      ]
      for (const [i, [held, wanted, conflict]] of cases.entries()) {
        yield* files.reserve(`holder-${i}`, [held])
        const found = yield* files.check(`other-${i}`, [wanted])
        expect(found.map((c) => [c.pattern, c.path]), `${held} vs ${wanted}`).toEqual(conflict ? [[held, wanted]] : [])
        yield* files.releaseAgent(`holder-${i}`)
      }
    })))

  it.scoped("shared conflicts only with exclusive; an agent never conflicts with itself", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      yield* files.reserve("alice", ["src/**"], { exclusive: false })
      yield* files.reserve("bob", ["src/a.ts"], { exclusive: false })
      const exclusive = yield* Effect.flip(files.reserve("carol", ["src/b.ts"]))
      expect(exclusive._tag === "ReservationConflict" && exclusive.conflicts.map((c) => c.holder)).toEqual(["alice"])
      yield* files.reserve("dave", ["lib/**"])
      const shared = yield* Effect.flip(files.reserve("erin", ["lib/x.ts"], { exclusive: false }))
      expect(shared._tag === "ReservationConflict" && shared.conflicts).toEqual([
        expect.objectContaining({ holder: "dave", pattern: "lib/**", path: "lib/x.ts", exclusive: true })
      ])
      // own reservations never conflict, in any mode: only bob's shared src/a.ts stands in the way
      yield* files.reserve("alice", ["src/a.ts", "src/**"], { exclusive: false })
      expect(yield* files.check("alice", ["src/**"])).toEqual([
        expect.objectContaining({ holder: "bob", pattern: "src/a.ts", exclusive: false })
      ])
    })))

  it.scoped("re-reserving a pattern updates it in place, keeping its id", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const first = yield* files.reserve("alice", ["src/a.ts"], { ttl: "1 minute", exclusive: false })
      yield* TestClock.adjust("30 seconds")
      const again = yield* files.reserve("alice", ["./src/a.ts", "src/b.ts"], { ttl: "5 minutes", reason: "longer" })
      expect(again.granted[0]).toMatchObject({
        id: first.granted[0]!.id,
        createdAt: first.granted[0]!.createdAt,
        exclusive: true,
        reason: "longer",
        expiresAt: 330_000
      })
      const listed = yield* files.list({ agent: "alice" })
      expect(listed).toHaveLength(2)
      expect(listed.find((r) => r.pattern === "src/a.ts")).toEqual(again.granted[0])
    })))

  it.scoped("expired reservations count for nothing and are dropped by the next reservation", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const storage = yield* Storage
      const store = yield* EventStore
      yield* files.reserve("alice", ["src/**"], { ttl: "1 minute" })
      expect(Either.isLeft(yield* Effect.either(files.reserve("bob", ["src/a.ts"])))).toBe(true)
      yield* TestClock.adjust("61 seconds")
      expect(yield* files.list()).toEqual([])
      expect(yield* files.check("bob", ["src/a.ts"])).toEqual([])
      yield* files.reserve("bob", ["src/a.ts"])
      const rows = yield* storage.query<{ agent: string }>(sql`SELECT agent FROM file_reservations WHERE project = ${store.project}`)
      expect(rows.map((r) => r.agent)).toEqual(["bob"])
    })))

  it.scoped("force grants despite conflicts, and reports and records them", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const store = yield* EventStore
      yield* files.reserve("alice", ["src/**"])
      const forced = yield* files.reserve("bob", ["src/a.ts", "lib/b.ts"], { force: true, reason: "hotfix" })
      expect(patternsOf(forced.granted)).toEqual(["src/a.ts", "lib/b.ts"])
      expect(forced.conflicts).toEqual([expect.objectContaining({ holder: "alice", pattern: "src/**", path: "src/a.ts" })])
      expect(patternsOf(yield* files.list({ agent: "bob" }))).toEqual(["lib/b.ts", "src/a.ts"])
      const [event] = yield* store.readAll({ types: ["files_reserved"], stream: "reservations:bob" })
      expect((event!.data as { conflicts: Array<unknown> }).conflicts).toHaveLength(1)
    })))

  it.scoped("release by paths, by ids and all of mine; only one's own; returns what was released", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const a = yield* files.reserve("alice", ["src/a.ts", "src/b.ts", "src/c.ts", "docs/"])
      const b = yield* files.reserve("bob", ["lib/x.ts"])
      const byPath = yield* files.release("alice", { paths: ["./src//a.ts", "nothing/held.ts"] })
      expect(patternsOf(byPath)).toEqual(["src/a.ts"])
      const byId = yield* files.release("alice", { ids: [a.granted[1]!.id, b.granted[0]!.id] })
      expect(patternsOf(byId)).toEqual(["src/b.ts"])
      expect(patternsOf(yield* files.list({ agent: "bob" }))).toEqual(["lib/x.ts"])
      const before = yield* snapshot
      expect(yield* files.release("alice", { paths: ["src/a.ts"] })).toEqual([])
      expect(yield* snapshot).toEqual(before) // nothing matched: nothing appended
      const mine = yield* files.releaseMine("alice")
      expect(patternsOf(mine).sort()).toEqual(["docs/**", "src/c.ts"])
      expect(patternsOf(yield* files.list())).toEqual(["lib/x.ts"])
      const none = yield* Effect.flip(files.release("alice", {}))
      expect(none._tag).toBe("InvalidInput")
    })))

  it.scoped("coordinator: release one agent's reservations, or everyone's", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const store = yield* EventStore
      yield* files.reserve("alice", ["a/**"])
      yield* files.reserve("bob", ["b/**", "c.ts"])
      yield* files.reserve("carol", ["d/**"])
      expect(patternsOf(yield* files.releaseAgent("bob"))).toEqual(["b/**", "c.ts"])
      expect(patternsOf(yield* files.list())).toEqual(["a/**", "d/**"])
      expect((yield* files.releaseAll()).map((r) => r.agent)).toEqual(["alice", "carol"])
      expect(yield* files.list()).toEqual([])
      const released = yield* store.readAll({ types: ["files_released"] })
      expect(released.map((e) => [e.stream, (e.data as { by: string }).by])).toEqual([
        ["reservations:bob", "coordinator"],
        ["reservations", "coordinator"]
      ])
    })))

  it.scoped("check reports conflicts without reserving anything", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      yield* files.reserve("alice", ["src/**/*.test.ts"], { exclusive: false })
      const before = yield* snapshot
      expect(yield* files.check("bob", ["src/x/y.test.ts", "src/y.ts"])).toEqual([
        expect.objectContaining({ holder: "alice", pattern: "src/**/*.test.ts", path: "src/x/y.test.ts", exclusive: false })
      ])
      expect(yield* files.check("bob", ["src/x/y.test.ts"], { exclusive: false })).toEqual([])
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("paths are normalised; absolute paths inside the root become relative; escaping the root is refused", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const { root } = yield* Project
      const result = yield* files.reserve("alice", [
        path.join(root, "src", "a.ts"),
        "src\\b.ts",
        "./src/../src/c.ts",
        "lib/",
        "src/a.ts"
      ])
      expect(patternsOf(result.granted)).toEqual(["src/a.ts", "src/b.ts", "src/c.ts", "lib/**"])
      const before = yield* snapshot
      const escaping = yield* Effect.flip(files.reserve("alice", ["ok.ts", "../outside.ts", "/etc/passwd", root]))
      expect(escaping._tag).toBe("InvalidInput")
      if (escaping._tag === "InvalidInput") {
        expect(escaping.issues.map((i) => i.path)).toEqual(["paths[1]", "paths[2]", "paths[3]"])
        expect(escaping.issues[0]!.message).toContain("../outside.ts")
        expect(escaping.issues[1]!.message).toMatch(/\/etc\/passwd.*outside the project root/)
      }
      expect((yield* Effect.flip(files.check("bob", ["a/../../b"])))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(files.release("alice", { paths: ["../x"] })))._tag).toBe("InvalidInput")
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("bad input is InvalidInput naming each field, and changes nothing", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      yield* files.reserve("alice", ["x.ts"])
      const before = yield* snapshot
      const bad = yield* Effect.flip(files.reserve("a\u0000b", [], { ttl: "2 days", reason: "" }))
      expect(bad._tag === "InvalidInput" && bad.issues.map((i) => i.path).sort()).toEqual(["agent", "options.reason", "options.ttl", "paths"])
      const tooMany = yield* Effect.flip(files.reserve("alice", Array.from({ length: 201 }, (_, i) => `f${i}.ts`)))
      expect(tooMany._tag).toBe("InvalidInput")
      const syntax = yield* Effect.flip(files.reserve("alice", ["src/[ab.ts", "{a,b"]))
      expect(syntax._tag === "InvalidInput" && syntax.issues.map((i) => i.path)).toEqual(["paths[0]", "paths[1]"])
      expect((yield* Effect.flip(files.list({ agent: "" })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(files.releaseAgent("  ")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(files.reserve("alice", ["y.ts"], { force: "yes" as never })))._tag).toBe("InvalidInput")
      expect(yield* snapshot).toEqual(before)
    })))

  it.scoped("of many agents racing for one path, exactly one gets it", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const attempts = yield* Effect.forEach(
        Array.from({ length: 16 }, (_, i) => `agent-${i}`),
        (agent) => Effect.either(files.reserve(agent, [`src/**/hot-${agent}.ts`, "src/hot.ts"])),
        { concurrency: "unbounded" }
      )
      expect(attempts.filter(Either.isRight)).toHaveLength(1)
      expect(attempts.filter(Either.isLeft).every((a) => a.left._tag === "ReservationConflict")).toBe(true)
      expect(yield* files.list()).toHaveLength(2)
    })))

  it.scoped("rebuilding the projection reproduces the table exactly", () =>
    run(Effect.gen(function*() {
      const files = yield* FileReservations
      const store = yield* EventStore
      let seed = 11
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      const paths = ["src/**", "src/a.ts", "src/*.ts", "lib/b.ts", "docs/", "{src,lib}/c.ts", "test/**/x.ts"]
      for (let i = 0; i < 150; i++) {
        const agent = `agent-${rand(4)}`
        const op = rand(6)
        if (op <= 2) {
          yield* Effect.either(files.reserve(agent, [paths[rand(paths.length)]!, paths[rand(paths.length)]!], {
            exclusive: rand(2) === 0,
            ttl: `${1 + rand(120)} seconds`,
            force: rand(5) === 0
          }))
        } else if (op === 3) yield* files.release(agent, { paths: [paths[rand(paths.length)]!] })
        else if (op === 4) yield* files.releaseMine(agent)
        else yield* TestClock.adjust(`${rand(30)} seconds`)
      }
      const before = yield* snapshot
      expect(before.rows.length).toBeGreaterThan(0)
      const storage = yield* Storage
      yield* storage.write((tx) => tx.run(sql`UPDATE file_reservations SET agent = 'garbage' WHERE project = ${store.project}`))
      yield* store.rebuildProjections(["file_reservations"])
      expect(yield* snapshot).toEqual(before)
    })))
})
