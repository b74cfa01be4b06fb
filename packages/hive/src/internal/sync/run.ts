/** The steps of `HiveSync.sync`, for the hive's file and every other participant's, in one commit. */
import { Effect } from "effect"
import type { StorageError, SyncImportReport, SyncParticipant } from "@waggle/primitives"
import { SyncError } from "../../HiveErrors.js"
import type { ImportParseError } from "../../HiveErrors.js"
import {
  behind,
  chooseRemote,
  commitFiles,
  currentBranch,
  hasCommits,
  hasUpstream,
  openGit,
  push,
  readWorkingFile,
  rebaseOnto,
  restoreFiles,
  remoteRef,
  showFile,
  writeWorkingFile
} from "./git.js"
import type { Git } from "./git.js"

export interface SyncImport {
  readonly participant: string
  readonly file: string
  /** Where the imported content came from. */
  readonly source: "worktree" | "remote"
  readonly report: SyncImportReport
}

export interface SyncReport {
  readonly workdir: string
  readonly branch: string
  readonly remote: string | null
  /** Whether this sync made a commit. */
  readonly committed: boolean
  /** Whether the remote branch had commits this clone did not (and they were merged). */
  readonly pulled: boolean
  readonly pushed: boolean
  readonly imports: ReadonlyArray<SyncImport>
  /** Files exported (relative to the working tree). */
  readonly files: ReadonlyArray<string>
  /** How many rounds it took (more than one when the remote moved during the sync). */
  readonly attempts: number
}

export interface SyncPlan {
  readonly workdir: string
  readonly participants: ReadonlyArray<SyncParticipant>
  readonly remote: string | undefined
  readonly attempts: number
  readonly message: string
  readonly loadBase: (file: string) => Effect.Effect<string | undefined, StorageError>
  readonly saveBase: (file: string, content: string) => Effect.Effect<void, StorageError>
}

type Failure = SyncError | ImportParseError | StorageError

const typed = (p: SyncParticipant, step: string) => (error: unknown): Failure => {
  const tag = (error as { readonly _tag?: unknown } | null)?._tag
  if (tag === "SyncError" || tag === "ImportParseError" || tag === "StorageError") return error as Failure
  return new SyncError({ step: `${step} ${p.name}`, reason: error instanceof Error ? error.message : String(error) })
}

const importInto = (p: SyncParticipant, content: string, base: string | undefined) =>
  Effect.mapError(p.importFile(content, { dryRun: false, base }), typed(p, "import"))

/** One round: returns the report, or "retry" when the push was rejected because the remote moved. */
const round = (plan: SyncPlan, git: Git, attempt: number) =>
  Effect.gen(function*() {
    const branch = yield* currentBranch(git)
    const remote = yield* chooseRemote(git, branch, plan.remote)
    const imports: Array<SyncImport> = []
    const bases = new Map<string, string | undefined>()
    for (const p of plan.participants) bases.set(p.file, yield* plan.loadBase(p.file))

    // 1. The working tree's files, when something other than a sync changed them.
    for (const p of plan.participants) {
      const content = readWorkingFile(git, p.file)
      const base = bases.get(p.file)
      if (content !== undefined && content !== base) {
        imports.push({ participant: p.name, file: p.file, source: "worktree", report: yield* importInto(p, content, base) })
      }
    }

    // 2. The remote branch's files.
    let upstream: string | undefined
    if (remote !== undefined) {
      yield* git.run("fetch", ["fetch", "--quiet", remote])
      upstream = yield* remoteRef(git, remote, branch)
      if (upstream !== undefined) {
        for (const p of plan.participants) {
          const content = yield* showFile(git, upstream, p.file)
          const base = bases.get(p.file)
          if (content !== undefined && content !== base) {
            imports.push({ participant: p.name, file: p.file, source: "remote", report: yield* importInto(p, content, base) })
          }
        }
      }
    }

    // 3. The merged state, as the files will be committed.
    const exported = new Map<string, string>()
    for (const p of plan.participants) exported.set(p.file, yield* Effect.mapError(p.exportFile, typed(p, "export")))
    const files = [...exported.keys()]

    // 4. Catch up with the remote branch (its changes are already in the database). The sync files
    //    go back to HEAD first; conflicts on them while replaying local commits take the merged export.
    let pulled = false
    const born = yield* hasCommits(git)
    if (upstream !== undefined && (!born || (yield* behind(git, upstream)) > 0)) {
      pulled = true
      if (born) {
        yield* restoreFiles(git, files)
        yield* rebaseOnto(git, upstream, exported)
      } else {
        yield* git.run("rebase", ["reset", "--quiet", upstream])
      }
    }

    // 5. Write and commit what changed.
    for (const [file, content] of exported) yield* writeWorkingFile(git, file, content)
    const committed = yield* commitFiles(git, files, plan.message)

    // 6. Push.
    let pushed = false
    if (remote !== undefined && (yield* hasCommits(git))) {
      const ahead = upstream === undefined ? 1 : yield* behindOf(git, upstream)
      if (ahead > 0) {
        const outcome = yield* push(git, remote, branch, !(yield* hasUpstream(git)))
        if (outcome === "rejected") return "retry" as const
        pushed = true
      }
    }

    // 7. What is now on both sides is the next merge base.
    for (const [file, content] of exported) yield* plan.saveBase(file, content)
    const report: SyncReport = {
      workdir: git.dir,
      branch,
      remote: remote ?? null,
      committed,
      pulled,
      pushed,
      imports,
      files,
      attempts: attempt
    }
    return report
  })

/** Commits HEAD has that `ref` does not. */
const behindOf = (git: Git, ref: string) =>
  Effect.map(git.run("push", ["rev-list", "--count", `${ref}..HEAD`]), (out) => Number(out.trim()))

export const runSync = (plan: SyncPlan): Effect.Effect<SyncReport, Failure> =>
  Effect.gen(function*() {
    const git = yield* openGit(plan.workdir)
    for (let attempt = 1; attempt <= plan.attempts; attempt++) {
      const outcome = yield* round(plan, git, attempt)
      if (outcome !== "retry") return outcome
    }
    return yield* new SyncError({ step: "push", reason: `the remote kept moving: gave up after ${plan.attempts} attempts` })
  })


