/**
 * Reading stored evidence: the observations inside the horizon (older ones weigh less than
 * 2^-horizonHalfLives and are not read), grouped by subject in log order.
 */
import { Effect } from "effect"
import { placeholders, statement } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import type * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { halfLifeMs } from "../LearningConfig.js"
import type { Queryable } from "./queryable.js"

export interface EvidenceRow {
  readonly subject: string
  readonly at: number
  readonly signal: Evidence.Observation["signal"]
  readonly success: number
}

/** Evidence recorded (or, for a validated subject, validated) before this time is beyond the horizon. */
export const horizonCutoff = (now: number, config: LearningConfigShape): number =>
  now - config.horizonHalfLives * halfLifeMs(config)

/** The rows' observations by subject, in the rows' order. */
export const bySubject = (rows: ReadonlyArray<EvidenceRow>): Map<string, Array<Evidence.Observation>> => {
  const out = new Map<string, Array<Evidence.Observation>>()
  for (const r of rows) {
    let list = out.get(r.subject)
    if (list === undefined) out.set(r.subject, list = [])
    list.push({ at: r.at, signal: r.signal, success: r.success === 1 })
  }
  return out
}

/** Evidence of one kind (rule, skill) for some subjects (or all), inside the horizon. */
export const loadEvidence = (
  db: Queryable,
  project: string,
  kind: "rule" | "skill",
  subjects: ReadonlyArray<string> | undefined,
  now: number,
  config: LearningConfigShape
): Effect.Effect<Map<string, Array<Evidence.Observation>>, StorageError> => {
  const filter = subjects === undefined ? "" : ` AND subject IN (${placeholders(subjects.length)})`
  return Effect.map(
    db.query<EvidenceRow>(statement(
      `SELECT subject, at, signal, success FROM learning_evidence
       WHERE project = ? AND kind = ?${filter} AND at >= ? ORDER BY subject, position`,
      [project, kind, ...(subjects ?? []), horizonCutoff(now, config)]
    )),
    bySubject
  )
}
