/**
 * Git sync. The database is the source of truth; `.hive/issues.jsonl` is its deterministic export.
 *
 * `sync` (no daemon: it runs when called): imports the working tree's file if it changed since the
 * last sync (a manual pull or edit), fetches the remote and imports the branch's file from it with
 * the three-way merge, exports, commits the files if they changed, rebases onto the remote branch
 * (resolving conflicts in the sync files with the merged export), pushes (retrying if the remote
 * moved meanwhile), and records the synced content as the next merge base. Other packages' files
 * (`SyncParticipants`) go through the same steps in the same commit.
 */
import { Context, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore, findProjectRoot, Project, Storage, SyncParticipants } from "@waggle/primitives"
import type { MigrationError, StorageError, SyncParticipant } from "@waggle/primitives"
import { SyncError } from "./HiveErrors.js"
import type { ImportParseError } from "./HiveErrors.js"
import { HiveModule } from "./internal/module.js"
import { applyImport, parseImport } from "./internal/sync/apply.js"
import type { ImportOptions, ImportReport } from "./internal/sync/apply.js"
import { loadBase, saveBase } from "./internal/sync/bases.js"
import { readRecords, toJsonl } from "./internal/sync/records.js"
import { runSync } from "./internal/sync/run.js"
import type { SyncReport } from "./internal/sync/run.js"

export type { ImportConflict, ImportReport } from "./internal/sync/apply.js"
export type { SyncReport } from "./internal/sync/run.js"

export const DEFAULT_FILE = ".hive/issues.jsonl"
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

export interface HiveSyncOptions {
  /**
   * The git working tree to sync (a linked worktree works too). Default: the working tree of the
   * current directory when it belongs to the project, else the project root.
   */
  readonly workdir?: string
  /** The export, relative to the working tree (default `.hive/issues.jsonl`). */
  readonly file?: string
  /** How long a deletion wins over concurrent edits in a merge (default 30 days). */
  readonly tombstoneRetentionMs?: number
  /** The remote (default: the branch's upstream remote, else `origin`, else the only one). */
  readonly remote?: string
  /** Push attempts when the remote moves on during a sync (default 5). */
  readonly attempts?: number
}

export interface ImportCallOptions {
  readonly dryRun?: boolean
  /** The content as of the last sync, for a three-way merge (default: none, two-way). */
  readonly base?: string
  /** The name errors and reports use (default: the export file). */
  readonly file?: string
}

export interface HiveSyncService {
  /** The working tree and the export file (relative to it). */
  readonly workdir: string
  readonly file: string
  /** The export: one cell per line, sorted by id, byte-identical for the same state. */
  readonly exportJsonl: Effect.Effect<string, StorageError>
  /** Merges a file's cells into the database as events; all or nothing; idempotent. */
  readonly importJsonl: (content: string, options?: ImportCallOptions) => Effect.Effect<ImportReport, ImportParseError | StorageError>
  /** Writes the export to the working tree; `changed` when the file's bytes changed. */
  readonly exportFile: Effect.Effect<{ readonly path: string; readonly changed: boolean }, SyncError | StorageError>
  /** Imports the working tree's file (against the last sync's base). */
  readonly importFile: (options?: { readonly dryRun?: boolean }) => Effect.Effect<ImportReport, ImportParseError | SyncError | StorageError>
  /** Export, commit, pull (rebase), merge, push; see the module comment. */
  readonly sync: (options?: { readonly message?: string }) => Effect.Effect<SyncReport, SyncError | ImportParseError | StorageError>
  /** The hive as a sync participant (its file, export and import). */
  readonly participant: SyncParticipant
}

/** The working tree that contains `dir` (the nearest directory with a `.git` entry). */
const worktreeOf = (dir: string): string | undefined => {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d
    if (path.dirname(d) === d) return undefined
  }
}

const defaultWorkdir = (root: string): string => {
  const here = worktreeOf(process.cwd())
  if (here !== undefined && findProjectRoot(here) === fs.realpathSync(root)) return here
  return root
}

class DryRun {
  constructor(readonly report: ImportReport) {}
}

const make = (options: HiveSyncOptions) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const storage = yield* Storage
    const project = yield* Project
    const participants = yield* SyncParticipants
    yield* store.install(HiveModule)
    const requested = options.workdir ?? defaultWorkdir(project.root)
    const workdir = fs.existsSync(requested) ? fs.realpathSync(requested) : path.resolve(requested)
    const file = options.file ?? DEFAULT_FILE
    const retentionMs = options.tombstoneRetentionMs ?? DEFAULT_RETENTION_MS

    // One transaction: a consistent export even while others write.
    const exportJsonl = store.transact((tx) => Effect.map(readRecords(tx.query, tx.project), toJsonl))

    const importJsonl = (content: string, o: ImportCallOptions = {}) =>
      Effect.gen(function*() {
        const importOptions: ImportOptions = { file: o.file ?? file, base: o.base, dryRun: o.dryRun === true, retentionMs }
        const { theirs, base } = yield* parseImport(content, importOptions)
        const apply = store.transact((tx) =>
          Effect.flatMap(applyImport(tx, theirs, base, importOptions), (report) =>
            // A dry run does everything, then fails the transaction so that nothing is kept.
            importOptions.dryRun ? Effect.fail(new DryRun(report)) : Effect.succeed(report))
        )
        return yield* Effect.catchIf(apply, (e): e is DryRun => e instanceof DryRun, (e) => Effect.succeed(e.report))
      })

    const fullPath = path.join(workdir, file)
    const exportFile = Effect.gen(function*() {
      const content = yield* exportJsonl
      const before = fs.existsSync(fullPath) ? fs.readFileSync(fullPath, "utf8") : undefined
      if (before !== content) {
        yield* Effect.try({
          try: () => {
            fs.mkdirSync(path.dirname(fullPath), { recursive: true })
            fs.writeFileSync(fullPath, content)
          },
          catch: (error) => new SyncError({ step: "export", reason: String(error) })
        })
      }
      return { path: fullPath, changed: before !== content }
    })

    const importFile = (o: { readonly dryRun?: boolean } = {}) =>
      Effect.gen(function*() {
        if (!fs.existsSync(fullPath)) return yield* new SyncError({ step: "import", reason: `${fullPath} does not exist` })
        const base = yield* loadBase(storage, store.project, workdir, file)
        return yield* importJsonl(
          fs.readFileSync(fullPath, "utf8"),
          base === undefined ? { dryRun: o.dryRun === true } : { dryRun: o.dryRun === true, base }
        )
      })

    const participant: SyncParticipant = {
      name: "hive",
      file,
      exportFile: exportJsonl,
      importFile: (content, o) => importJsonl(content, o.base === undefined ? { dryRun: o.dryRun } : { dryRun: o.dryRun, base: o.base })
    }

    const service: HiveSyncService = {
      workdir,
      file,
      exportJsonl,
      importJsonl,
      exportFile,
      importFile,
      sync: (o = {}) =>
        runSync({
          workdir,
          participants: [participant, ...participants.filter((p) => p.file !== file)],
          remote: options.remote,
          attempts: options.attempts ?? 5,
          message: o.message ?? "hive: sync",
          loadBase: (f) => loadBase(storage, store.project, workdir, f),
          saveBase: (f, content) => saveBase(store, workdir, f, content)
        }),
      participant
    }
    return service
  })

export class HiveSync extends Context.Tag("@waggle/hive/HiveSync")<HiveSync, HiveSyncService>() {
  static readonly layer = (
    options: HiveSyncOptions = {}
  ): Layer.Layer<HiveSync, MigrationError | StorageError, EventStore | Storage | Project | SyncParticipants> =>
    Layer.effect(HiveSync, make(options))
}
