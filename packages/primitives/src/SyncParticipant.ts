/**
 * A package's share of the git sync. The hive owns `waggle sync` (export → commit → pull → import →
 * push); other packages that keep a file in the repository (memory's `.hive/memories.jsonl`, ...)
 * take part by providing a participant. Participants are collected through the `SyncParticipants`
 * service, so no package has to depend on another to be synced.
 */
import { Context, Layer } from "effect"
import type { Effect } from "effect"

export interface SyncImportReport {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly conflicts: ReadonlyArray<{ readonly id: string; readonly reason: string }>
}

export interface SyncParticipant {
  /** Short name for progress and reports, e.g. "memories". */
  readonly name: string
  /** The file, relative to the project root, e.g. ".hive/memories.jsonl". */
  readonly file: string
  /** The whole file as it should be committed: deterministic (same state, same bytes). */
  readonly exportFile: Effect.Effect<string, unknown>
  /**
   * Brings the database up to date with `content` (the file after a pull). `base` is the file as
   * it was at the last sync, for three-way merges; absent on the first sync. Idempotent.
   */
  readonly importFile: (
    content: string,
    options: { readonly dryRun: boolean; readonly base: string | undefined }
  ) => Effect.Effect<SyncImportReport, unknown>
}

export class SyncParticipants extends Context.Tag("@waggle/primitives/SyncParticipants")<
  SyncParticipants,
  ReadonlyArray<SyncParticipant>
>() {
  static readonly none: Layer.Layer<SyncParticipants> = Layer.succeed(SyncParticipants, [])
  static readonly layerOf = (...participants: ReadonlyArray<SyncParticipant>): Layer.Layer<SyncParticipants> =>
    Layer.succeed(SyncParticipants, participants)
}
