/**
 * The learning events. Payloads describe what is stored; the services check their inputs with the
 * stricter input schemas first. Every decayed quantity is computed when read, so no payload holds a
 * value that depends on when it is replayed; `learning_maturity_changed` carries the tallies of the
 * moment it was decided, as a record of why.
 */
import { Schema } from "effect"
import { Event } from "@waggle/primitives"

export const Signal = Schema.Literal("helpful", "neutral", "harmful")
export const SubjectKind = Schema.Literal("pattern", "strategy")
export type SubjectKind = typeof SubjectKind.Type
export const MaturityState = Schema.Literal("candidate", "established", "proven", "deprecated")

export const Criterion = Schema.Struct({ criterion: Schema.String, met: Schema.Boolean })

/** One finished cell (task) and how it went; evidence for its strategy and each of its patterns. */
export const OutcomeRecorded = Event.define("learning_outcome_recorded", {
  cellId: Schema.String,
  epicId: Schema.NullOr(Schema.String),
  task: Schema.NullOr(Schema.String),
  strategy: Schema.NullOr(Schema.String),
  patterns: Schema.Array(Schema.String),
  durationMs: Schema.Number,
  success: Schema.Boolean,
  errorCount: Schema.Number,
  retryCount: Schema.Number,
  filesTouched: Schema.Array(Schema.String),
  failureMode: Schema.NullOr(Schema.String),
  criteria: Schema.NullOr(Schema.Array(Criterion)),
  score: Schema.Number,
  signal: Signal,
  components: Schema.Struct({ success: Schema.Number, speed: Schema.Number, errors: Schema.Number, retries: Schema.Number })
})

/** A recorded outcome (or a validation) moved a pattern or strategy to another maturity. */
export const MaturityChanged = Event.define("learning_maturity_changed", {
  kind: SubjectKind,
  name: Schema.String,
  from: MaturityState,
  to: MaturityState,
  observations: Schema.Number,
  helpful: Schema.Number,
  harmful: Schema.Number,
  successRate: Schema.Number
})

/** A pattern or strategy failed often enough to become an anti-pattern (once per subject). */
export const PatternInverted = Event.define("learning_pattern_inverted", {
  kind: SubjectKind,
  name: Schema.String,
  antiPattern: Schema.String,
  failureRate: Schema.Number,
  observations: Schema.Number
})

/** Someone confirmed a pattern still holds: its evidence ages from now on. */
export const PatternValidated = Event.define("learning_pattern_validated", {
  kind: SubjectKind,
  name: Schema.String
})

export const StrategyRegistered = Event.define("learning_strategy_registered", {
  name: Schema.String,
  description: Schema.String,
  keywords: Schema.Array(Schema.String)
})

export const RuleAdded = Event.define("playbook_rule_added", {
  id: Schema.String,
  text: Schema.String,
  source: Schema.NullOr(Schema.String)
})
export const RuleReinforced = Event.define("playbook_rule_reinforced", { id: Schema.String, note: Schema.NullOr(Schema.String) })
export const RuleContradicted = Event.define("playbook_rule_contradicted", { id: Schema.String, note: Schema.NullOr(Schema.String) })
export const RuleRetired = Event.define("playbook_rule_retired", { id: Schema.String, reason: Schema.NullOr(Schema.String) })

export const SkillAdded = Event.define("skill_added", {
  name: Schema.String,
  description: Schema.String,
  template: Schema.String,
  tags: Schema.Array(Schema.String)
})
export const SkillUsed = Event.define("skill_used", { name: Schema.String, success: Schema.Boolean })

export const cellStream = (cellId: string): string => `learning:cell:${cellId}`
export const subjectStream = (kind: SubjectKind, name: string): string => `learning:${kind}:${name}`
export const strategyStream = (name: string): string => `learning:strategy-registry:${name}`
export const ruleStream = (id: string): string => `playbook:rule:${id}`
export const skillStream = (name: string): string => `skills:${name}`
