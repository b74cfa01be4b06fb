/** Reading playbook rules with their decayed evidence. */
import { Effect } from "effect"
import { placeholders, statement } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { halfLifeMs } from "../LearningConfig.js"
import * as Maturity from "../Maturity.js"
import type { RuleView } from "../Rule.js"
import { loadEvidence } from "./evidence.js"
import type { Queryable } from "./queryable.js"

interface RuleRow {
  readonly id: string
  readonly text: string
  readonly source: string | null
  readonly added_at: number
  readonly retired_at: number | null
  readonly retire_reason: string | null
}

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
