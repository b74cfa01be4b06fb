/**
 * The git steps of a sync, through simple-git. simple-git rejects only when git fails AND writes
 * to stderr, so state is read from command output (or the repository's files), never from exit
 * codes. No command may open an editor: commits always carry `-m` or `--no-edit`.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { simpleGit } from "simple-git"
import type { SimpleGit } from "simple-git"
import { SyncError } from "../../HiveErrors.js"

export interface Git {
  readonly dir: string
  readonly run: (step: string, args: ReadonlyArray<string>) => Effect.Effect<string, SyncError>
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).trim()

export const openGit = (dir: string): Effect.Effect<Git, SyncError> =>
  Effect.gen(function*() {
    if (!fs.existsSync(dir)) return yield* new SyncError({ step: "open", reason: `${dir} does not exist` })
    const client: SimpleGit = simpleGit({ baseDir: dir, maxConcurrentProcesses: 1 })
    const run = (step: string, args: ReadonlyArray<string>) =>
      Effect.tryPromise({
        try: () => client.raw([...args]),
        catch: (error) => new SyncError({ step, reason: reasonOf(error) })
      })
    const inside = yield* run("open", ["rev-parse", "--is-inside-work-tree"]).pipe(Effect.orElseSucceed(() => ""))
    if (inside.trim() !== "true") return yield* new SyncError({ step: "open", reason: `${dir} is not a git working tree` })
    return { dir, run }
  })

/** The current branch (also on a branch without commits yet); a detached HEAD is an error. */
export const currentBranch = (git: Git) =>
  Effect.flatMap(
    git.run("branch", ["symbolic-ref", "--quiet", "--short", "HEAD"]).pipe(Effect.orElseSucceed(() => "")),
    (out) =>
      out.trim() === ""
        ? Effect.fail(new SyncError({ step: "branch", reason: "HEAD is detached: check out a branch to sync" }))
        : Effect.succeed(out.trim())
  )

export const hasCommits = (git: Git) =>
  Effect.map(git.run("head", ["rev-parse", "--verify", "--quiet", "HEAD"]).pipe(Effect.orElseSucceed(() => "")), (out) =>
    out.trim() !== "")

/** The remote to sync with: the branch's upstream remote, else `origin`, else the only remote; or none. */
export const chooseRemote = (git: Git, branch: string, preferred: string | undefined) =>
  Effect.gen(function*() {
    const remotes = (yield* git.run("remote", ["remote"])).split("\n").map((s) => s.trim()).filter((s) => s !== "")
    if (preferred !== undefined) {
      if (!remotes.includes(preferred)) return yield* new SyncError({ step: "remote", reason: `no remote named ${preferred}` })
      return preferred
    }
    const configured = (yield* git.run("remote", ["config", "--get", `branch.${branch}.remote`]).pipe(Effect.orElseSucceed(() => "")))
      .trim()
    if (configured !== "" && remotes.includes(configured)) return configured
    if (remotes.includes("origin")) return "origin"
    return remotes.length === 1 ? remotes[0]! : undefined
  })

/** The remote-tracking ref of the branch after a fetch, if the remote has the branch. */
export const remoteRef = (git: Git, remote: string, branch: string) =>
  Effect.map(
    git.run("fetch", ["rev-parse", "--verify", "--quiet", `refs/remotes/${remote}/${branch}`]).pipe(Effect.orElseSucceed(() => "")),
    (out) => (out.trim() === "" ? undefined : `refs/remotes/${remote}/${branch}`)
  )

/** The file's content at `ref`, or undefined if it is not there. */
export const showFile = (git: Git, ref: string, file: string) =>
  Effect.gen(function*() {
    const listed = yield* git.run("show", ["ls-tree", "--name-only", ref, "--", file])
    if (listed.trim() === "") return undefined
    return yield* git.run("show", ["show", `${ref}:${file}`])
  })

export const readWorkingFile = (git: Git, file: string): string | undefined => {
  const full = path.join(git.dir, file)
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined
}

export const writeWorkingFile = (git: Git, file: string, content: string) =>
  Effect.try({
    try: () => {
      const full = path.join(git.dir, file)
      fs.mkdirSync(path.dirname(full), { recursive: true })
      if (!fs.existsSync(full) || fs.readFileSync(full, "utf8") !== content) fs.writeFileSync(full, content)
    },
    catch: (error) => new SyncError({ step: "write", reason: reasonOf(error) })
  })

/** Stages the files and commits them (only them) if they differ from HEAD; returns whether it committed. */
export const commitFiles = (git: Git, files: ReadonlyArray<string>, message: string) =>
  Effect.gen(function*() {
    yield* git.run("add", ["add", "--", ...files])
    const status = yield* git.run("status", ["status", "--porcelain", "--", ...files])
    if (status.trim() === "") return false
    yield* git.run("commit", ["commit", "--quiet", "-m", message, "--", ...files])
    return true
  })

/** Puts the files back as HEAD has them (or removes them if HEAD has none), index and working tree. */
export const restoreFiles = (git: Git, files: ReadonlyArray<string>) =>
  Effect.forEach(files, (file) =>
    Effect.gen(function*() {
      const tracked = (yield* git.run("restore", ["ls-tree", "--name-only", "HEAD", "--", file])).trim() !== ""
      if (tracked) {
        yield* git.run("restore", ["checkout", "HEAD", "--", file])
      } else {
        yield* git.run("restore", ["rm", "--cached", "--quiet", "--ignore-unmatch", "--", file])
        yield* Effect.sync(() => fs.rmSync(path.join(git.dir, file), { force: true }))
      }
    }), { discard: true })

/** How many commits `ref` has that HEAD does not. */
export const behind = (git: Git, ref: string) =>
  Effect.map(git.run("rebase", ["rev-list", "--count", `HEAD..${ref}`]), (out) => Number(out.trim()))

const rebaseInProgress = (git: Git) =>
  Effect.gen(function*() {
    const dirs = ["rebase-merge", "rebase-apply"]
    for (const d of dirs) {
      const p = (yield* git.run("rebase", ["rev-parse", "--git-path", d])).trim()
      if (fs.existsSync(path.resolve(git.dir, p))) return true
    }
    return false
  })

const conflicted = (git: Git) =>
  Effect.map(git.run("rebase", ["diff", "--name-only", "--diff-filter=U"]), (out) =>
    out.split("\n").map((s) => s.trim()).filter((s) => s !== ""))

/**
 * Rebases the branch onto `ref`. Conflicts in the sync files are resolved with `resolved` (the
 * merged export, which already holds both sides); a conflict anywhere else aborts the rebase and
 * fails, leaving the branch as it was.
 */
export const rebaseOnto = (git: Git, ref: string, resolved: ReadonlyMap<string, string>) =>
  Effect.gen(function*() {
    yield* Effect.ignore(git.run("rebase", ["rebase", "--autostash", ref]))
    for (let round = 0; round < 1000 && (yield* rebaseInProgress(git)); round++) {
      const files = yield* conflicted(git)
      const foreign = files.filter((f) => !resolved.has(f))
      if (files.length === 0 || foreign.length > 0) {
        yield* Effect.ignore(git.run("rebase", ["rebase", "--abort"]))
        return yield* new SyncError({
          step: "rebase",
          reason: foreign.length > 0
            ? `conflicts outside the sync files: ${foreign.join(", ")}`
            : "the rebase stopped without conflicts it could resolve"
        })
      }
      for (const f of files) yield* writeWorkingFile(git, f, resolved.get(f)!)
      yield* git.run("rebase", ["add", "--", ...files])
      const staged = yield* git.run("rebase", ["diff", "--cached", "--name-only"])
      if (staged.trim() !== "") yield* git.run("rebase", ["commit", "--quiet", "--no-edit", "--no-verify"])
      yield* Effect.ignore(git.run("rebase", ["rebase", "--continue"]))
    }
  })

/** Pushes HEAD to the remote branch; `rejected` when the remote moved on meanwhile (fetch and retry). */
export const push = (git: Git, remote: string, branch: string, setUpstream: boolean) =>
  Effect.matchEffect(
    git.run("push", ["push", ...(setUpstream ? ["--set-upstream"] : []), remote, `HEAD:refs/heads/${branch}`]),
    {
      onSuccess: () => Effect.succeed("pushed" as const),
      onFailure: (e) =>
        /rejected|non-fast-forward|fetch first|stale info/i.test(e.reason) ? Effect.succeed("rejected" as const) : Effect.fail(e)
    }
  )

export const hasUpstream = (git: Git) =>
  Effect.map(
    git.run("push", ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).pipe(Effect.orElseSucceed(() => "")),
    (out) => out.trim() !== "" && !out.includes("fatal")
  )
