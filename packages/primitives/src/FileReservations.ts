/**
 * Advisory reservations of files for agents working in one project: before editing, an agent
 * reserves the paths or glob patterns it will touch; others see the conflict instead of colliding.
 *
 * - **Patterns**: paths and globs (`*`, `**`, `?`, `[a-z]`, `[!x]`, `{a,b}`; see
 *   `internal/reservations/glob.ts`), relative to the project root. Inputs are normalised (posix
 *   separators, `./`, `//`, `.` and `..` resolved, absolute paths inside the root made relative,
 *   `dir/` meaning `dir/**`); anything outside the root is `InvalidInput` naming the path. Two
 *   patterns conflict when some path could match both (decided exactly, in both directions:
 *   `src/**` and `src/a.ts` overlap, `*.ts` and `src/a.ts` do not, since `*` never crosses `/`).
 *   Reserving a directory without the trailing `/` or `/**` reserves only that name, not its files.
 * - **Modes**: exclusive (default) conflicts with any overlapping reservation of another agent;
 *   shared conflicts only with exclusive ones. An agent never conflicts with itself; expired
 *   reservations count for nothing (and are dropped by the next reservation).
 * - **All or nothing**: a request with any conflict grants nothing and fails with
 *   `ReservationConflict` listing every (holder, pattern, requested path). `force: true` grants
 *   anyway and returns (and records in the log) the conflicts it overrode.
 * - **Renewal**: reserving a pattern one already holds updates it in place (same id): new mode,
 *   reason and expiry (`now + ttl`, default 1 hour, 1 second .. 24 hours).
 * - **Release**: by paths (exact match of the normalised pattern), by ids, or all of one's own;
 *   a coordinator may release one agent's or everyone's. Releasing what one does not hold is not an
 *   error: the result lists what was released.
 *
 * Every decision is one event-store transaction (serialised across processes), timed by `tx.now`.
 */
import { Clock, Context, Duration, Effect, Either, Layer } from "effect"
import type { InvalidInput, MigrationError, ReservationConflict, ReservationConflictDetail, StorageError } from "./Errors.js"
import { InvalidInput as InvalidInputError } from "./Errors.js"
import { EventStore } from "./EventStore.js"
import { Project } from "./Project.js"
import { Storage } from "./Storage.js"
import { decoderFor } from "./internal/decode.js"
import { conflictsOf, liveRows, releaseIn, reserveIn, toReservation } from "./internal/reservations/commands.js"
import type { ReleaseSelection } from "./internal/reservations/commands.js"
import { AgentArgs, CheckArgs, DEFAULT_TTL_MS, ListArgs, ReleaseArgs, ReserveArgs } from "./internal/reservations/inputs.js"
import { ReservationsModule } from "./internal/reservations/module.js"
import { normalizePattern } from "./internal/reservations/paths.js"
import type { NormalizedPattern } from "./internal/reservations/paths.js"

export { ReservationsModule } from "./internal/reservations/module.js"
export { FilesReleased, FilesReserved } from "./internal/reservations/events.js"

export interface Reservation {
  /** `<log position>-<index>` of the event that created it; kept when the agent re-reserves the pattern. */
  readonly id: string
  readonly agent: string
  /** The normalised pattern, relative to the project root. */
  readonly pattern: string
  readonly exclusive: boolean
  readonly reason: string | null
  readonly createdAt: number
  readonly expiresAt: number
}

export interface ReserveOptions {
  /** Exclusive (default) or shared. */
  readonly exclusive?: boolean
  /** 1 second .. 24 hours; default 1 hour. */
  readonly ttl?: Duration.DurationInput
  /** Why, for the others (at most 500 characters). */
  readonly reason?: string
  /** Grant even over conflicts (which are still returned). */
  readonly force?: boolean
}

export interface ReserveResult {
  readonly granted: ReadonlyArray<Reservation>
  /** The conflicts a `force`d grant overrode; empty otherwise. */
  readonly conflicts: ReadonlyArray<ReservationConflictDetail>
}

export interface ReleaseSelectionInput {
  /** Patterns as reserved (normalised the same way before matching). */
  readonly paths?: ReadonlyArray<string>
  readonly ids?: ReadonlyArray<string>
}

export interface FileReservationsService {
  /** Reserves every path for `agent`, or nothing (`ReservationConflict`). At most 200 paths. */
  readonly reserve: (
    agent: string,
    paths: ReadonlyArray<string>,
    options?: ReserveOptions
  ) => Effect.Effect<ReserveResult, ReservationConflict | InvalidInput | StorageError>
  /** The conflicts `reserve` would meet now, reserving nothing. */
  readonly check: (
    agent: string,
    paths: ReadonlyArray<string>,
    options?: { readonly exclusive?: boolean }
  ) => Effect.Effect<ReadonlyArray<ReservationConflictDetail>, InvalidInput | StorageError>
  /** Releases the agent's reservations with these patterns and/or ids; returns what was released. */
  readonly release: (
    agent: string,
    selection: ReleaseSelectionInput
  ) => Effect.Effect<ReadonlyArray<Reservation>, InvalidInput | StorageError>
  /** Releases all of the agent's reservations. */
  readonly releaseMine: (agent: string) => Effect.Effect<ReadonlyArray<Reservation>, InvalidInput | StorageError>
  /** Coordinator: releases all of an agent's reservations (e.g. an agent that died). */
  readonly releaseAgent: (agent: string) => Effect.Effect<ReadonlyArray<Reservation>, InvalidInput | StorageError>
  /** Coordinator: releases every reservation in the project. */
  readonly releaseAll: () => Effect.Effect<ReadonlyArray<Reservation>, StorageError>
  /** Live reservations, of one agent or of everyone, by agent and pattern. */
  readonly list: (options?: { readonly agent?: string }) => Effect.Effect<ReadonlyArray<Reservation>, InvalidInput | StorageError>
}

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  const { root } = yield* Project
  yield* store.install(ReservationsModule)
  const project = store.project
  const decodeReserve = decoderFor(ReserveArgs, "FileReservations.reserve")
  const decodeCheck = decoderFor(CheckArgs, "FileReservations.check")
  const decodeRelease = decoderFor(ReleaseArgs, "FileReservations.release")
  const decodeMine = decoderFor(AgentArgs, "FileReservations.releaseMine")
  const decodeAgent = decoderFor(AgentArgs, "FileReservations.releaseAgent")
  const decodeList = decoderFor(ListArgs, "FileReservations.list")

  /** Normalised, de-duplicated patterns, or `InvalidInput` naming every bad path. */
  const normalize = (operation: string, paths: ReadonlyArray<string>) =>
    Effect.suspend(() => {
      const out: Array<NormalizedPattern> = []
      const seen = new Set<string>()
      const issues: Array<{ path: string; message: string }> = []
      paths.forEach((input, i) => {
        const result = normalizePattern(input, root)
        if (Either.isLeft(result)) {
          issues.push({ path: `paths[${i}]`, message: `${JSON.stringify(input)} ${result.left}` })
        } else if (!seen.has(result.right.pattern)) {
          seen.add(result.right.pattern)
          out.push(result.right)
        }
      })
      return issues.length > 0 ? Effect.fail(new InvalidInputError({ operation, issues })) : Effect.succeed(out)
    })

  const release = (selection: ReleaseSelection) => store.transact((tx) => releaseIn(tx, selection))

  const service: FileReservationsService = {
    reserve: (agent, paths, options = {}) =>
      Effect.gen(function*() {
        const a = yield* decodeReserve({ agent, paths, options })
        const patterns = yield* normalize("FileReservations.reserve", a.paths)
        return yield* store.transact((tx) =>
          reserveIn(tx, {
            agent: a.agent,
            patterns,
            exclusive: a.options.exclusive ?? true,
            ttlMs: a.options.ttl ?? DEFAULT_TTL_MS,
            reason: a.options.reason ?? null,
            force: a.options.force ?? false
          })
        )
      }),
    check: (agent, paths, options = {}) =>
      Effect.gen(function*() {
        const a = yield* decodeCheck({ agent, paths, options })
        const patterns = yield* normalize("FileReservations.check", a.paths)
        const live = yield* liveRows(storage, project, yield* Clock.currentTimeMillis)
        return conflictsOf(a.agent, patterns, a.options.exclusive ?? true, live)
      }),
    release: (agent, selection) =>
      Effect.gen(function*() {
        const a = yield* decodeRelease({ agent, selection })
        const patterns = a.selection.paths === undefined
          ? undefined
          : (yield* normalize("FileReservations.release", a.selection.paths)).map((p) => p.pattern)
        return yield* release({
          _tag: "mine",
          agent: a.agent,
          ...(patterns === undefined ? {} : { patterns }),
          ...(a.selection.ids === undefined ? {} : { ids: a.selection.ids })
        })
      }),
    releaseMine: (agent) => Effect.flatMap(decodeMine({ agent }), (a) => release({ _tag: "mine", agent: a.agent })),
    releaseAgent: (agent) => Effect.flatMap(decodeAgent({ agent }), (a) => release({ _tag: "agent", agent: a.agent })),
    releaseAll: () => release({ _tag: "all" }),
    list: (options = {}) =>
      Effect.gen(function*() {
        const a = yield* decodeList(options)
        const rows = yield* liveRows(storage, project, yield* Clock.currentTimeMillis, a.agent)
        return rows.map(toReservation)
      })
  }
  return service
})

export class FileReservations extends Context.Tag("@waggle/primitives/FileReservations")<
  FileReservations,
  FileReservationsService
>() {
  /**
   * The reservations of the `EventStore`'s project, with paths relative to the `Project` root;
   * installs the reservations module (migration, events, projection).
   */
  static readonly layer: Layer.Layer<FileReservations, MigrationError | StorageError, EventStore | Storage | Project> =
    Layer.effect(FileReservations, make)
}
