/** Dependencies between cells, and epics created with their subtasks in one transaction. */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { EventTx } from "@waggle/primitives"
import type { DependencyKind } from "../Cell.js"
import { NotAnEpic, SelfDependency } from "../HiveErrors.js"
import { appendTo, liveRow } from "./context.js"
import type { HiveContext } from "./context.js"
import { checkNoCycle } from "./cycles.js"
import { CellUpdated, DependencyAdded, DependencyRemoved, cellStream } from "./events.js"
import { newCellId } from "./ids.js"
import type { CreateEpicInput } from "./inputs.js"
import { appendCreated, reload, reloadMany } from "./lifecycle.js"
import { resolveId } from "./resolve.js"
import type { CellRow } from "./rows.js"

const hasLink = (ctx: HiveContext, tx: EventTx, from: string, to: string, kind: string) =>
  Effect.map(
    tx.query(sql`SELECT 1 AS one FROM hive_deps WHERE project = ${ctx.project} AND from_id = ${from} AND kind = ${kind} AND to_id = ${to}`),
    (rows) => rows.length > 0
  )

/** Links the cell `from` to the live cell `to` with a kind other than `parent-child` (no-op if the link exists). */
const link = (ctx: HiveContext, tx: EventTx, from: string, to: string, kind: Exclude<DependencyKind, "parent-child">) =>
  Effect.gen(function*() {
    if (from === to) return yield* new SelfDependency({ id: from })
    if (yield* hasLink(ctx, tx, from, to, kind)) return
    if (kind === "blocks") yield* checkNoCycle(tx.query, ctx.project, from, to)
    yield* appendTo(tx, cellStream(from), DependencyAdded.make({ from, to, kind, at: tx.now }))
  })

/** Makes the epic `to` the parent of `from`. */
const adopt = (ctx: HiveContext, tx: EventTx, from: CellRow, to: CellRow) =>
  Effect.gen(function*() {
    if (from.id === to.id) return yield* new SelfDependency({ id: from.id })
    if (to.type !== "epic") return yield* new NotAnEpic({ id: to.id, type: to.type })
    if (from.parent === to.id) return
    yield* checkNoCycle(tx.query, ctx.project, from.id, to.id)
    yield* appendTo(tx, cellStream(from.id), CellUpdated.make({ id: from.id, changes: { parent: to.id }, at: tx.now }))
  })

export const addDependency = (ctx: HiveContext, tx: EventTx, fromRef: string, toRef: string, kind: DependencyKind) =>
  Effect.gen(function*() {
    const from = yield* liveRow(ctx, tx, fromRef)
    const to = yield* liveRow(ctx, tx, toRef)
    yield* kind === "parent-child" ? adopt(ctx, tx, from, to) : link(ctx, tx, from.id, to.id, kind)
    return yield* reload(ctx, tx, from.id)
  })

/** Removes the link if it exists (the target may be deleted); returns the source cell. */
export const removeDependency = (ctx: HiveContext, tx: EventTx, fromRef: string, toRef: string, kind: DependencyKind) =>
  Effect.gen(function*() {
    const from = yield* liveRow(ctx, tx, fromRef)
    const to = yield* resolveId(tx.query, ctx.project, ctx.prefix, toRef, { includeDeleted: true })
    if (kind === "parent-child") {
      if (from.parent === to) {
        yield* appendTo(tx, cellStream(from.id), CellUpdated.make({ id: from.id, changes: { parent: null }, at: tx.now }))
      }
    } else if (yield* hasLink(ctx, tx, from.id, to, kind)) {
      yield* appendTo(tx, cellStream(from.id), DependencyRemoved.make({ from: from.id, to, kind, at: tx.now }))
    }
    return yield* reload(ctx, tx, from.id)
  })

/**
 * The epic, then its subtasks `<epic>.1 ... <epic>.n` in input order, then their `blocks` links.
 * Any failure (an unknown cell, a cycle) fails the transaction: nothing is left behind.
 */
export const createEpic = (ctx: HiveContext, tx: EventTx, input: CreateEpicInput) =>
  Effect.gen(function*() {
    const epicId = yield* newCellId(tx.query, ctx.project, ctx.prefix, tx.now)
    yield* appendCreated(tx, epicId, { ...input, type: "epic" }, null)
    const ids: Array<string> = []
    for (const [i, subtask] of input.subtasks.entries()) {
      ids.push((yield* appendCreated(tx, `${epicId}.${i + 1}`, subtask, epicId)).id)
    }
    // The subtasks were just created: only the other cells they name need resolving.
    for (const [i, subtask] of input.subtasks.entries()) {
      for (const blocker of subtask.blockedBy ?? []) {
        const to = typeof blocker === "number" ? ids[blocker]! : yield* resolveId(tx.query, ctx.project, ctx.prefix, blocker)
        yield* link(ctx, tx, ids[i]!, to, "blocks")
      }
    }
    const [epic, ...subtasks] = yield* reloadMany(ctx, tx, [epicId, ...ids])
    return { epic: epic!, subtasks }
  })
