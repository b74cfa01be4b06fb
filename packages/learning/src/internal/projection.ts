/**
 * The learning projection: event → rows. Handlers use the event only (data, position, createdAt)
 * and existing rows, never the clock.
 */
import { Projection, sql } from "@waggle/primitives"
import type { Statement } from "@waggle/primitives"
import {
  MaturityChanged,
  OutcomeRecorded,
  PatternInverted,
  PatternValidated,
  RuleAdded,
  RuleContradicted,
  RuleReinforced,
  RuleRetired,
  SkillAdded,
  SkillUsed,
  StrategyRegistered
} from "./events.js"

export const TABLES = [
  "learning_outcomes",
  "learning_evidence",
  "learning_subjects",
  "learning_history",
  "learning_strategies",
  "learning_rules",
  "learning_skills"
] as const

const subjectAndEvidence = (
  project: string,
  kind: "pattern" | "strategy",
  name: string,
  position: number,
  at: number,
  signal: string,
  success: boolean,
  score: number
): ReadonlyArray<Statement> => [
  sql`INSERT INTO learning_subjects (project, kind, name, first_seen_at, maturity)
      VALUES (${project}, ${kind}, ${name}, ${at}, 'candidate') ON CONFLICT (project, kind, name) DO NOTHING`,
  sql`INSERT INTO learning_evidence (project, kind, subject, position, at, signal, success, score)
      VALUES (${project}, ${kind}, ${name}, ${position}, ${at}, ${signal}, ${success ? 1 : 0}, ${score})`
]

const history = (
  project: string,
  kind: string,
  subject: string,
  position: number,
  type: string,
  at: number,
  detail: unknown
): Statement =>
  sql`INSERT INTO learning_history (project, kind, subject, position, type, at, detail)
      VALUES (${project}, ${kind}, ${subject}, ${position}, ${type}, ${at}, ${JSON.stringify(detail)})`

const ruleEvidence = (project: string, id: string, position: number, at: number, helpful: boolean, note: string | null) =>
  sql`INSERT INTO learning_evidence (project, kind, subject, position, at, signal, success, score, note)
      VALUES (${project}, 'rule', ${id}, ${position}, ${at}, ${helpful ? "helpful" : "harmful"}, ${helpful ? 1 : 0}, ${helpful ? 1 : 0}, ${note})`

export const learningProjection = Projection.make("learning", TABLES)
  .on(OutcomeRecorded, (e) => {
    const d = e.data
    const statements: Array<Statement> = [
      sql`INSERT INTO learning_outcomes (project, position, cell_id, epic_id, task, strategy, patterns, duration_ms,
            success, error_count, retry_count, files_touched, failure_mode, criteria, score, signal, recorded_at)
          VALUES (${e.project}, ${e.position}, ${d.cellId}, ${d.epicId}, ${d.task}, ${d.strategy}, ${JSON.stringify(d.patterns)},
            ${d.durationMs}, ${d.success ? 1 : 0}, ${d.errorCount}, ${d.retryCount}, ${JSON.stringify(d.filesTouched)},
            ${d.failureMode}, ${d.criteria === null ? null : JSON.stringify(d.criteria)}, ${d.score}, ${d.signal}, ${e.createdAt})`
    ]
    if (d.strategy !== null) {
      statements.push(...subjectAndEvidence(e.project, "strategy", d.strategy, e.position, e.createdAt, d.signal, d.success, d.score))
    }
    for (const p of d.patterns) {
      statements.push(...subjectAndEvidence(e.project, "pattern", p, e.position, e.createdAt, d.signal, d.success, d.score))
    }
    return statements
  })
  .on(MaturityChanged, (e) => {
    const { kind, name, to } = e.data
    const promoted = to === "established" || to === "proven" ? 1 : 0
    const proven = to === "proven" ? 1 : 0
    return [
      sql`UPDATE learning_subjects SET maturity = ${to}, maturity_changed_at = ${e.createdAt},
            first_established_at = CASE WHEN ${promoted} = 1 THEN coalesce(first_established_at, ${e.createdAt}) ELSE first_established_at END,
            first_proven_at = CASE WHEN ${proven} = 1 THEN coalesce(first_proven_at, ${e.createdAt}) ELSE first_proven_at END
          WHERE project = ${e.project} AND kind = ${kind} AND name = ${name}`,
      history(e.project, kind, name, e.position, "maturity_changed", e.createdAt, e.data)
    ]
  })
  .on(PatternInverted, (e) => {
    const { kind, name, antiPattern, failureRate } = e.data
    return [
      sql`UPDATE learning_subjects SET inverted_at = ${e.createdAt}, anti_pattern = ${antiPattern}, inverted_failure_rate = ${failureRate}
          WHERE project = ${e.project} AND kind = ${kind} AND name = ${name}`,
      history(e.project, kind, name, e.position, "inverted", e.createdAt, e.data)
    ]
  })
  .on(PatternValidated, (e) => {
    const { kind, name } = e.data
    return [
      sql`UPDATE learning_subjects SET validated_at = ${e.createdAt} WHERE project = ${e.project} AND kind = ${kind} AND name = ${name}`,
      history(e.project, kind, name, e.position, "validated", e.createdAt, e.data)
    ]
  })
  .on(StrategyRegistered, (e) => [
    sql`INSERT INTO learning_strategies (project, name, description, keywords, registered_at)
        VALUES (${e.project}, ${e.data.name}, ${e.data.description}, ${JSON.stringify(e.data.keywords)}, ${e.createdAt})`
  ])
  .on(RuleAdded, (e) => [
    sql`INSERT INTO learning_rules (project, id, text, source, added_at)
        VALUES (${e.project}, ${e.data.id}, ${e.data.text}, ${e.data.source}, ${e.createdAt})`
  ])
  .on(RuleReinforced, (e) => [ruleEvidence(e.project, e.data.id, e.position, e.createdAt, true, e.data.note)])
  .on(RuleContradicted, (e) => [ruleEvidence(e.project, e.data.id, e.position, e.createdAt, false, e.data.note)])
  .on(RuleRetired, (e) => [
    sql`UPDATE learning_rules SET retired_at = ${e.createdAt}, retire_reason = ${e.data.reason}
        WHERE project = ${e.project} AND id = ${e.data.id}`
  ])
  .on(SkillAdded, (e) => [
    sql`INSERT INTO learning_skills (project, name, description, template, tags, added_at)
        VALUES (${e.project}, ${e.data.name}, ${e.data.description}, ${e.data.template}, ${JSON.stringify(e.data.tags)}, ${e.createdAt})`
  ])
  .on(SkillUsed, (e) => [
    sql`INSERT INTO learning_evidence (project, kind, subject, position, at, signal, success, score)
        VALUES (${e.project}, 'skill', ${e.data.name}, ${e.position}, ${e.createdAt},
          ${e.data.success ? "helpful" : "harmful"}, ${e.data.success ? 1 : 0}, ${e.data.success ? 1 : 0})`
  ])
