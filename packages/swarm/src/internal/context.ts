/** What the swarm's operations run with, and the helpers they share. */
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { AmbiguousId, Cell, CellNotFound, HiveService } from "@waggle/hive"
import { InvalidTransition } from "@waggle/hive"
import { UnknownStrategy } from "@waggle/learning"
import type { LearningService } from "@waggle/learning"
import type { MemoryService } from "@waggle/memory"
import { decoderFor, InvalidInput } from "@waggle/primitives"
import type {
  AppendResult,
  DurableDeferredService,
  DurableMailboxService,
  EventInput,
  EventStoreService,
  EventTx,
  FileReservationsService,
  MailImportance,
  ProjectInfo,
  StorageError,
  StorageService
} from "@waggle/primitives"
import type { Schema } from "effect"
import type { SwarmConfigShape } from "../SwarmConfig.js"
import { NotYourCell } from "../SwarmErrors.js"
import { streamOf } from "./events.js"

export interface SwarmContext {
  readonly store: EventStoreService
  readonly storage: StorageService
  readonly project: ProjectInfo
  readonly hive: HiveService
  readonly mailbox: DurableMailboxService
  readonly reservations: FileReservationsService
  readonly deferred: DurableDeferredService
  readonly learning: LearningService
  readonly memory: Option.Option<MemoryService>
  readonly config: SwarmConfigShape
}

/** A decoder for a tool's input that also checks `project_key` against this project. */
export const inputDecoder = <A extends { readonly project_key?: string | undefined }, I>(
  ctx: SwarmContext,
  schema: Schema.Schema<A, I, never>,
  operation: string
) => {
  const decode = decoderFor(schema, operation)
  const accepted = new Set([ctx.project.key, ctx.project.root, path.resolve(ctx.project.root)])
  return (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.flatMap(decode(input), (a) => {
      const key = a.project_key
      if (key === undefined || accepted.has(key) || accepted.has(realpath(key))) return Effect.succeed(a)
      return Effect.fail(new InvalidInput({
        operation,
        issues: [{ path: "project_key", message: `${JSON.stringify(key)} is not this server's project (${ctx.project.key})` }]
      }))
    })
}

const realpath = (p: string): string => {
  try {
    return fs.realpathSync(path.resolve(p))
  } catch {
    return p
  }
}

/** Appends the swarm's own events: anything but a storage failure would be a bug here. */
export const appendOwn = (
  tx: EventTx,
  cellId: string,
  events: EventInput | ReadonlyArray<EventInput>
): Effect.Effect<AppendResult, StorageError> =>
  tx.append(streamOf(cellId), events).pipe(
    Effect.catchTags({ InvalidInput: Effect.die, UnknownEventType: Effect.die, StreamVersionConflict: Effect.die })
  )

/** The agent must hold the cell. */
export const requireHolder = (cell: Cell, agent: string): Effect.Effect<void, NotYourCell> =>
  cell.assignee === agent ? Effect.void : Effect.fail(new NotYourCell({ cellId: cell.id, agent, holder: cell.assignee }))

/** The agent must hold the cell, and the cell must not be closed. */
export const requireOpenHeld = (cell: Cell, agent: string, operation: string): Effect.Effect<void, NotYourCell | InvalidTransition> =>
  Effect.gen(function*() {
    yield* requireHolder(cell, agent)
    if (cell.status === "closed") {
      return yield* new InvalidTransition({ id: cell.id, operation, status: cell.status, reason: "the cell is closed" })
    }
  })

/** What an operation on an open cell the agent holds can fail with, before anything of its own. */
export type HeldCellError = InvalidInput | StorageError | CellNotFound | AmbiguousId | NotYourCell | InvalidTransition

/** The cell's epic (its parent), if it has one that still exists. */
export const epicOf = (ctx: SwarmContext, cell: Cell): Effect.Effect<Cell | null, StorageError | InvalidInput> =>
  cell.parent === null
    ? Effect.succeed(null)
    : ctx.hive.get(cell.parent).pipe(
      Effect.catchTags({ CellNotFound: () => Effect.succeed(null), AmbiguousId: () => Effect.succeed(null) })
    )

/** The strategy named by an epic label `strategy:<name>`, if any. */
export const strategyLabel = (epic: Cell | null): string | null =>
  epic?.labels.find((l) => l.startsWith("strategy:"))?.slice("strategy:".length) ?? null

/**
 * A subtask's strategy: the one the call names, else the one recorded at its spawn, else its epic's
 * `strategy:<name>` label. It must be one of learning's strategies (`UnknownStrategy` otherwise).
 */
export const strategyFor = (
  ctx: SwarmContext,
  given: string | undefined,
  recorded: string | null | undefined,
  epic: Cell | null
): Effect.Effect<string | null, UnknownStrategy | StorageError> =>
  Effect.gen(function*() {
    const strategy = given ?? recorded ?? strategyLabel(epic)
    if (strategy === null) return null
    const known = (yield* ctx.learning.strategies).map((s) => s.name)
    if (!known.includes(strategy)) return yield* new UnknownStrategy({ strategy, known })
    return strategy
  })

/** When the caller names an epic, it must be the cell's parent. */
export const checkEpic = (
  ctx: SwarmContext,
  cell: Cell,
  epicId: string | undefined,
  operation: string
) =>
  epicId === undefined
    ? Effect.void
    : Effect.flatMap(
      ctx.hive.resolve(epicId).pipe(Effect.catchTag("CellNotFound", () => Effect.succeed(epicId))),
      (resolved) =>
        resolved === cell.parent
          ? Effect.void
          : Effect.fail(new InvalidInput({
            operation,
            issues: [{
              path: "epic_id",
              message: `cell ${cell.id} belongs to ${cell.parent === null ? "no epic" : `epic ${cell.parent}`}, not ${epicId}`
            }]
          }))
    )

/** Sends a mail; returns its id. Inputs are ours (names decoded, texts bounded), so only storage can fail. */
export const sendMail = (
  ctx: SwarmContext,
  mail: {
    readonly from: string
    readonly to: ReadonlyArray<string>
    readonly subject: string
    readonly body: string
    readonly thread: string
    readonly importance?: MailImportance
  }
): Effect.Effect<string, StorageError> =>
  ctx.mailbox.send({
    from: mail.from,
    to: mail.to,
    subject: mail.subject.length > 200 ? `${mail.subject.slice(0, 199)}…` : mail.subject,
    body: mail.body.length > 16_000 ? `${mail.body.slice(0, 16_000)}\n…[truncated]` : mail.body,
    thread: mail.thread,
    ...(mail.importance === undefined ? {} : { importance: mail.importance })
  }).pipe(
    Effect.map((m) => m.id),
    Effect.catchTag("InvalidInput", Effect.die)
  )

/** What lies at a project-relative path (for the validator). */
export const probeFiles = (root: string) => (relative: string): "file" | "directory" | "missing" => {
  const stat = fs.statSync(path.join(root, relative), { throwIfNoEntry: false })
  return stat === undefined ? "missing" : stat.isDirectory() ? "directory" : "file"
}
