/**
 * Playbook rules: learned behavioural rules ("run the type checker before committing") with
 * confidence, maturity and evidence. Each reinforcement is a helpful observation, each
 * contradiction a harmful one; both decay like all evidence.
 *
 *   confidence = (priorAlpha + R) / (priorAlpha + priorBeta + R + C)
 *
 * with R and C the decayed reinforcements and contradictions (Beta posterior mean; 0.5 for a new
 * rule with the default Beta(1, 1) prior). Maturity follows `Maturity.of` on the same evidence.
 */
import { Schema } from "effect"
import { BoundedText, Name } from "@waggle/primitives"
import { createHash } from "node:crypto"
import type { Maturity } from "./Maturity.js"

export interface RuleView {
  /** `rule-` and 12 hex digits of the SHA-256 of the normalised text: one rule per text. */
  readonly id: string
  readonly text: string
  readonly source: string | null
  readonly status: "active" | "retired"
  readonly confidence: number
  readonly maturity: Maturity
  readonly weight: number
  /** Raw number of reinforcements and contradictions. */
  readonly evidence: number
  readonly reinforcements: number
  readonly contradictions: number
  /** Decayed reinforcements and contradictions. */
  readonly decayedReinforcements: number
  readonly decayedContradictions: number
  readonly addedAt: number
  readonly retiredAt: number | null
  readonly retireReason: string | null
  readonly lastEvidenceAt: number | null
}

export const RuleId = BoundedText(64)

export const AddRuleInput = Schema.Struct({
  text: Name(2000),
  source: Schema.optional(BoundedText(2000))
})
export type AddRuleInput = typeof AddRuleInput.Encoded

export const RuleEvidenceInput = Schema.Struct({ id: RuleId, note: Schema.optional(BoundedText(2000)) })
export type RuleEvidenceInput = typeof RuleEvidenceInput.Encoded

export const RetireRuleInput = Schema.Struct({ id: RuleId, reason: Schema.optional(BoundedText(2000)) })
export type RetireRuleInput = typeof RetireRuleInput.Encoded

export const ListRulesInput = Schema.Struct({
  status: Schema.optional(Schema.Literal("active", "retired", "all")),
  minConfidence: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000)))
})
export type ListRulesInput = typeof ListRulesInput.Encoded

/** Lower case, whitespace collapsed: two texts that differ only so are the same rule. */
export const normaliseRuleText = (text: string): string => text.trim().replace(/\s+/g, " ").toLowerCase()

export const ruleIdOf = (text: string): string =>
  `rule-${createHash("sha256").update(normaliseRuleText(text)).digest("hex").slice(0, 12)}`
