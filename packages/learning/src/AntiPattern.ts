/**
 * Anti-pattern inversion: a pattern (or strategy) with at least `minObservations` (3) decayed
 * observations and a decayed failure ratio of at least `failureRatio` (0.6) becomes
 *
 *   "AVOID: <pattern> (N% failure rate)"
 *
 * The comparison is inclusive: 2 successes + 3 failures (60%) inverts, 3 + 2 (40%) does not, and
 * 0 + 2 does not (too few observations). A pattern is inverted at most once, and text that is
 * already an anti-pattern is never inverted again; the anti-pattern keeps its original linked.
 */
import type { Tally } from "./Evidence.js"
import { atLeast } from "./Evidence.js"

export interface AntiPatternConfig {
  readonly minObservations: number
  readonly failureRatio: number
}

export const defaults: AntiPatternConfig = { minObservations: 3, failureRatio: 0.6 }

export const PREFIX = "AVOID:"

/** Decayed failures / decayed observations (0 without evidence). */
export const failureRatio = (t: Tally): number => (t.observations > 0 ? t.failures / t.observations : 0)

/** Whether the evidence meets the inversion rule (enough observations, failure ratio at the threshold or above). */
export const meetsRule = (t: Tally, config: AntiPatternConfig = defaults): boolean =>
  atLeast(t.observations, config.minObservations) && atLeast(failureRatio(t), config.failureRatio)

/** Whether `name` is already an anti-pattern's text. */
export const isAntiPattern = (name: string): boolean => name.trimStart().startsWith(PREFIX)

/** Whether a pattern should be inverted now: the rule holds, it is not inverted yet, and it is no anti-pattern itself. */
export const shouldInvert = (
  name: string,
  t: Tally,
  alreadyInverted: boolean,
  config: AntiPatternConfig = defaults
): boolean => !alreadyInverted && !isAntiPattern(name) && meetsRule(t, config)

/** The anti-pattern's text: `AVOID: <name> (N% failure rate)`, N rounded to a whole percent. */
export const text = (name: string, ratio: number): string => `${PREFIX} ${name} (${Math.round(ratio * 100)}% failure rate)`
