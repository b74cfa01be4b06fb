/**
 * The learning projection: event → rows. Handlers use the event only (data, position, createdAt)
 * and existing rows, never the clock.
 */
import { Projection, sql } from "@waggle/primitives"
import type { RecordedEvent, Statement } from "@waggle/primitives"
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

/** Where a row comes from: the event's project, log position and time. */
type Source = Pick<RecordedEvent, "project" | "position" | "createdAt">

/** One observation of a subject (pattern, strategy, rule, skill), keyed by the event's position. */
const evidence = (
  e: Source,
  kind: "pattern" | "strategy" | "rule" | "skill",
  subject: string,
  signal: string,
  success: boolean,
  score: number,
  note: string | null = null
): Statement =>
  sql`INSERT INTO learning_evidence (project, kind, subject, position, at, signal, success, score, note)
      VALUES (${e.project}, ${kind}, ${subject}, ${e.position}, ${e.createdAt}, ${signal}, ${success ? 1 : 0}, ${score}, ${note})`

/** A reinforcement or successful use (helpful, score 1), or a contradiction or failed use (harmful, score 0). */
const verdict = (e: Source, kind: "rule" | "skill", subject: string, helpful: boolean, note: string | null = null) =>
  evidence(e, kind, subject, helpful ? "helpful" : "harmful", helpful, helpful ? 1 : 0, note)

const subjectAndEvidence = (
  e: RecordedEvent<string, typeof OutcomeRecorded.schema.Type>,
  kind: "pattern" | "strategy",
  name: string
): ReadonlyArray<Statement> => [
  sql`INSERT INTO learning_subjects (project, kind, name, first_seen_at, maturity)
      VALUES (${e.project}, ${kind}, ${name}, ${e.createdAt}, 'candidate') ON CONFLICT (project, kind, name) DO NOTHING`,
  evidence(e, kind, name, e.data.signal, e.data.success, e.data.score)
]

const history = (e: Source, kind: string, subject: string, type: string, detail: unknown): Statement =>
  sql`INSERT INTO learning_history (project, kind, subject, position, type, at, detail)
      VALUES (${e.project}, ${kind}, ${subject}, ${e.position}, ${type}, ${e.createdAt}, ${JSON.stringify(detail)})`

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
    if (d.strategy !== null) statements.push(...subjectAndEvidence(e, "strategy", d.strategy))
    for (const p of d.patterns) statements.push(...subjectAndEvidence(e, "pattern", p))
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
      history(e, kind, name, "maturity_changed", e.data)
    ]
  })
  .on(PatternInverted, (e) => {
    const { kind, name, antiPattern, failureRate } = e.data
    return [
      sql`UPDATE learning_subjects SET inverted_at = ${e.createdAt}, anti_pattern = ${antiPattern}, inverted_failure_rate = ${failureRate}
          WHERE project = ${e.project} AND kind = ${kind} AND name = ${name}`,
      history(e, kind, name, "inverted", e.data)
    ]
  })
  .on(PatternValidated, (e) => {
    const { kind, name } = e.data
    return [
      sql`UPDATE learning_subjects SET validated_at = ${e.createdAt} WHERE project = ${e.project} AND kind = ${kind} AND name = ${name}`,
      history(e, kind, name, "validated", e.data)
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
  .on(RuleReinforced, (e) => [verdict(e, "rule", e.data.id, true, e.data.note)])
  .on(RuleContradicted, (e) => [verdict(e, "rule", e.data.id, false, e.data.note)])
  .on(RuleRetired, (e) => [
    sql`UPDATE learning_rules SET retired_at = ${e.createdAt}, retire_reason = ${e.data.reason}
        WHERE project = ${e.project} AND id = ${e.data.id}`
  ])
  .on(SkillAdded, (e) => [
    sql`INSERT INTO learning_skills (project, name, description, template, tags, added_at)
        VALUES (${e.project}, ${e.data.name}, ${e.data.description}, ${e.data.template}, ${JSON.stringify(e.data.tags)}, ${e.createdAt})`
  ])
  .on(SkillUsed, (e) => [verdict(e, "skill", e.data.name, e.data.success)])
