/** What the hive tools return: compact cells (the tool list and results are in every agent's context). */
import type { Cell } from "@waggle/hive"
import { Schema } from "effect"

const Str = Schema.String
const NullStr = Schema.NullOr(Schema.String)

export const CellOut = Schema.Struct({
  id: Str,
  title: Str,
  type: Str,
  status: Str,
  priority: Schema.Number,
  assignee: NullStr,
  parent_id: NullStr,
  blocked: Schema.Boolean
})
export type CellOut = typeof CellOut.Type

/** A cell with its details: what `hive_cells` returns for one id. */
export const CellDetail = Schema.Struct({
  ...CellOut.fields,
  description: Schema.optional(Str),
  labels: Schema.optional(Schema.Array(Str)),
  files: Schema.optional(Schema.Array(Str)),
  depends_on: Schema.optional(Schema.Array(Schema.Struct({ id: Str, kind: Str }))),
  comments: Schema.optional(Schema.Array(Schema.Struct({ author: Str, body: Str }))),
  closed_reason: Schema.optional(NullStr),
  result: Schema.optional(NullStr)
})
export type CellDetail = typeof CellDetail.Type

export const CellList = Schema.Struct({ cells: Schema.Array(CellOut) })
/** Cells, with details when one was asked for by id. */
export const CellDetailList = Schema.Struct({ cells: Schema.Array(CellDetail) })
export const MaybeCell = Schema.Struct({ cell: Schema.NullOr(CellOut) })

/** The compact form of a cell. */
export const cellOut = (cell: Cell): CellOut => ({
  id: cell.id,
  title: cell.title,
  type: cell.type,
  status: cell.status,
  priority: cell.priority,
  assignee: cell.assignee,
  parent_id: cell.parent,
  blocked: cell.blocked
})

/** The cell with its details (description, labels, files, links, comments, closing). */
export const cellDetail = (cell: Cell): CellDetail => ({
  ...cellOut(cell),
  description: cell.description,
  labels: cell.labels,
  files: cell.files,
  depends_on: cell.dependencies.map((d) => ({ id: d.id, kind: d.kind })),
  comments: cell.comments.map((c) => ({ author: c.author, body: c.body })),
  closed_reason: cell.closedReason,
  result: cell.result
})
