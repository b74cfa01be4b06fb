/**
 * Implicit feedback: an outcome's success, speed, errors and retries combine into one score in
 * [0, 1], which becomes a helpful, neutral or harmful signal.
 *
 *   success = 1 if the task succeeded, else 0
 *   speed   = clamp01(1 − (durationMs − fastMs) / (slowMs − fastMs))   1 at ≤ fastMs, 0 at ≥ slowMs
 *   errors  = clamp01(1 − errorCount / errorBudget)
 *   retries = clamp01(1 − retryCount / retryBudget)
 *   score   = (wₛ·success + wₜ·speed + wₑ·errors + wᵣ·retries) / (wₛ + wₜ + wₑ + wᵣ)
 *   signal  = helpful if score ≥ helpfulAt, harmful if score ≤ harmfulAt, else neutral
 *
 * Defaults: weights success 0.6, speed 0.15, errors 0.15, retries 0.1; fastMs 10 min, slowMs 60 min,
 * errorBudget 5, retryBudget 3, helpfulAt 0.7, harmfulAt 0.4. With them a failure scores at most
 * 0.4 (always harmful) and a success at least 0.6 (helpful unless slow and error-ridden).
 * Scores are rounded to 9 decimals so that float noise never decides a threshold.
 */

export type Signal = "helpful" | "neutral" | "harmful"

export interface ScoreWeights {
  readonly success: number
  readonly speed: number
  readonly errors: number
  readonly retries: number
}

export interface ScoringConfig {
  readonly weights: ScoreWeights
  /** At or under this duration the speed component is 1. */
  readonly fastMs: number
  /** At or over this duration the speed component is 0. */
  readonly slowMs: number
  /** This many errors (or more) make the errors component 0. */
  readonly errorBudget: number
  /** This many retries (or more) make the retries component 0. */
  readonly retryBudget: number
  /** A score at or above this is a helpful signal. */
  readonly helpfulAt: number
  /** A score at or below this is a harmful signal. */
  readonly harmfulAt: number
}

export const defaults: ScoringConfig = {
  weights: { success: 0.6, speed: 0.15, errors: 0.15, retries: 0.1 },
  fastMs: 10 * 60_000,
  slowMs: 60 * 60_000,
  errorBudget: 5,
  retryBudget: 3,
  helpfulAt: 0.7,
  harmfulAt: 0.4
}

export interface ScoreInput {
  readonly success: boolean
  readonly durationMs: number
  readonly errorCount: number
  readonly retryCount: number
}

/** Each component in [0, 1]. */
export type Components = ScoreWeights

export interface Scored {
  readonly score: number
  readonly signal: Signal
  readonly components: Components
}

const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x)
const round9 = (x: number): number => Math.round(x * 1e9) / 1e9

export const components = (input: ScoreInput, config: ScoringConfig = defaults): Components => ({
  success: input.success ? 1 : 0,
  speed: clamp01(1 - (input.durationMs - config.fastMs) / (config.slowMs - config.fastMs)),
  errors: clamp01(1 - input.errorCount / config.errorBudget),
  retries: clamp01(1 - input.retryCount / config.retryBudget)
})

export const signalOf = (score: number, config: ScoringConfig = defaults): Signal =>
  score >= config.helpfulAt ? "helpful" : score <= config.harmfulAt ? "harmful" : "neutral"

export const score = (input: ScoreInput, config: ScoringConfig = defaults): Scored => {
  const c = components(input, config)
  const w = config.weights
  const total = w.success + w.speed + w.errors + w.retries
  const value = round9(
    clamp01((w.success * c.success + w.speed * c.speed + w.errors * c.errors + w.retries * c.retries) / total)
  )
  return { score: value, signal: signalOf(value, config), components: c }
}
