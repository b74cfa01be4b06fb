import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { Project, sql, SqlProgram, Storage } from "@waggle/primitives"
import { backends } from "@waggle/test-support"

class Taken extends Schema.TaggedError<Taken>()("Taken", { id: Schema.String, holder: Schema.String }) {}

const claim = (project: string, id: string, agent: string) =>
  function*() {
    const row = yield* SqlProgram.queryOne<{ holder: string }>(
      sql`SELECT holder FROM p_claims WHERE project = ${project} AND id = ${id}`
    )
    if (row !== undefined) return yield* SqlProgram.fail(new Taken({ id, holder: row.holder }))
    yield* SqlProgram.run(sql`INSERT INTO p_claims (project, id, holder) VALUES (${project}, ${id}, ${agent})`)
    yield* SqlProgram.runBatch([sql`INSERT INTO p_log (project, line) VALUES (${project}, ${`${agent} took ${id}`})`])
    return "claimed" as const
  }

describe.each(backends)("SqlProgram on $name", (backend) => {
  const setup = Effect.gen(function*() {
    const storage = yield* Storage
    const { key } = yield* Project
    yield* storage.write((tx) =>
      tx.script(`CREATE TABLE IF NOT EXISTS p_claims (project TEXT NOT NULL, id TEXT NOT NULL, holder TEXT NOT NULL, PRIMARY KEY (project, id));
                 CREATE TABLE IF NOT EXISTS p_log (project TEXT NOT NULL, line TEXT NOT NULL)`))
    const lines = storage.query<{ line: string }>(sql`SELECT line FROM p_log WHERE project = ${key} ORDER BY rowid`)
    return { storage, key, lines }
  })

  it.scoped("runs steps in one transaction; a typed failure is the unit's error and undoes its writes", () =>
    Effect.gen(function*() {
      const { storage, key, lines } = yield* setup
      expect(yield* storage.writeProgram(() => claim(key, "a", "alice")())).toBe("claimed")
      const taken = yield* Effect.flip(storage.writeProgram(() => claim(key, "a", "bob")()))
      expect(taken).toMatchObject({ _tag: "Taken", id: "a", holder: "alice" })
      expect((yield* lines).map((l) => l.line)).toEqual(["alice took a"])
    }).pipe(Effect.provide(backend.layer())))

  it.scoped("concurrent programs on one row: exactly one wins", () =>
    Effect.gen(function*() {
      const { storage, key, lines } = yield* setup
      const outcomes = yield* Effect.forEach(["a", "b", "c", "d", "e"], (agent) =>
        Effect.either(storage.writeProgram(() => claim(key, "x", agent)())), { concurrency: "unbounded" })
      expect(outcomes.filter((o) => o._tag === "Right")).toHaveLength(1)
      expect(yield* lines).toHaveLength(1)
    }).pipe(Effect.provide(backend.layer())))

  it.scoped("a statement error fails with StorageError and a thrown exception is a defect; both write nothing", () =>
    Effect.gen(function*() {
      const { storage, key, lines } = yield* setup
      const bad = yield* Effect.flip(storage.writeProgram(() =>
        (function*() {
          yield* SqlProgram.run(sql`INSERT INTO p_log (project, line) VALUES (${key}, 'before')`)
          yield* SqlProgram.run(sql`INSERT INTO p_claims (project, id, holder) VALUES (${key}, ${null}, 'x')`)
        })()))
      expect(bad._tag).toBe("StorageError")
      const defect = yield* Effect.exit(storage.writeProgram(() =>
        (function*() {
          yield* SqlProgram.run(sql`INSERT INTO p_log (project, line) VALUES (${key}, 'before')`)
          throw new Error("bug")
        })()))
      expect(Exit.isFailure(defect) && Cause.isDie(defect.cause)).toBe(true)
      expect(yield* lines).toEqual([])
    }).pipe(Effect.provide(backend.layer())))
})
