/** A pattern's (or strategy's) history: its evidence, transitions, validations and inversion, in log order. */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import type { HistoryEntry, SubjectKind } from "../Pattern.js"
import type { Queryable } from "./queryable.js"

interface EvidenceRow {
  readonly position: number
  readonly at: number
  readonly signal: "helpful" | "neutral" | "harmful"
  readonly success: number
  readonly score: number
  readonly cell_id: string | null
}

interface HistoryRow {
  readonly position: number
  readonly type: "maturity_changed" | "validated" | "inverted"
  readonly at: number
  readonly detail: string
}

const fromHistory = (r: HistoryRow): HistoryEntry => {
  const d = JSON.parse(r.detail) as Record<string, unknown>
  switch (r.type) {
    case "maturity_changed":
      return {
        type: "maturity_changed",
        position: r.position,
        at: r.at,
        from: d["from"] as never,
        to: d["to"] as never,
        observations: d["observations"] as number,
        successRate: d["successRate"] as number
      }
    case "inverted":
      return {
        type: "inverted",
        position: r.position,
        at: r.at,
        antiPattern: d["antiPattern"] as string,
        failureRate: d["failureRate"] as number
      }
    case "validated":
      return { type: "validated", position: r.position, at: r.at }
  }
}

/** The latest `limit` entries, oldest first. */
export const subjectHistory = (
  db: Queryable,
  project: string,
  kind: SubjectKind,
  name: string,
  limit: number
): Effect.Effect<ReadonlyArray<HistoryEntry>, StorageError> =>
  Effect.gen(function*() {
    const evidence = yield* db.query<EvidenceRow>(
      sql`SELECT e.position AS position, e.at AS at, e.signal AS signal, e.success AS success, e.score AS score, o.cell_id AS cell_id
          FROM learning_evidence e
          LEFT JOIN learning_outcomes o ON o.project = e.project AND o.position = e.position
          WHERE e.project = ${project} AND e.kind = ${kind} AND e.subject = ${name}
          ORDER BY e.position DESC LIMIT ${limit}`
    )
    const other = yield* db.query<HistoryRow>(
      sql`SELECT position, type, at, detail FROM learning_history
          WHERE project = ${project} AND kind = ${kind} AND subject = ${name}
          ORDER BY position DESC LIMIT ${limit}`
    )
    const entries: Array<HistoryEntry> = [
      ...evidence.map((e): HistoryEntry => ({
        type: "evidence",
        position: e.position,
        at: e.at,
        cellId: e.cell_id,
        signal: e.signal,
        success: e.success === 1,
        score: e.score
      })),
      ...other.map(fromHistory)
    ]
    return entries.sort((a, b) => b.position - a.position).slice(0, limit).reverse()
  })
