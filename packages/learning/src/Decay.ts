/**
 * Confidence decay: every piece of evidence loses half its weight per half-life (90 days by
 * default), so what was learned must keep proving itself.
 *
 *   weight(age) = 0.5 ^ (age / halfLife)      (age ≤ 0 → 1)
 *
 * 1.0 now, 0.5 after one half-life, 0.25 after two. Validating a pattern resets its clock: its
 * evidence then ages from the validation time instead of the time it was recorded.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000

/** The default half-life: 90 days. */
export const DEFAULT_HALF_LIFE_DAYS = 90

/** A half-life in days as milliseconds. */
export const halfLifeMs = (days: number): number => days * DAY_MS

/**
 * The weight of evidence `ageMs` old. Evidence from the future (clock skew between processes)
 * counts as fresh. A non-positive or non-finite half-life is a bug here: `LearningConfig` refuses
 * it with a typed error before it can reach this function.
 */
export const factor = (ageMs: number, halfLifeMs: number): number => {
  if (!(halfLifeMs > 0) || !Number.isFinite(halfLifeMs)) {
    throw new RangeError(`half-life must be a positive finite number of milliseconds, got ${halfLifeMs}`)
  }
  return ageMs <= 0 ? 1 : Math.pow(0.5, ageMs / halfLifeMs)
}

/**
 * The weight at `now` of evidence recorded at `at` for a subject whose clock was last reset at
 * `resetAt` (a validation; `null` if never): it ages from whichever is later.
 */
export const weight = (at: number, now: number, halfLifeMs: number, resetAt: number | null = null): number =>
  factor(now - (resetAt === null ? at : Math.max(at, resetAt)), halfLifeMs)
