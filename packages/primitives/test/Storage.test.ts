import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { applyMigrations, EventStore, Project, Storage, sql } from "@waggle/primitives"
import { backends, freePort, startWorker, tempDir } from "@waggle/test-support"
import { fileURLToPath } from "node:url"

const openError = (url: string) =>
  Effect.flip(Effect.scoped(Layer.build(Storage.layer({ url }))))

describe("Storage: opening", () => {
  it.scoped("a file in a directory that does not exist is a typed error naming the URL", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "missing", "deeper", "waggle.db")}`
      const error = yield* openError(url)
      expect(error._tag).toBe("DatabaseOpenError")
      expect(error.message).toContain(url)
      expect(fs.existsSync(path.join(dir, "missing"))).toBe(false)
    }))

  it.scoped("a file that is not a database is a typed error, and the file is left untouched", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const file = path.join(dir, "notes.txt")
      const content = "these are my notes, not a database\n".repeat(200)
      fs.writeFileSync(file, content)
      const error = yield* openError(`file:${file}`)
      expect(error._tag).toBe("DatabaseOpenError")
      expect(error.message).toMatch(/not a database/i)
      expect(fs.readFileSync(file, "utf8")).toBe(content)
    }))

  it.scoped("a file without permission is a typed error, never an in-memory fallback", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      fs.chmodSync(dir, 0o711) // others may pass through to the locked directory...
      const locked = path.join(dir, "locked")
      fs.mkdirSync(locked, { mode: 0o700 }) // ...but not into it
      const url = `file:${path.join(locked, "waggle.db")}`
      // Root ignores permissions, so the open is attempted by an unprivileged process.
      const asNobody = process.getuid?.() === 0
      if (!asNobody) fs.chmodSync(locked, 0o500)
      const result = yield* Effect.promise(() =>
        startWorker(fileURLToPath(new URL("./workers/openDatabase.ts", import.meta.url)), [url], {
          ...(asNobody ? { uid: 65534, gid: 65534, env: { HOME: "/tmp" } } : {})
        }).exited
      )
      fs.chmodSync(locked, 0o700)
      const outcome = result.messages[0] as { ok: boolean; tag?: string; message?: string } | undefined
      expect(outcome, result.stderr).toBeDefined()
      expect(outcome!.ok).toBe(false)
      expect(outcome!.tag).toBe("DatabaseOpenError")
      expect(outcome!.message).toContain(url)
      expect(fs.readdirSync(locked)).toEqual([])
    }))

  it.scoped("an unreachable server is a typed error, fast", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() => freePort())
      const error = yield* openError(`http://127.0.0.1:${port}`)
      expect(error._tag).toBe("DatabaseOpenError")
      expect(error.message).toContain(`127.0.0.1:${port}`)
    }))

  it.effect("a URL with an unsupported scheme is invalid input", () =>
    Effect.gen(function*() {
      const error = yield* openError("postgres://localhost/db")
      expect(error._tag).toBe("InvalidInput")
    }))

  it.scoped("credentials never appear in errors", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() => freePort())
      const error = yield* Effect.flip(Effect.scoped(Layer.build(
        Storage.layer({ url: `http://user:secret@127.0.0.1:${port}?authToken=topsecret`, authToken: "topsecret" })
      )))
      expect(error.message).not.toContain("secret")
    }))
})

describe("Storage: migrations", () => {
  it.scoped("apply once, in order, and are idempotent", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const layer = Storage.layer({ url: `file:${path.join(dir, "m.db")}` })
      const migrations = [
        { version: 2, name: "add_column", sql: "ALTER TABLE m_things ADD COLUMN note TEXT" },
        { version: 1, name: "things", sql: "CREATE TABLE m_things (id TEXT PRIMARY KEY)" }
      ]
      const first = yield* applyMigrations("m", migrations).pipe(Effect.provide(layer))
      const second = yield* applyMigrations("m", migrations).pipe(Effect.provide(layer))
      expect(first).toEqual([1, 2])
      expect(second).toEqual([])
      const broken = yield* Effect.exit(
        applyMigrations("m", [...migrations, { version: 3, name: "broken", sql: "CREATE TABLE oops (" }]).pipe(Effect.provide(layer))
      )
      expect(Exit.isFailure(broken)).toBe(true)
      const applied = yield* Effect.flatMap(Storage, (s) => s.query(sql`SELECT version FROM waggle_migrations WHERE module = 'm' ORDER BY version`)).pipe(Effect.provide(layer))
      expect(applied.map((r) => r["version"])).toEqual([1, 2])
    }))

  it.scoped("two opens of one fresh database at the same moment both succeed, each migration applied once", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "race.db")}`
      const open = (key: string) =>
        Effect.gen(function*() {
          const store = yield* EventStore
          return store.project
        }).pipe(Effect.provide(Layer.provideMerge(EventStore.layer, Layer.merge(Storage.layer({ url }), Project.layerOf({ key, root: dir })))))
      const keys = yield* Effect.all([open("a"), open("b"), open("c")], { concurrency: "unbounded" })
      expect(keys).toEqual(["a", "b", "c"])
      const rows = yield* Effect.flatMap(Storage, (s) => s.query(sql`SELECT module, version FROM waggle_migrations`)).pipe(
        Effect.provide(Storage.layer({ url }))
      )
      expect(rows).toEqual([{ module: "primitives", version: 1 }])
    }))
})

describe("Storage: durability", () => {
  it.scoped("synchronous is NORMAL by default and FULL on request", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const mode = (durability?: "normal" | "full") =>
        Effect.flatMap(Storage, (s) => s.query(sql`PRAGMA synchronous`)).pipe(
          Effect.provide(Storage.layer({ url: `file:${path.join(dir, "d.db")}`, ...(durability ? { durability } : {}) }))
        )
      expect(Object.values((yield* mode())[0]!)[0]).toBe(1) // NORMAL
      expect(Object.values((yield* mode("full"))[0]!)[0]).toBe(2) // FULL
      const journal = yield* Effect.flatMap(Storage, (s) => s.query(sql`PRAGMA journal_mode`)).pipe(
        Effect.provide(Storage.layer({ url: `file:${path.join(dir, "d.db")}` }))
      )
      expect(Object.values(journal[0]!)[0]).toBe("wal")
    }))
})

describe.each(backends)("Storage on $name", (backend) => {
  it.scoped("a failing unit undoes all its writes; concurrent units in the same commit are unaffected", () =>
    Effect.gen(function*() {
      const storage = yield* Storage
      const project = yield* Project
      yield* storage.write((tx) => tx.script("CREATE TABLE IF NOT EXISTS s_items (project TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (project, id))"))
      const insert = (id: string) => sql`INSERT INTO s_items (project, id) VALUES (${project.key}, ${id})`
      const results = yield* Effect.all([
        storage.write((tx) => tx.run(insert("a"))),
        storage.write((tx) => Effect.zipRight(tx.run(insert("b")), Effect.fail("changed my mind" as const))),
        storage.write((tx) => tx.run(insert("c"))),
        storage.write((tx) => Effect.zipRight(tx.run(insert("d")), tx.run(insert("a")))) // duplicate key
      ], { concurrency: "unbounded", mode: "either" })
      expect(results.map((r) => r._tag)).toEqual(["Right", "Left", "Right", "Left"])
      const rows = yield* storage.query(sql`SELECT id FROM s_items WHERE project = ${project.key} ORDER BY id`)
      expect(rows.map((r) => r["id"])).toEqual(["a", "c"])
    }).pipe(Effect.provide(backend.layer())))

  it.scoped("a blob or a null as the only argument binds positionally and round-trips", () =>
    Effect.gen(function*() {
      const storage = yield* Storage
      const bytes = new Uint8Array([0, 1, 2, 254, 255])
      yield* storage.write((tx) =>
        Effect.gen(function*() {
          yield* tx.script("CREATE TABLE IF NOT EXISTS s_blobs (b BLOB, t TEXT)")
          yield* tx.run(sql`DELETE FROM s_blobs`)
          yield* tx.run(sql`INSERT INTO s_blobs (b) VALUES (${bytes})`)
          yield* tx.run(sql`INSERT INTO s_blobs (t) VALUES (${null})`)
        }))
      const byBlob = yield* storage.query(sql`SELECT b FROM s_blobs WHERE b = ${bytes}`)
      expect(byBlob).toEqual([{ b: bytes }])
      const byNull = yield* storage.query(sql`SELECT count(*) AS n FROM s_blobs WHERE t IS ${null}`)
      expect(byNull).toEqual([{ n: 2 }])
    }).pipe(Effect.provide(backend.layer())))

  it.scoped("projects sharing one database never see each other's events", () =>
    Effect.gen(function*() {
      const base = backend.layer()
      const ctx = yield* Layer.build(base)
      const storage = ctx.pipe((c) => c)
      const inProject = (key: string) =>
        Layer.provideMerge(EventStore.layer, Layer.merge(Layer.succeedContext(storage), Project.layerOf({ key, root: "/tmp" })))
      const { NoteAdded, NotesModule } = yield* Effect.promise(() => import("./fixtures/notes.js"))
      const appendIn = (key: string, id: string) =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.install(NotesModule)
          yield* store.append("shared-stream", [NoteAdded.make({ id, text: key, tags: [] })])
          return yield* store.readAll()
        }).pipe(Effect.provide(inProject(key)))
      const suffix = String(Math.random()).slice(2)
      yield* appendIn(`alpha-${suffix}`, "1")
      const beta = yield* appendIn(`beta-${suffix}`, "2")
      expect(beta.map((e) => e.project)).toEqual([`beta-${suffix}`])
      expect(beta[0]!.version).toBe(1)
      const alpha = yield* appendIn(`alpha-${suffix}`, "3")
      expect(alpha.map((e) => (e.data as { id: string }).id)).toEqual(["1", "3"])
    }))
})
