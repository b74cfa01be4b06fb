/** Reading playbook rules with their decayed evidence. */
import { Effect } from "effect"
import { placeholders, statement } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { halfLifeMs } from "../LearningConfig.js"
import * as Maturity from "../Maturity.js"
import type { RuleView } from "../Rule.js"
import type { Queryable } from "./queryable.js"

interface RuleRow {
  readonly id: string
  readonly text: string
  readonly source: string | null
  readonly added_at: number
  readonly retired_at: number | null
  readonly retire_reason: string | null
}

interface EvidenceRow {
  readonly subject: string
  readonly at: number
  readonly success: number
}

/** Evidence rows of one kind (rule, skill) for some subjects (or all), inside the horizon. */
export const loadEvidence = (
  db: Queryable,
  project: string,
  kind: "rule" | "skill",
  subjects: ReadonlyArray<string> | undefined,
  now: number,
  config: LearningConfigShape
): Effect.Effect<Map<string, Array<Evidence.Observation>>, StorageError> =>
  Effect.gen(function*() {
    const filter = subjects === undefined ? "" : ` AND subject IN (${placeholders(subjects.length)})`
    const rows = yield* db.query<EvidenceRow>(statement(
      `SELECT subject, at, success FROM learning_evidence
       WHERE project = ? AND kind = ?${filter} AND at >= ? ORDER BY subject, position`,
      [project, kind, ...(subjects ?? []), now - config.horizonHalfLives * halfLifeMs(config)]
    ))
    const out = new Map<string, Array<Evidence.Observation>>()
    for (const r of rows) {
      let list = out.get(r.subject)
      if (list === undefined) out.set(r.subject, list = [])
      list.push({ at: r.at, signal: r.success === 1 ? "helpful" : "harmful", success: r.success === 1 })
    }
    return out
  })

const toView = (
  row: RuleRow,
  evidence: ReadonlyArray<Evidence.Observation>,
  now: number,
  config: LearningConfigShape
): RuleView => {
  const t = Evidence.tally(evidence, now, halfLifeMs(config))
  const { priorAlpha, priorBeta } = config.thompson
  const maturity = Maturity.of(t, config.maturity)
  const reinforcements = evidence.filter((e) => e.success).length
  return {
    id: row.id,
    text: row.text,
    source: row.source,
    status: row.retired_at === null ? "active" : "retired",
    confidence: (priorAlpha + t.successes) / (priorAlpha + priorBeta + t.observations),
    maturity,
    weight: Maturity.multiplier(maturity, config.maturity),
    evidence: evidence.length,
    reinforcements,
    contradictions: evidence.length - reinforcements,
    decayedReinforcements: t.successes,
    decayedContradictions: t.failures,
    addedAt: row.added_at,
    retiredAt: row.retired_at,
    retireReason: row.retire_reason,
    lastEvidenceAt: t.lastAt
  }
}

/** Most confident first, then most evidence, then the oldest. */
export const byConfidence = (a: RuleView, b: RuleView): number =>
  b.confidence - a.confidence || b.evidence - a.evidence || a.addedAt - b.addedAt

/** Rules (all, or the ids given) as of `now`, in the order they were added. */
export const loadRules = (
  db: Queryable,
  project: string,
  ids: ReadonlyArray<string> | undefined,
  now: number,
  config: LearningConfigShape
): Effect.Effect<ReadonlyArray<RuleView>, StorageError> =>
  Effect.gen(function*() {
    if (ids !== undefined && ids.length === 0) return []
    const filter = ids === undefined ? "" : ` AND id IN (${placeholders(ids.length)})`
    const rows = yield* db.query<RuleRow>(statement(
      `SELECT id, text, source, added_at, retired_at, retire_reason FROM learning_rules
       WHERE project = ?${filter} ORDER BY added_at, id`,
      [project, ...(ids ?? [])]
    ))
    const evidence = yield* loadEvidence(db, project, "rule", ids, now, config)
    return rows.map((r) => toView(r, evidence.get(r.id) ?? [], now, config))
  })
