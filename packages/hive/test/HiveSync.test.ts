import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Hive, HiveSync } from "../src/index.js"
import { buildEnv, snapshotTables, startClock, syncLayer, tick } from "./fixtures/hive.js"
import { clones, commitFile, git, log, lonelyRepo, remoteFile } from "./fixtures/git.js"

const FILE = ".hive/issues.jsonl"

describe.each(backends)("HiveSync with real git repositories on $name", (backend) => {
  it.scoped("two clones editing concurrently converge: field-wise merge, unions, closed beats open, tombstones, no cell lost", () =>
    Effect.gen(function*() {
      yield* startClock
      const { origin, dirs: [dirA, dirB] } = yield* clones("alice", "bob")
      const a = yield* buildEnv(syncLayer(backend, { workdir: dirA! }))
      const b = yield* buildEnv(syncLayer(backend, { workdir: dirB! }))
      const onA = <X, E>(e: Effect.Effect<X, E, Hive | HiveSync>) => Effect.provide(e, a)
      const onB = <X, E>(e: Effect.Effect<X, E, Hive | HiveSync>) => Effect.provide(e, b)
      const sync = Effect.flatMap(HiveSync, (s) => s.sync())

      const [x, y, z, w] = yield* onA(Effect.gen(function*() {
        const hive = yield* Hive
        return yield* Effect.forEach(["x", "y", "z", "w"], (title) => hive.create({ title, labels: ["shared"] }))
      }))
      const first = yield* onA(sync)
      expect(first).toMatchObject({ committed: true, pushed: true, remote: "origin", branch: "main" })
      const joined = yield* onB(sync)
      expect(joined.imports.map((i) => [i.source, i.report.created])).toEqual([["remote", 4]])
      expect(joined).toMatchObject({ committed: false, pushed: false })

      yield* tick()
      const newOnA = yield* onA(Effect.gen(function*() {
        const hive = yield* Hive
        yield* hive.update(x!.id, { title: "x by alice", description: "alice's words" })
        yield* hive.close(y!.id, { reason: "fixed by alice" })
        yield* hive.label(z!.id, { add: ["from-a"], remove: ["shared"] })
        yield* hive.comment(x!.id, { author: "alice", body: "a says" })
        yield* hive.delete(w!.id)
        return yield* hive.create({ title: "new on a" })
      }))
      yield* tick()
      const newOnB = yield* onB(Effect.gen(function*() {
        const hive = yield* Hive
        yield* hive.update(x!.id, { title: "x by bob" })
        yield* hive.update(y!.id, { priority: 0 })
        yield* hive.start(y!.id, "bob")
        yield* hive.label(z!.id, { add: ["from-b"] })
        yield* hive.comment(x!.id, { author: "bob", body: "b says" })
        yield* hive.update(w!.id, { title: "w edited after a deleted it" })
        const fresh = yield* hive.create({ title: "new on b" })
        yield* hive.addDependency(fresh.id, x!.id)
        return fresh
      }))

      // both sync at once: one of them finds the remote moved and goes round again
      const [ra, rb] = yield* Effect.all([onA(sync), onB(sync)], { concurrency: 2 })
      expect(ra.attempts + rb.attempts).toBeGreaterThanOrEqual(2)
      // a second round brings the first one up to date with the other's push
      yield* onA(sync)
      yield* onB(sync)

      const exportA = yield* onA(Effect.flatMap(HiveSync, (s) => s.exportJsonl))
      const exportB = yield* onB(Effect.flatMap(HiveSync, (s) => s.exportJsonl))
      expect(exportB).toBe(exportA)
      expect(remoteFile(origin, "main", FILE)).toBe(exportA)
      expect(fs.readFileSync(path.join(dirA!, FILE), "utf8")).toBe(exportA)
      expect(fs.readFileSync(path.join(dirB!, FILE), "utf8")).toBe(exportA)

      const cells = yield* onA(Effect.gen(function*() {
        const hive = yield* Hive
        return {
          x: yield* hive.get(x!.id),
          y: yield* hive.get(y!.id),
          z: yield* hive.get(z!.id),
          w: yield* hive.get(w!.id, { includeDeleted: true }),
          all: yield* hive.query({ includeDeleted: true, limit: 100 })
        }
      }))
      expect(cells.x).toMatchObject({ title: "x by bob", description: "alice's words" })
      expect(cells.x.comments.map((c) => c.body).sort()).toEqual(["a says", "b says"])
      expect(cells.y).toMatchObject({ status: "closed", closedReason: "fixed by alice", priority: 0, assignee: "bob" })
      expect(cells.z.labels).toEqual(["from-a", "from-b"])
      expect(cells.w.deletedAt).not.toBeNull()
      expect(cells.all.map((c) => c.id).sort()).toEqual([x!.id, y!.id, z!.id, w!.id, newOnA.id, newOnB.id].sort())
      expect((yield* onA(Effect.flatMap(Hive, (h) => h.get(newOnB.id)))).dependencies.map((d) => d.id)).toEqual([x!.id])
      expect(log(dirA!).length).toBeGreaterThanOrEqual(3)
    }), 120_000)

  it.scoped("two clones adding children to one epic at once keep both: the later one moves to a derived id", () =>
    Effect.gen(function*() {
      yield* startClock
      const { dirs: [dirA, dirB] } = yield* clones("alice", "bob")
      const a = yield* buildEnv(syncLayer(backend, { workdir: dirA! }))
      const b = yield* buildEnv(syncLayer(backend, { workdir: dirB! }))
      const sync = Effect.flatMap(HiveSync, (s) => s.sync())
      const { epic } = yield* Effect.provide(Effect.flatMap(Hive, (h) => h.createEpic({ title: "E", subtasks: [{ title: "one" }] })), a)
      yield* Effect.provide(sync, a)
      yield* Effect.provide(sync, b)
      const childA = yield* Effect.provide(Effect.flatMap(Hive, (h) => h.create({ title: "from a", parent: epic.id })), a)
      yield* tick()
      const childB = yield* Effect.provide(Effect.flatMap(Hive, (h) => h.create({ title: "from b", parent: epic.id })), b)
      expect(childA.id).toBe(childB.id)
      yield* Effect.provide(sync, b)
      const onA = yield* Effect.provide(sync, a)
      const moved = new RegExp(`^${childA.id.replace(/\./g, "\\.")}-[0-9a-z]{4}$`)
      const reasons = onA.imports.flatMap((i) => i.report.conflicts).map((c) => c.reason)
      expect(reasons).toHaveLength(1)
      expect(reasons[0]).toMatch(/^id collision: the incoming cell was imported as /)
      expect(reasons[0]!.split(" ").at(-1)).toMatch(moved)
      yield* Effect.provide(sync, b)
      // the rename is an event like any other: B's projections rebuild to the same rows
      const beforeRebuild = yield* Effect.provide(snapshotTables, b)
      yield* Effect.provide(Effect.flatMap(EventStore, (s) => s.rebuildProjections()), b)
      expect(yield* Effect.provide(snapshotTables, b)).toEqual(beforeRebuild)
      for (const env of [a, b]) {
        const children = yield* Effect.provide(Effect.flatMap(Hive, (h) => h.query({ parent: epic.id, sort: "id" })), env)
        expect(children.map((c) => c.title).sort()).toEqual(["from a", "from b", "one"])
        expect(children.find((c) => c.title === "from a")!.id).toBe(childA.id)
        expect(children.find((c) => c.title === "from b")!.id).toMatch(moved)
      }
    }), 120_000)

  it.scoped("works in a repository without a remote: commits only when the export changed", () =>
    Effect.gen(function*() {
      const dir = yield* lonelyRepo
      yield* Effect.gen(function*() {
        const hive = yield* Hive
        const sync = yield* HiveSync
        const cell = yield* hive.create({ title: "local only" })
        const first = yield* sync.sync()
        expect(first).toMatchObject({ remote: null, committed: true, pushed: false, pulled: false })
        expect((yield* sync.sync()).committed).toBe(false)
        expect(log(dir)).toEqual(["hive: sync"])
        yield* hive.close(cell.id, { reason: "done" })
        expect((yield* sync.sync({ message: "hive: close" })).committed).toBe(true)
        expect(log(dir)).toEqual(["hive: close", "hive: sync"])
        // a hand edit of the file (or a manual merge) is imported by the next sync
        const file = path.join(dir, FILE)
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("local only", "edited by hand"))
        const third = yield* sync.sync()
        expect(third.imports.map((i) => [i.source, i.report.updated])).toEqual([["worktree", 1]])
        expect((yield* hive.get(cell.id)).title).toBe("edited by hand")
        expect(git(dir, "status", "--porcelain").trim()).toBe("")
      }).pipe(Effect.provide(syncLayer(backend, { workdir: dir })))
    }), 60_000)

  it.scoped("works from a linked git worktree: commits on its branch and pushes it", () =>
    Effect.gen(function*() {
      const { root, origin, dirs: [dirA] } = yield* clones("alice")
      commitFile(dirA!, "README.md", "hello\n", "readme")
      git(dirA!, "push", "--quiet", "origin", "main")
      const wt = path.join(root, "feature-wt")
      git(dirA!, "worktree", "add", "--quiet", "-b", "feature", wt)
      yield* Effect.gen(function*() {
        const hive = yield* Hive
        const sync = yield* HiveSync
        expect(sync.workdir).toBe(fs.realpathSync(wt))
        yield* hive.create({ title: "made in a worktree" })
        const report = yield* sync.sync()
        expect(report).toMatchObject({ branch: "feature", remote: "origin", committed: true, pushed: true })
        expect(remoteFile(origin, "feature", FILE)).toContain("made in a worktree")
        expect(fs.existsSync(path.join(dirA!, FILE))).toBe(false)
        expect(log(dirA!, "main")).toEqual(["readme"])
        expect((yield* sync.sync()).pushed).toBe(false)
      }).pipe(Effect.provide(syncLayer(backend, { workdir: wt })))
    }), 60_000)

  it.scoped("a conflict outside the sync files fails with SyncError and leaves the branch as it was", () =>
    Effect.gen(function*() {
      const { dirs: [dirA, dirB] } = yield* clones("alice", "bob")
      commitFile(dirA!, "notes.md", "base\n", "notes")
      git(dirA!, "push", "--quiet", "origin", "main")
      git(dirB!, "pull", "--quiet", "origin", "main")
      commitFile(dirA!, "notes.md", "alice\n", "alice notes")
      git(dirA!, "push", "--quiet", "origin", "main")
      commitFile(dirB!, "notes.md", "bob\n", "bob notes")
      const before = git(dirB!, "rev-parse", "HEAD")
      yield* Effect.gen(function*() {
        const hive = yield* Hive
        yield* hive.create({ title: "cell" })
        const error = yield* Effect.flip(Effect.flatMap(HiveSync, (s) => s.sync()))
        expect(error).toMatchObject({ _tag: "SyncError", step: "rebase" })
        expect(error.message).toContain("notes.md")
      }).pipe(Effect.provide(syncLayer(backend, { workdir: dirB! })))
      expect(fs.existsSync(path.join(dirB!, ".git", "rebase-merge"))).toBe(false)
      expect(git(dirB!, "rev-parse", "HEAD")).toBe(before)
      expect(fs.readFileSync(path.join(dirB!, "notes.md"), "utf8")).toBe("bob\n")
    }), 60_000)
})
