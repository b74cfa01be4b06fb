/**
 * The hive: cells, their dependencies, the ready queue, atomic claims and epics. Every change is an
 * event; every read comes from the projections; every decision runs inside one event-store
 * transaction (`BEGIN IMMEDIATE`, serialised across processes), so claims are compare-and-set.
 */
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { decoderFor, EventStore, InvalidInput, Project, Storage } from "@waggle/primitives"
import type { MigrationError, StorageError } from "@waggle/primitives"
import type { Cell, Comment, DependencyKind, EpicProgress } from "./Cell.js"
import { DependencyKind as DependencyKindSchema } from "./Cell.js"
import { NotAnEpic } from "./HiveErrors.js"
import type {
  AmbiguousId,
  CellAlreadyClaimed,
  CellBlocked,
  CellNotFound,
  DependencyCycle,
  InvalidTransition,
  SelfDependency
} from "./HiveErrors.js"
import type { HiveContext } from "./internal/context.js"
import { liveRow } from "./internal/context.js"
import { PREFIX_PATTERN, prefixFromRoot } from "./internal/ids.js"
import {
  Agent,
  CellRef,
  ClaimNextInput,
  CloseInput,
  CommentInput,
  CreateEpicInput,
  CreateInput,
  LabelInput,
  QueryInput,
  ReadyInput,
  UpdateInput
} from "./internal/inputs.js"
import * as lifecycle from "./internal/lifecycle.js"
import * as links from "./internal/links.js"
import { HiveModule } from "./internal/module.js"
import { epicProgress, queryRows, readyOrder, readyRows } from "./internal/queries.js"
import { resolveId } from "./internal/resolve.js"
import { hydrate, loadCell } from "./internal/rows.js"

export type {
  ClaimNextInput,
  CloseInput,
  CommentInput,
  CreateEpicInput,
  CreateInput,
  LabelInput,
  QueryInput,
  ReadyInput,
  SubtaskInput,
  UpdateInput
} from "./internal/inputs.js"

type Lookup = CellNotFound | AmbiguousId | InvalidInput | StorageError

export interface HiveOptions {
  /** The id prefix (lower-case letters and digits); default: from the project root's name. */
  readonly prefix?: string
}

export interface HiveService {
  readonly project: string
  /** The id prefix of this project's cells. */
  readonly prefix: string
  readonly create: (input: CreateInput) => Effect.Effect<Cell, Lookup | NotAnEpic>
  /** The epic and its subtasks (`<epic>.1 ...` in input order) with their `blocks` links, atomically. */
  readonly createEpic: (
    input: CreateEpicInput
  ) => Effect.Effect<{ readonly epic: Cell; readonly subtasks: ReadonlyArray<Cell> }, Lookup | NotAnEpic | DependencyCycle | SelfDependency>
  /** Changes the given fields only; no change, no event. */
  readonly update: (
    id: string,
    patch: UpdateInput
  ) => Effect.Effect<Cell, Lookup | NotAnEpic | InvalidTransition | CellBlocked | DependencyCycle | SelfDependency>
  /** Status `in_progress` (with an agent: a claim). Fails if a `blocks` dependency is still open. */
  readonly start: (id: string, agent?: string) => Effect.Effect<Cell, Lookup | InvalidTransition | CellBlocked | CellAlreadyClaimed>
  readonly close: (id: string, input: CloseInput) => Effect.Effect<Cell, Lookup | InvalidTransition>
  readonly reopen: (id: string) => Effect.Effect<Cell, Lookup | InvalidTransition>
  /** Soft delete: the cell becomes a tombstone (hidden from reads, exported so the deletion syncs). */
  readonly delete: (id: string) => Effect.Effect<void, Lookup>
  readonly comment: (id: string, input: CommentInput) => Effect.Effect<Comment, Lookup>
  /** Removes then adds labels (a label in both lists stays). */
  readonly label: (id: string, input: LabelInput) => Effect.Effect<Cell, Lookup>
  /** `from` depends on `to` (default kind `blocks`); idempotent. `parent-child` sets `from`'s parent epic. */
  readonly addDependency: (
    from: string,
    to: string,
    kind?: DependencyKind
  ) => Effect.Effect<Cell, Lookup | NotAnEpic | DependencyCycle | SelfDependency>
  /** Removes the link if present; returns `from`. */
  readonly removeDependency: (from: string, to: string, kind?: DependencyKind) => Effect.Effect<Cell, Lookup>
  /** A cell by full id or unique partial id (prefix or substring). */
  readonly get: (id: string, options?: { readonly includeDeleted?: boolean }) => Effect.Effect<Cell, Lookup>
  /** The full id of a (partial) id. */
  readonly resolve: (id: string) => Effect.Effect<string, Lookup>
  readonly query: (filter?: QueryInput) => Effect.Effect<ReadonlyArray<Cell>, Lookup>
  /** Cells that can start now, in queue order (P0 first by default). */
  readonly ready: (options?: ReadyInput) => Effect.Effect<ReadonlyArray<Cell>, InvalidInput | StorageError>
  /**
   * Claims the cell for `agent` (compare-and-set): exactly one of many concurrent claimants wins;
   * the others get `CellAlreadyClaimed`. Claiming again as the holder returns the cell unchanged.
   */
  readonly claim: (
    id: string,
    agent: string
  ) => Effect.Effect<Cell, Lookup | CellAlreadyClaimed | CellBlocked | InvalidTransition>
  /**
   * Claims the first ready cell that is unassigned or assigned to `agent` (epics only when `type`
   * is `epic`); none when the queue is empty.
   */
  readonly claimNext: (agent: string, filter?: ClaimNextInput) => Effect.Effect<Option.Option<Cell>, InvalidInput | StorageError>
  readonly epicProgress: (id: string) => Effect.Effect<EpicProgress, Lookup | NotAnEpic>
}

const make = (options: HiveOptions) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const storage = yield* Storage
    const projectInfo = yield* Project
    const prefix = options.prefix ?? prefixFromRoot(projectInfo.root)
    if (!PREFIX_PATTERN.test(prefix)) {
      return yield* new InvalidInput({
        operation: "Hive.layer",
        issues: [{ path: "prefix", message: "1 to 16 lower-case letters or digits" }]
      })
    }
    yield* store.install(HiveModule)
    const ctx: HiveContext = { project: store.project, prefix }
    const { transact } = store

    const decodeRef = decoderFor(CellRef, "Hive.id")
    const decodeAgent = decoderFor(Agent, "Hive.agent")
    const decodeCreate = decoderFor(CreateInput, "Hive.create")
    const decodeUpdate = decoderFor(UpdateInput, "Hive.update")
    const decodeClose = decoderFor(CloseInput, "Hive.close")
    const decodeComment = decoderFor(CommentInput, "Hive.comment")
    const decodeLabel = decoderFor(LabelInput, "Hive.label")
    const decodeKind = decoderFor(DependencyKindSchema, "Hive.dependency")
    const decodeQuery = decoderFor(QueryInput, "Hive.query")
    const decodeReady = decoderFor(ReadyInput, "Hive.ready")
    const decodeClaimNext = decoderFor(ClaimNextInput, "Hive.claimNext")
    const decodeEpic = decoderFor(
      CreateEpicInput.pipe(Schema.filter((input) =>
        input.subtasks.flatMap((s, i) =>
          (s.blockedBy ?? []).flatMap((b) =>
            typeof b !== "number"
              ? []
              : b >= input.subtasks.length
              ? [{ path: [`subtasks`, i, "blockedBy"], message: `no subtask ${b}` }]
              : b === i
              ? [{ path: [`subtasks`, i, "blockedBy"], message: "a subtask cannot block itself" }]
              : []
          )
        )
      )),
      "Hive.createEpic"
    )
    const decodeRefs = (from: string, to: string) => Effect.all([decodeRef(from), decodeRef(to)])

    const service: HiveService = {
      project: store.project,
      prefix,
      create: (input) => Effect.flatMap(decodeCreate(input), (i) => transact((tx) => lifecycle.create(ctx, tx, i))),
      createEpic: (input) => Effect.flatMap(decodeEpic(input), (i) => transact((tx) => links.createEpic(ctx, tx, i))),
      update: (id, patch) =>
        Effect.flatMap(Effect.all([decodeRef(id), decodeUpdate(patch)]), ([ref, p]) =>
          transact((tx) => lifecycle.update(ctx, tx, ref, p))),
      start: (id, agent) =>
        Effect.flatMap(Effect.all([decodeRef(id), agent === undefined ? Effect.succeed(null) : decodeAgent(agent)]), ([ref, a]) =>
          transact((tx) => Effect.flatMap(liveRow(ctx, tx, ref), (row) => lifecycle.start(ctx, tx, row, a)))),
      close: (id, input) =>
        Effect.flatMap(Effect.all([decodeRef(id), decodeClose(input)]), ([ref, i]) =>
          transact((tx) => lifecycle.close(ctx, tx, ref, i))),
      reopen: (id) => Effect.flatMap(decodeRef(id), (ref) => transact((tx) => lifecycle.reopen(ctx, tx, ref))),
      delete: (id) => Effect.flatMap(decodeRef(id), (ref) => Effect.asVoid(transact((tx) => lifecycle.remove(ctx, tx, ref)))),
      comment: (id, input) =>
        Effect.flatMap(Effect.all([decodeRef(id), decodeComment(input)]), ([ref, i]) =>
          transact((tx) => lifecycle.comment(ctx, tx, ref, i))),
      label: (id, input) =>
        Effect.flatMap(Effect.all([decodeRef(id), decodeLabel(input)]), ([ref, i]) =>
          transact((tx) => lifecycle.label(ctx, tx, ref, i))),
      addDependency: (from, to, kind = "blocks") =>
        Effect.flatMap(Effect.all([decodeRefs(from, to), decodeKind(kind)]), ([[f, t], k]) =>
          transact((tx) => links.addDependency(ctx, tx, f, t, k))),
      removeDependency: (from, to, kind = "blocks") =>
        Effect.flatMap(Effect.all([decodeRefs(from, to), decodeKind(kind)]), ([[f, t], k]) =>
          transact((tx) => links.removeDependency(ctx, tx, f, t, k))),
      get: (id, getOptions = {}) =>
        Effect.gen(function*() {
          const ref = yield* decodeRef(id)
          const full = yield* resolveId(storage.query, ctx.project, prefix, ref, getOptions)
          const cell = yield* loadCell(storage.query, ctx.project, full)
          if (cell === undefined) return yield* Effect.dieMessage(`cell ${full} resolved but not found`)
          return cell
        }),
      resolve: (id) => Effect.flatMap(decodeRef(id), (ref) => resolveId(storage.query, ctx.project, prefix, ref)),
      query: (filter = {}) =>
        Effect.gen(function*() {
          const f = yield* decodeQuery(filter)
          const parent = f.parent === undefined ? undefined : yield* resolveId(storage.query, ctx.project, prefix, f.parent)
          const { parent: _, ...rest } = f
          const rows = yield* queryRows(storage.query, ctx.project, parent === undefined ? rest : { ...rest, parent })
          return yield* hydrate(storage.query, ctx.project, rows)
        }),
      ready: (readyOptions = {}) =>
        Effect.gen(function*() {
          const o = yield* decodeReady(readyOptions)
          const rows = yield* readyRows(storage.query, ctx.project, {
            sort: o.sort ?? "priority",
            queues: o.includeInProgress === true ? ["open", "in_progress"] : ["open"],
            assignee: o.unassigned === true ? null : o.assignee,
            type: o.type,
            label: o.label,
            limit: o.limit ?? 20,
            now: yield* Clock.currentTimeMillis
          })
          return yield* hydrate(storage.query, ctx.project, rows)
        }),
      claim: (id, agent) =>
        Effect.flatMap(Effect.all([decodeRef(id), decodeAgent(agent)]), ([ref, a]) =>
          transact((tx) => Effect.flatMap(liveRow(ctx, tx, ref), (row) => lifecycle.start(ctx, tx, row, a)))),
      claimNext: (agent, filter = {}) =>
        Effect.flatMap(Effect.all([decodeAgent(agent), decodeClaimNext(filter)]), ([a, f]) =>
          transact((tx) =>
            Effect.gen(function*() {
              const base = {
                sort: f.sort ?? "priority",
                queues: ["open"],
                type: f.type,
                label: f.label,
                limit: 1,
                now: tx.now,
                excludeEpics: true
              } as const
              const candidates = [
                ...(yield* readyRows(tx.query, ctx.project, { ...base, assignee: null })),
                ...(yield* readyRows(tx.query, ctx.project, { ...base, assignee: a }))
              ]
              const [first] = candidates.sort(readyOrder(base.sort, tx.now))
              if (first === undefined) return Option.none()
              // Read and written in this transaction: nobody else can take it in between.
              return Option.some(yield* Effect.orDie(lifecycle.start(ctx, tx, first, a)))
            })
          )),
      epicProgress: (id) =>
        Effect.gen(function*() {
          const ref = yield* decodeRef(id)
          const full = yield* resolveId(storage.query, ctx.project, prefix, ref)
          const cell = yield* loadCell(storage.query, ctx.project, full)
          if (cell === undefined) return yield* Effect.dieMessage(`cell ${full} resolved but not found`)
          if (cell.type !== "epic") return yield* new NotAnEpic({ id: cell.id, type: cell.type })
          return yield* epicProgress(storage.query, ctx.project, full)
        })
    }
    return service
  })

export class Hive extends Context.Tag("@waggle/hive/Hive")<Hive, HiveService>() {
  /** The hive on the process's event store; installs the hive module (migrations, projections). */
  static readonly layer = (
    options: HiveOptions = {}
  ): Layer.Layer<Hive, InvalidInput | MigrationError | StorageError, EventStore | Storage | Project> =>
    Layer.effect(Hive, make(options))
}
