/**
 * `swarm_spawn_subtask`: hands a cell to a worker and writes the worker's prompt.
 *
 * - The cell is claimed for the worker (compare-and-set in the hive): a cell held by another
 *   agent is `CellAlreadyClaimed` unless `reassign: true`, which takes it over (and releases the
 *   previous holder's reservations, once the claim succeeded); a blocked or closed cell cannot be
 *   spawned. Spawning again for the same worker is idempotent (a new prompt, same claim).
 * - The spawn is recorded (`swarm_subtask_spawned`): coordinator, worker, strategy (checked
 *   against learning's strategies, else taken from an earlier spawn or the epic's
 *   `strategy:<name>` label) and, with `create_deferred`, the token of a new `DurableDeferred` that
 *   `swarm_complete` resolves; the coordinator awaits it with `swarm_await`.
 * - The prompt carries the epic, the subtask, its files and the reservation and mail protocol,
 *   the active anti-patterns, relevant memories, the last rejected review's issues, and (for a
 *   takeover) the latest checkpoint and progress.
 */
import { Effect, Option } from "effect"
import type { AmbiguousId, Cell, CellAlreadyClaimed, CellBlocked, CellNotFound, InvalidTransition } from "@waggle/hive"
import { CellAlreadyClaimed as AlreadyClaimed, InvalidTransition as Transition } from "@waggle/hive"
import type { UnknownStrategy } from "@waggle/learning"
import type {
  DeferredNotFound,
  DeferredRejected,
  DeferredTimeout,
  InvalidInput,
  StorageError
} from "@waggle/primitives"
import { NoCompletionDeferred } from "./SwarmErrors.js"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import * as WorkerPrompt from "./WorkerPrompt.js"
import { issueText, SubtaskSpawned } from "./internal/events.js"
import type { SwarmContext } from "./internal/context.js"
import { appendOwn, checkEpic, epicOf, inputDecoder, strategyFor } from "./internal/context.js"
import { latestCheckpoint, progressOf, reviews, subtaskRow } from "./internal/rows.js"

export type SpawnError =
  | InvalidInput
  | StorageError
  | CellNotFound
  | AmbiguousId
  | CellAlreadyClaimed
  | CellBlocked
  | InvalidTransition
  | UnknownStrategy

const OPERATION = "swarm_spawn_subtask"

/** Claims the cell for `worker`, taking it over from its holder when asked to. */
const claim = (ctx: SwarmContext, cell: Cell, worker: string, reassign: boolean) =>
  Effect.gen(function*() {
    const previous = cell.assignee
    if (previous === null || previous === worker) return yield* ctx.hive.claim(cell.id, worker)
    if (!reassign) return yield* new AlreadyClaimed({ id: cell.id, holder: previous })
    yield* ctx.hive.update(cell.id, { assignee: worker }).pipe(Effect.catchTags({
      NotAnEpic: Effect.die,
      DependencyCycle: Effect.die,
      SelfDependency: Effect.die,
      CellBlocked: Effect.die
    }))
    const claimed = yield* ctx.hive.claim(cell.id, worker).pipe(
      // Compensation: the takeover did not happen, give the cell back.
      Effect.tapError(() => Effect.ignore(ctx.hive.update(cell.id, { assignee: previous })))
    )
    yield* Effect.orDie(ctx.reservations.releaseAgent(previous).pipe(Effect.catchTag("InvalidInput", Effect.die)))
    return claimed
  })

const memoriesFor = (ctx: SwarmContext, cell: Cell) =>
  Option.match(ctx.memory, {
    onNone: () => Effect.succeed([] as Array<Outputs.SpawnSubtask["memories"][number]>),
    onSome: (memory) =>
      memory.find(`${cell.title}\n${cell.description}`.slice(0, 4000), { limit: ctx.config.workerMemories }).pipe(
        Effect.map((r) => r.hits.map((h) => ({ id: h.id, content: h.content, score: h.score }))),
        // Memory is advisory: a failing search leaves the prompt without memories.
        Effect.orElseSucceed(() => [])
      )
  })

export const spawn = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.SpawnSubtask, OPERATION)
  return (input: unknown): Effect.Effect<Outputs.SpawnSubtask, SpawnError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const found = yield* ctx.hive.get(Inputs.cellIdOf(a))
      yield* checkEpic(ctx, found, a.epic_id, OPERATION)
      if (found.status === "closed") {
        return yield* new Transition({ id: found.id, operation: OPERATION, status: found.status, reason: "the cell is closed" })
      }
      const epic = yield* epicOf(ctx, found)
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, found.id)
      const strategy = yield* strategyFor(ctx, a.strategy, row?.strategy, epic)
      const takeover = found.assignee !== null && found.assignee !== a.agent_name
      const cell = yield* claim(ctx, found, a.agent_name, a.reassign === true)
      const token = a.create_deferred === true
        ? yield* ctx.deferred.create({ ttl: a.deferred_ttl_ms ?? ctx.config.deferredTtlMs })
        : null
      const coordinator = a.coordinator ?? row?.coordinator ?? ctx.config.coordinator
      yield* ctx.store.transact((tx) =>
        appendOwn(tx, cell.id, SubtaskSpawned.make({
          cellId: cell.id,
          epicId: cell.parent,
          worker: a.agent_name,
          coordinator,
          strategy,
          deferredToken: token
        }))
      )

      const antiPatterns = (yield* ctx.learning.patterns({ antiPatternsOnly: true, limit: 20 }))
        .flatMap((p) => (p.antiPattern === null ? [] : [p.antiPattern.current]))
      const memories = yield* memoriesFor(ctx, cell)
      const lastReview = (yield* reviews(ctx.storage, ctx.store.project, cell.id)).at(-1)
      const reviewIssues = lastReview?.status === "needs_changes" ? lastReview.issues.map(issueText) : []
      const checkpoint = yield* latestCheckpoint(ctx.storage, ctx.store.project, { cellId: cell.id })
      const progress = progressOf(row)
      const resume = { checkpoint, progress }
      const prompt = WorkerPrompt.build({
        worker: a.agent_name,
        coordinator,
        cellId: cell.id,
        title: cell.title,
        description: cell.description,
        epic: epic === null ? null : { id: epic.id, title: epic.title, description: epic.description },
        files: cell.files,
        sharedContext: a.shared_context,
        antiPatterns,
        memories: memories.map((m) => m.content),
        reviewIssues,
        resume,
        reservationTtlMs: ctx.config.reservationTtlMs,
        tools: ctx.config.tools
      })
      return {
        prompt,
        cell_id: cell.id,
        epic_id: cell.parent,
        title: cell.title,
        agent_name: a.agent_name,
        coordinator,
        files: [...cell.files],
        strategy,
        deferred_token: token,
        resumed_from_checkpoint: takeover && (checkpoint !== null || progress !== null),
        anti_patterns: antiPatterns,
        memories
      }
    })
}

export type AwaitError = InvalidInput | StorageError | CellNotFound | AmbiguousId | NoCompletionDeferred | DeferredNotFound | DeferredRejected | DeferredTimeout

/** Waits for the subtask's completion deferred (registered at spawn with `create_deferred`). */
export const awaitSubtask = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.AwaitSubtask, "swarm_await")
  return (input: unknown): Effect.Effect<Outputs.AwaitSubtask, AwaitError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const cellId = yield* ctx.hive.resolve(Inputs.cellIdOf(a))
      const row = yield* subtaskRow(ctx.storage, ctx.store.project, cellId)
      const token = row?.deferred_token ?? null
      if (token === null) return yield* new NoCompletionDeferred({ cellId })
      const value = yield* ctx.deferred.await(token, a.timeout_ms === undefined ? {} : { timeout: a.timeout_ms }).pipe(
        Effect.catchTag("ParseError", Effect.die),
        Effect.catchTag("InvalidInput", Effect.die)
      )
      return { cell_id: cellId, value }
    })
}
