/**
 * Pattern maturity, from decayed evidence (see `Evidence.tally`):
 *
 *   candidate    fewer than `minObservations` (3) decayed observations
 *   deprecated   harmful / observations > `deprecatedHarmfulRatio` (0.3)
 *   proven       helpful ≥ `provenMinHelpful` (5) and successes / observations > `provenMinSuccessRate` (0.8)
 *   established  otherwise
 *
 * checked in that order. Each state weighs a pattern in prompts by its multiplier: candidate 0.5,
 * established 1.0, proven 1.5, deprecated 0. Since evidence decays, a pattern that stops being
 * confirmed slides back (proven → established → candidate).
 */
import type { Tally } from "./Evidence.js"
import { above, atLeast } from "./Evidence.js"

export type Maturity = "candidate" | "established" | "proven" | "deprecated"

export const states: ReadonlyArray<Maturity> = ["candidate", "established", "proven", "deprecated"]

export interface MaturityConfig {
  readonly minObservations: number
  readonly provenMinHelpful: number
  readonly provenMinSuccessRate: number
  readonly deprecatedHarmfulRatio: number
  readonly multipliers: { readonly [M in Maturity]: number }
}

export const defaults: MaturityConfig = {
  minObservations: 3,
  provenMinHelpful: 5,
  provenMinSuccessRate: 0.8,
  deprecatedHarmfulRatio: 0.3,
  multipliers: { candidate: 0.5, established: 1.0, proven: 1.5, deprecated: 0 }
}

/** Decayed successes / decayed observations (0 without evidence). */
export const successRate = (t: Tally): number => (t.observations > 0 ? t.successes / t.observations : 0)

/** Decayed harmful / decayed observations (0 without evidence). */
export const harmfulRatio = (t: Tally): number => (t.observations > 0 ? t.harmful / t.observations : 0)

export const of = (t: Tally, config: MaturityConfig = defaults): Maturity => {
  if (!atLeast(t.observations, config.minObservations)) return "candidate"
  if (above(harmfulRatio(t), config.deprecatedHarmfulRatio)) return "deprecated"
  if (atLeast(t.helpful, config.provenMinHelpful) && above(successRate(t), config.provenMinSuccessRate)) return "proven"
  return "established"
}

export const multiplier = (m: Maturity, config: MaturityConfig = defaults): number => config.multipliers[m]
