/** The input schemas of the hive's operations (decoded with `decoderFor`: bad input is `InvalidInput`). */
import { Schema } from "effect"
import { BoundedText, Text } from "@waggle/primitives"
import { Agent, CellRef, CellStatus, CellType, Description, Files, Label, Labels, Priority, Title } from "../Cell.js"

const Assignee = Schema.NullOr(Agent)

export const CreateInput = Schema.Struct({
  title: Title,
  description: Schema.optional(Description),
  type: Schema.optional(CellType),
  priority: Schema.optional(Priority),
  assignee: Schema.optional(Assignee),
  labels: Schema.optional(Labels),
  files: Schema.optional(Files),
  /** An epic (full or partial id); the new cell's id becomes `<parent>.<n>`. */
  parent: Schema.optional(CellRef)
})
export type CreateInput = typeof CreateInput.Encoded

/** A subtask of `createEpic`: `blockedBy` lists earlier or later subtasks (by index) or existing cells (by id). */
export const SubtaskInput = Schema.Struct({
  title: Title,
  description: Schema.optional(Description),
  type: Schema.optional(CellType),
  priority: Schema.optional(Priority),
  assignee: Schema.optional(Assignee),
  labels: Schema.optional(Labels),
  files: Schema.optional(Files),
  blockedBy: Schema.optional(
    Schema.Array(Schema.Union(Schema.Int.pipe(Schema.nonNegative()), CellRef)).pipe(Schema.maxItems(500))
  )
})
export type SubtaskInput = typeof SubtaskInput.Encoded

export const CreateEpicInput = Schema.Struct({
  title: Title,
  description: Schema.optional(Description),
  priority: Schema.optional(Priority),
  assignee: Schema.optional(Assignee),
  labels: Schema.optional(Labels),
  files: Schema.optional(Files),
  subtasks: Schema.Array(SubtaskInput).pipe(Schema.maxItems(1000))
})
export type CreateEpicInput = typeof CreateEpicInput.Encoded

export const UpdateInput = Schema.Struct({
  title: Schema.optional(Title),
  description: Schema.optional(Description),
  type: Schema.optional(CellType),
  priority: Schema.optional(Priority),
  assignee: Schema.optional(Assignee),
  files: Schema.optional(Files),
  /** A new parent epic, or null to detach. */
  parent: Schema.optional(Schema.NullOr(CellRef)),
  /** `closed` is reached through `close`, and left through `reopen`. */
  status: Schema.optional(Schema.Literal("open", "in_progress", "blocked"))
})
export type UpdateInput = typeof UpdateInput.Encoded

export const CloseInput = Schema.Struct({
  reason: BoundedText(2000),
  result: Schema.optional(Text.pipe(Schema.maxLength(100_000)))
})
export type CloseInput = typeof CloseInput.Encoded

export const CommentInput = Schema.Struct({ author: Agent, body: BoundedText(100_000) })
export type CommentInput = typeof CommentInput.Encoded

export const LabelInput = Schema.Struct({ add: Schema.optional(Labels), remove: Schema.optional(Labels) })
export type LabelInput = typeof LabelInput.Encoded

const Statuses = Schema.Union(CellStatus, Schema.Array(CellStatus).pipe(Schema.minItems(1)))

export const QueryInput = Schema.Struct({
  status: Schema.optional(Statuses),
  type: Schema.optional(CellType),
  parent: Schema.optional(CellRef),
  assignee: Schema.optional(Agent),
  unassigned: Schema.optional(Schema.Boolean),
  label: Schema.optional(Label),
  /** Case-insensitive substring of the title or description. */
  text: Schema.optional(BoundedText(500)),
  includeDeleted: Schema.optional(Schema.Boolean),
  sort: Schema.optional(Schema.Literal("priority", "created", "updated", "id")),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000)))
})
export type QueryInput = typeof QueryInput.Encoded

export const ReadySort = Schema.Literal("priority", "oldest", "hybrid")
export type ReadySort = typeof ReadySort.Type

export const ReadyInput = Schema.Struct({
  sort: Schema.optional(ReadySort),
  assignee: Schema.optional(Agent),
  unassigned: Schema.optional(Schema.Boolean),
  includeInProgress: Schema.optional(Schema.Boolean),
  type: Schema.optional(CellType),
  label: Schema.optional(Label),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})
export type ReadyInput = typeof ReadyInput.Encoded

export const ClaimNextInput = Schema.Struct({
  sort: Schema.optional(ReadySort),
  type: Schema.optional(CellType),
  label: Schema.optional(Label)
})
export type ClaimNextInput = typeof ClaimNextInput.Encoded

export { Agent, CellRef }
