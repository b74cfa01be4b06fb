import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { defaultDatabaseUrl, findProjectRoot, resolveProject } from "@waggle/primitives"
import { tempDir } from "@waggle/test-support"

const git = (cwd: string, ...args: Array<string>) =>
  execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).toString()

describe("Project", () => {
  it.scoped("the root of a repository, from any subdirectory", () =>
    Effect.gen(function*() {
      const dir = fs.realpathSync(yield* tempDir())
      git(dir, "init", "-q")
      fs.mkdirSync(path.join(dir, "src", "deep"), { recursive: true })
      expect(findProjectRoot(path.join(dir, "src", "deep"))).toBe(dir)
    }))

  it.scoped("every worktree of a repository shares the main worktree's root (and so one database)", () =>
    Effect.gen(function*() {
      const dir = fs.realpathSync(yield* tempDir())
      const main = path.join(dir, "main")
      fs.mkdirSync(main)
      git(main, "init", "-q")
      git(main, "commit", "-q", "--allow-empty", "-m", "init")
      git(main, "worktree", "add", "-q", path.join(dir, "feature"), "-b", "feature")
      expect(findProjectRoot(path.join(dir, "feature"))).toBe(main)
      const a = defaultDatabaseUrl(findProjectRoot(main))
      const b = defaultDatabaseUrl(findProjectRoot(path.join(dir, "feature")))
      expect(a).toBe(b)
      expect(a).toBe(`file:${path.join(main, ".waggle", "waggle.db")}`)
      expect(fs.readFileSync(path.join(main, ".waggle", ".gitignore"), "utf8")).toContain("*")
      expect(git(main, "status", "--porcelain")).toBe("") // .waggle/ is ignored
    }))

  it.scoped("outside a repository the working directory is the root", () =>
    Effect.gen(function*() {
      const dir = fs.realpathSync(yield* tempDir())
      // tmpdir is not inside a repository on the machines we run on; guard anyway
      const root = findProjectRoot(dir)
      if (!fs.existsSync(path.join(root, ".git"))) expect(root).toBe(dir)
    }))

  it.scoped("WAGGLE_PROJECT overrides the key; the root stays", () =>
    Effect.gen(function*() {
      const dir = fs.realpathSync(yield* tempDir())
      expect(resolveProject({ cwd: dir, key: "shared-key" })).toEqual({ key: "shared-key", root: findProjectRoot(dir) })
    }))
})
