/**
 * The rule-based upsert decider. With s the best candidate's cosine similarity:
 * - the same words as a candidate (case, punctuation, spacing aside), or s ≥ `duplicate` → NOOP;
 * - s ≥ `refine`: if every word of the new text is already in the candidate → NOOP (it adds
 *   nothing), else → UPDATE that candidate (a refinement or correction: "4 GB" → "8 GB");
 * - otherwise → ADD.
 * Word sets here include stopwords, so "X is not needed" is not "already said" by "X is needed".
 */
import { Effect } from "effect"
import type { UpsertDecision, UpsertDeciderService, UpsertQuestion } from "../UpsertDecider.js"
import { wordsOf } from "./words.js"

export interface RuleThresholds {
  /** Similarity at or above which the new text is a near duplicate (default 0.95). */
  readonly duplicate: number
  /** Similarity at or above which the new text is about the same thing (default 0.6). */
  readonly refine: number
}

export const defaultThresholds: RuleThresholds = { duplicate: 0.95, refine: 0.6 }

const fmt = (s: number) => s.toFixed(2)

export const decideByRules = (question: UpsertQuestion, thresholds: RuleThresholds): UpsertDecision => {
  const words = wordsOf(question.information)
  const key = words.join(" ")
  const same = question.candidates.find((c) => wordsOf(c.memory.content).join(" ") === key)
  if (same !== undefined) return { action: "NOOP", target: same.memory.id, reason: `same text as ${same.memory.id}` }
  const best = question.candidates[0]
  if (best === undefined || best.similarity < thresholds.refine) {
    return { action: "ADD", reason: best === undefined ? "no similar memory" : `nothing close (best similarity ${fmt(best.similarity)})` }
  }
  const id = best.memory.id
  if (best.similarity >= thresholds.duplicate) {
    return { action: "NOOP", target: id, reason: `near duplicate of ${id} (similarity ${fmt(best.similarity)})` }
  }
  const known = new Set(wordsOf(best.memory.content))
  if (words.every((w) => known.has(w))) {
    return { action: "NOOP", target: id, reason: `${id} already says this (similarity ${fmt(best.similarity)})` }
  }
  return { action: "UPDATE", target: id, reason: `refines ${id} (similarity ${fmt(best.similarity)})` }
}

export const rulesDecider = (thresholds: Partial<RuleThresholds> = {}): UpsertDeciderService => {
  const t = { ...defaultThresholds, ...thresholds }
  return { name: "rules", decide: (question) => Effect.sync(() => decideByRules(question, t)) }
}
