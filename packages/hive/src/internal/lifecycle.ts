/** Creating cells and moving them through their lifecycle: every decision inside one transaction. */
import { Effect, Random } from "effect"
import type { EventTx, StorageError } from "@waggle/primitives"
import type { Cell, CellType, Comment } from "../Cell.js"
import { CellAlreadyClaimed, CellBlocked, InvalidTransition, NotAnEpic, SelfDependency } from "../HiveErrors.js"
import type { AmbiguousId, CellNotFound } from "../HiveErrors.js"
import { appendTo, liveRow } from "./context.js"
import type { HiveContext } from "./context.js"
import { checkNoCycle } from "./cycles.js"
import { CellClosed, CellCommented, CellCreated, CellDeleted, CellLabeled, CellReopened, CellStarted, CellUpdated, cellStream } from "./events.js"
import type { CellChanges } from "./events.js"
import { base36Hash, newCellId, nextChildId } from "./ids.js"
import type { CloseInput, CommentInput, CreateInput, LabelInput, UpdateInput } from "./inputs.js"
import { CELL_COLUMNS, hydrate, loadCell, openBlockers } from "./rows.js"
import type { CellRow } from "./rows.js"
import { sql, statement } from "@waggle/primitives"

type Lookup = CellNotFound | AmbiguousId | StorageError

/** The cell as this transaction sees it (it exists: the caller just wrote or resolved it). */
export const reload = (ctx: HiveContext, tx: EventTx, id: string): Effect.Effect<Cell, StorageError> =>
  Effect.flatMap(loadCell(tx.query, ctx.project, id), (cell) =>
    cell === undefined ? Effect.dieMessage(`cell ${id} vanished inside its transaction`) : Effect.succeed(cell))

/** Several cells as this transaction sees them, in the given order (four reads in all). */
export const reloadMany = (ctx: HiveContext, tx: EventTx, ids: ReadonlyArray<string>): Effect.Effect<Array<Cell>, StorageError> =>
  Effect.gen(function*() {
    const rows = yield* tx.query<CellRow>(statement(
      `SELECT ${CELL_COLUMNS} FROM hive_cells WHERE project = ? AND id IN (SELECT value FROM json_each(?))`,
      [ctx.project, JSON.stringify(ids)]
    ))
    const byId = new Map((yield* hydrate(tx.query, ctx.project, rows)).map((c) => [c.id, c]))
    return ids.map((id) => byId.get(id)!)
  })

/** Resolves a parent reference to a live epic. */
const epicRow = (ctx: HiveContext, tx: EventTx, ref: string): Effect.Effect<CellRow, Lookup | NotAnEpic> =>
  Effect.flatMap(liveRow(ctx, tx, ref), (row) =>
    row.type === "epic" ? Effect.succeed(row) : Effect.fail(new NotAnEpic({ id: row.id, type: row.type })))

export interface NewCell {
  readonly title: string
  readonly description?: string | undefined
  readonly type?: CellType | undefined
  readonly priority?: number | undefined
  readonly assignee?: string | null | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly files?: ReadonlyArray<string> | undefined
}

/** The payload of `cell_created`, with the defaults filled in: what the projection writes. */
type Created = Pick<Cell, "id" | "title" | "description" | "type" | "priority" | "assignee" | "labels" | "files" | "parent"> & {
  readonly at: number
}

/** Appends `cell_created` for a new cell with the given id; returns its payload. */
export const appendCreated = (tx: EventTx, id: string, input: NewCell, parent: string | null): Effect.Effect<Created, StorageError> => {
  const data: Created = {
    id,
    title: input.title,
    description: input.description ?? "",
    type: input.type ?? "task",
    priority: input.priority ?? 2,
    assignee: input.assignee ?? null,
    labels: [...new Set(input.labels ?? [])].sort(),
    files: [...(input.files ?? [])],
    parent,
    at: tx.now
  }
  return Effect.as(appendTo(tx, cellStream(id), CellCreated.make(data)), data)
}

export const create = (ctx: HiveContext, tx: EventTx, input: CreateInput & NewCell) =>
  Effect.gen(function*() {
    let id: string
    let parent: string | null = null
    let parentBlocked = false
    if (input.parent !== undefined) {
      const epic = yield* epicRow(ctx, tx, input.parent)
      parent = epic.id
      parentBlocked = epic.blocked !== 0
      id = yield* nextChildId(tx.query, ctx.project, epic.id, epic.next_child)
    } else {
      id = yield* newCellId(tx.query, ctx.project, ctx.prefix, tx.now)
    }
    const { at, ...fields } = yield* appendCreated(tx, id, input, parent)
    // Exactly what the projection wrote (saves reading it back).
    const cell: Cell = {
      ...fields,
      status: "open",
      dependencies: [],
      dependents: [],
      comments: [],
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedReason: null,
      result: null,
      deletedAt: null,
      blocked: parentBlocked
    }
    return cell
  })

const transition = (row: CellRow, operation: string, reason: string) =>
  new InvalidTransition({ id: row.id, operation, status: row.status, reason })

const liveChildren = (ctx: HiveContext, tx: EventTx, id: string) =>
  Effect.map(
    tx.query<{ n: number }>(
      sql`SELECT count(*) AS n FROM hive_cells WHERE project = ${ctx.project} AND parent = ${id} AND deleted_at IS NULL`
    ),
    (rows) => rows[0]?.n ?? 0
  )

const blockedError = (ctx: HiveContext, tx: EventTx, row: CellRow) =>
  Effect.flatMap(openBlockers(tx.query, ctx.project, row.id), (blockers) =>
    Effect.fail(new CellBlocked({ id: row.id, blockers })))

/** Sets the parent of `row` to the epic `ref` (or detaches it): checks type, self and cycles. */
const parentChange = (ctx: HiveContext, tx: EventTx, row: CellRow, ref: string | null) =>
  Effect.gen(function*() {
    if (ref === null) return null
    const epic = yield* epicRow(ctx, tx, ref)
    if (epic.id === row.id) return yield* new SelfDependency({ id: row.id })
    yield* checkNoCycle(tx.query, ctx.project, row.id, epic.id)
    return epic.id
  })

export const update = (ctx: HiveContext, tx: EventTx, ref: string, patch: UpdateInput) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    const changes: { -readonly [K in keyof CellChanges]: CellChanges[K] } = {}
    if (patch.title !== undefined && patch.title !== row.title) changes.title = patch.title
    if (patch.description !== undefined && patch.description !== row.description) changes.description = patch.description
    if (patch.priority !== undefined && patch.priority !== row.priority) changes.priority = patch.priority
    if (patch.assignee !== undefined && patch.assignee !== row.assignee) changes.assignee = patch.assignee
    if (patch.files !== undefined && JSON.stringify(patch.files) !== row.files) changes.files = [...patch.files]
    if (patch.type !== undefined && patch.type !== row.type) {
      if (row.type === "epic" && (yield* liveChildren(ctx, tx, row.id)) > 0) {
        return yield* transition(row, "update", "an epic with children cannot change its type")
      }
      changes.type = patch.type
    }
    if (patch.status !== undefined && patch.status !== row.status) {
      if (row.status === "closed") return yield* transition(row, "update", "use reopen to leave the closed status")
      if (patch.status === "in_progress" && row.blocked !== 0) return yield* blockedError(ctx, tx, row)
      changes.status = patch.status
    }
    if (patch.parent !== undefined) {
      const parent = yield* parentChange(ctx, tx, row, patch.parent)
      if (parent !== row.parent) changes.parent = parent
    }
    if (Object.keys(changes).length > 0) {
      yield* appendTo(tx, cellStream(row.id), CellUpdated.make({ id: row.id, changes, at: tx.now }))
    }
    return yield* reload(ctx, tx, row.id)
  })

/**
 * Starts a cell, optionally for an agent (a claim): compare-and-set on the row read in this
 * transaction. Idempotent for the agent that already holds it.
 */
export const start = (ctx: HiveContext, tx: EventTx, row: CellRow, agent: string | null) =>
  Effect.gen(function*() {
    if (row.status === "closed") return yield* transition(row, agent === null ? "start" : "claim", "the cell is closed")
    const holder = row.assignee
    if (row.status === "in_progress" && (agent === null || holder === agent)) return yield* reload(ctx, tx, row.id)
    if (agent !== null && holder !== null && holder !== agent) {
      return yield* new CellAlreadyClaimed({ id: row.id, holder })
    }
    if (row.blocked !== 0) return yield* blockedError(ctx, tx, row)
    yield* appendTo(tx, cellStream(row.id), CellStarted.make({ id: row.id, agent, at: tx.now }))
    return yield* reload(ctx, tx, row.id)
  })

export const close = (ctx: HiveContext, tx: EventTx, ref: string, input: CloseInput) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    if (row.status === "closed") return yield* transition(row, "close", "the cell is already closed")
    yield* appendTo(tx, cellStream(row.id), CellClosed.make({ id: row.id, reason: input.reason, result: input.result ?? null, at: tx.now }))
    return yield* reload(ctx, tx, row.id)
  })

export const reopen = (ctx: HiveContext, tx: EventTx, ref: string) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    if (row.status !== "closed") return yield* transition(row, "reopen", "only a closed cell can be reopened")
    yield* appendTo(tx, cellStream(row.id), CellReopened.make({ id: row.id, at: tx.now }))
    return yield* reload(ctx, tx, row.id)
  })

export const remove = (ctx: HiveContext, tx: EventTx, ref: string) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    yield* appendTo(tx, cellStream(row.id), CellDeleted.make({ id: row.id, at: tx.now }))
    return row.id
  })

export const comment = (ctx: HiveContext, tx: EventTx, ref: string, input: CommentInput) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    const random = yield* Random.nextIntBetween(0, 2 ** 31)
    const id = `c-${base36Hash(`${row.id}:${random}:${tx.now}`, 10)}`
    yield* appendTo(tx, cellStream(row.id), CellCommented.make({ id: row.id, comment: id, author: input.author, body: input.body, at: tx.now }))
    const created: Comment = { id, author: input.author, body: input.body, createdAt: tx.now }
    return created
  })

export const label = (ctx: HiveContext, tx: EventTx, ref: string, input: LabelInput) =>
  Effect.gen(function*() {
    const row = yield* liveRow(ctx, tx, ref)
    const current = new Set(
      (yield* tx.query<{ label: string }>(sql`SELECT label FROM hive_labels WHERE project = ${ctx.project} AND cell_id = ${row.id}`))
        .map((r) => r.label)
    )
    // Removals apply first, then additions: a label in both lists stays.
    const final = new Set([...current].filter((l) => !(input.remove ?? []).includes(l)))
    for (const l of input.add ?? []) final.add(l)
    const add = [...final].filter((l) => !current.has(l)).sort()
    const remove = [...current].filter((l) => !final.has(l)).sort()
    if (add.length > 0 || remove.length > 0) {
      yield* appendTo(tx, cellStream(row.id), CellLabeled.make({ id: row.id, add, remove, at: tx.now }))
    }
    return yield* reload(ctx, tx, row.id)
  })

