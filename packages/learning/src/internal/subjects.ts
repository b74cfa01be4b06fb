/**
 * Patterns and strategies ("subjects") as stored — the last recorded maturity, validation and
 * inversion, and their evidence — and what they mean at a given time: decayed tallies, current
 * maturity, active anti-pattern, and the events a change calls for.
 */
import { Effect } from "effect"
import { placeholders, statement } from "@waggle/primitives"
import type { EventInput, StorageError } from "@waggle/primitives"
import * as AntiPattern from "../AntiPattern.js"
import * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { halfLifeMs } from "../LearningConfig.js"
import * as Maturity from "../Maturity.js"
import type { AntiPatternView, PatternView, SubjectKind } from "../Pattern.js"
import { MaturityChanged, PatternInverted } from "./events.js"
import type { EvidenceRow } from "./evidence.js"
import { bySubject, horizonCutoff } from "./evidence.js"
import type { Queryable } from "./queryable.js"

export interface SubjectRow {
  readonly kind: SubjectKind
  readonly name: string
  readonly first_seen_at: number
  readonly maturity: Maturity.Maturity
  readonly maturity_changed_at: number | null
  readonly first_established_at: number | null
  readonly first_proven_at: number | null
  readonly validated_at: number | null
  readonly inverted_at: number | null
  readonly anti_pattern: string | null
  readonly inverted_failure_rate: number | null
}

export interface Subject {
  readonly row: SubjectRow
  readonly evidence: ReadonlyArray<Evidence.Observation>
}

/** A subject seen for the first time at `at`. */
export const fresh = (kind: SubjectKind, name: string, at: number): Subject => ({
  row: {
    kind,
    name,
    first_seen_at: at,
    maturity: "candidate",
    maturity_changed_at: null,
    first_established_at: null,
    first_proven_at: null,
    validated_at: null,
    inverted_at: null,
    anti_pattern: null,
    inverted_failure_rate: null
  },
  evidence: []
})

/**
 * The project's subjects of one kind (all, or those named) with their evidence inside the horizon,
 * in log order.
 */
export const loadSubjects = (
  db: Queryable,
  project: string,
  kind: SubjectKind,
  names: ReadonlyArray<string> | undefined,
  now: number,
  config: LearningConfigShape
): Effect.Effect<Map<string, Subject>, StorageError> =>
  Effect.gen(function*() {
    if (names !== undefined && names.length === 0) return new Map()
    const filter = names === undefined ? "" : ` AND name IN (${placeholders(names.length)})`
    const rows = yield* db.query<SubjectRow>(statement(
      `SELECT kind, name, first_seen_at, maturity, maturity_changed_at, first_established_at, first_proven_at,
              validated_at, inverted_at, anti_pattern, inverted_failure_rate
       FROM learning_subjects WHERE project = ? AND kind = ?${filter}`,
      [project, kind, ...(names ?? [])]
    ))
    const evidenceFilter = names === undefined ? "" : ` AND e.subject IN (${placeholders(names.length)})`
    const evidence = yield* db.query<EvidenceRow>(statement(
      `SELECT e.subject AS subject, e.at AS at, e.signal AS signal, e.success AS success
       FROM learning_evidence e
       JOIN learning_subjects s ON s.project = e.project AND s.kind = e.kind AND s.name = e.subject
       WHERE e.project = ? AND e.kind = ?${evidenceFilter} AND max(e.at, coalesce(s.validated_at, 0)) >= ?
       ORDER BY e.subject, e.position`,
      [project, kind, ...(names ?? []), horizonCutoff(now, config)]
    ))
    const byName = bySubject(evidence)
    return new Map(rows.map((row) => [row.name, { row, evidence: byName.get(row.name) ?? [] }]))
  })

export const tallyOf = (subject: Subject, now: number, config: LearningConfigShape): Evidence.Tally =>
  Evidence.tally(subject.evidence, now, halfLifeMs(config), subject.row.validated_at)

const antiPatternView = (row: SubjectRow, t: Evidence.Tally, config: LearningConfigShape): AntiPatternView | null =>
  row.inverted_at === null
    ? null
    : {
      text: row.anti_pattern ?? AntiPattern.text(row.name, row.inverted_failure_rate ?? 0),
      invertedAt: row.inverted_at,
      failureRateAtInversion: row.inverted_failure_rate ?? 0,
      active: AntiPattern.meetsRule(t, config.antiPattern),
      current: AntiPattern.text(row.name, AntiPattern.failureRatio(t))
    }

/** The subject as of `now`. */
export const view = (subject: Subject, now: number, config: LearningConfigShape): PatternView => {
  const t = tallyOf(subject, now, config)
  const maturity = Maturity.of(t, config.maturity)
  const r = subject.row
  return {
    kind: r.kind,
    name: r.name,
    maturity,
    recordedMaturity: r.maturity,
    weight: Maturity.multiplier(maturity, config.maturity),
    observations: t.observations,
    helpful: t.helpful,
    harmful: t.harmful,
    neutral: t.neutral,
    successes: t.successes,
    failures: t.failures,
    successRate: Maturity.successRate(t),
    failureRate: AntiPattern.failureRatio(t),
    evidenceCount: t.count,
    firstSeenAt: r.first_seen_at,
    lastEvidenceAt: t.lastAt,
    validatedAt: r.validated_at,
    maturityChangedAt: r.maturity_changed_at,
    firstEstablishedAt: r.first_established_at,
    firstProvenAt: r.first_proven_at,
    antiPattern: antiPatternView(r, t, config)
  }
}

/** Strongest evidence first: weight × success rate, then observations, then name. */
export const byStrength = (
  a: Pick<PatternView, "name" | "weight" | "successRate" | "observations">,
  b: Pick<PatternView, "name" | "weight" | "successRate" | "observations">
): number => b.weight * b.successRate - a.weight * a.successRate || b.observations - a.observations || a.name.localeCompare(b.name)

export interface Decision {
  readonly events: ReadonlyArray<EventInput>
  readonly transition: { readonly from: Maturity.Maturity; readonly to: Maturity.Maturity } | null
  readonly inversion: string | null
}

/**
 * What the evidence calls for at `now`: a maturity transition if the computed maturity differs from
 * the last recorded one, and an inversion if the rule holds and the subject was never inverted.
 */
export const decide = (subject: Subject, now: number, config: LearningConfigShape): Decision => {
  const { kind, name, maturity: from, inverted_at } = subject.row
  const t = tallyOf(subject, now, config)
  const to = Maturity.of(t, config.maturity)
  const events: Array<EventInput> = []
  let transition: Decision["transition"] = null
  let inversion: string | null = null
  if (to !== from) {
    transition = { from, to }
    events.push(MaturityChanged.make({
      kind,
      name,
      from,
      to,
      observations: t.observations,
      helpful: t.helpful,
      harmful: t.harmful,
      successRate: Maturity.successRate(t)
    }))
  }
  if (AntiPattern.shouldInvert(name, t, inverted_at !== null, config.antiPattern)) {
    const failureRate = AntiPattern.failureRatio(t)
    inversion = AntiPattern.text(name, failureRate)
    events.push(PatternInverted.make({ kind, name, antiPattern: inversion, failureRate, observations: t.observations }))
  }
  return { events, transition, inversion }
}
