/**
 * The cell: the hive's unit of work. Schemas for its fields and the shapes operations return.
 * Timestamps are milliseconds since the epoch (the export writes them as ISO-8601 UTC).
 */
import { Schema } from "effect"
import { BoundedText, Name, Text } from "@waggle/primitives"

export const CellType = Schema.Literal("task", "bug", "feature", "epic", "chore")
export type CellType = typeof CellType.Type

export const CellStatus = Schema.Literal("open", "in_progress", "blocked", "closed")
export type CellStatus = typeof CellStatus.Type

/** 0 is the most urgent, 3 the least; 2 by default. */
export const Priority = Schema.Int.pipe(Schema.between(0, 3))
export type Priority = typeof Priority.Type

/**
 * - `blocks`: the cell cannot start before the target closes (the only kind that blocks).
 * - `related`, `discovered-from`: links, no effect on readiness.
 * - `parent-child`: the cell's parent epic (stored as the cell's `parent`).
 */
export const DependencyKind = Schema.Literal("blocks", "related", "parent-child", "discovered-from")
export type DependencyKind = typeof DependencyKind.Type

export const Title = Name(500)
export const Description = Text.pipe(Schema.maxLength(100_000))
export const Label = Name(100)
export const FilePath = BoundedText(1000)
export const Agent = Name(200)
/** A full or partial cell id. */
export const CellRef = BoundedText(200)
export const Labels = Schema.Array(Label).pipe(Schema.maxItems(100))
export const Files = Schema.Array(FilePath).pipe(Schema.maxItems(500))

export interface Dependency {
  /** The cell depended on. */
  readonly id: string
  readonly kind: Exclude<DependencyKind, "parent-child">
  readonly createdAt: number
}

export interface Comment {
  readonly id: string
  readonly author: string
  readonly body: string
  readonly createdAt: number
}

export interface Cell {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly type: CellType
  readonly status: CellStatus
  readonly priority: number
  readonly assignee: string | null
  readonly labels: ReadonlyArray<string>
  readonly files: ReadonlyArray<string>
  readonly parent: string | null
  /** What this cell depends on (`blocks`, `related`, `discovered-from`), sorted by id then kind. */
  readonly dependencies: ReadonlyArray<Dependency>
  /** Cells that depend on this one, sorted by id then kind. */
  readonly dependents: ReadonlyArray<Dependency>
  /** Oldest first. */
  readonly comments: ReadonlyArray<Comment>
  readonly createdAt: number
  readonly updatedAt: number
  /** Set exactly when the status is `closed`. */
  readonly closedAt: number | null
  readonly closedReason: string | null
  readonly result: string | null
  /** Set when the cell was deleted (a tombstone). */
  readonly deletedAt: number | null
  /** Whether an open `blocks` dependency (of the cell or of an ancestor epic) holds it back. */
  readonly blocked: boolean
}

export interface EpicProgress {
  readonly id: string
  readonly total: number
  readonly byStatus: { readonly [S in CellStatus]: number }
  /** All children closed, and there is at least one. */
  readonly closureEligible: boolean
}

export interface Session {
  readonly id: string
  readonly agent: string
  readonly cell: string | null
  readonly startedAt: number
  readonly endedAt: number | null
  readonly handoff: string | null
}
