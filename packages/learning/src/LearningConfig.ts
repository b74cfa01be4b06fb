/**
 * The learning configuration: decay, scoring, maturity, inversion and sampling parameters, with
 * documented defaults. `LearningConfig.layer(partial)` merges a (deep) partial over the defaults
 * and validates the result; an invalid configuration (a non-positive half-life, helpful below
 * harmful, ...) fails with `InvalidConfig` naming every bad field.
 */
import { Context, Effect, Either, Layer, Schema } from "effect"
import { syncDecoderFor } from "@waggle/primitives"
import * as AntiPattern from "./AntiPattern.js"
import * as Decay from "./Decay.js"
import * as FeedbackScore from "./FeedbackScore.js"
import { InvalidConfig } from "./LearningErrors.js"
import * as Maturity from "./Maturity.js"

export interface ThompsonConfig {
  /** Prior successes of every arm: posterior Beta(priorAlpha + successes, priorBeta + failures). */
  readonly priorAlpha: number
  readonly priorBeta: number
  /**
   * Warm-up: a strategy with fewer decayed observations than this is tried before Thompson sampling
   * judges the others, so that no strategy is dismissed (or flagged) on no evidence. 0 disables it.
   */
  readonly warmupTrials: number
  /** Extra prior successes for a strategy whose keywords occur in the task. */
  readonly keywordBoost: number
  /** Joint draws used to estimate each strategy's probability of being the best (the confidence). */
  readonly confidenceDraws: number
}

export interface InsightsConfig {
  readonly maxPatterns: number
  readonly maxRules: number
  readonly precedentLimit: number
}

export interface LearningConfigShape {
  /** Evidence half-life in days (default 90). */
  readonly halfLifeDays: number
  /** Evidence older than this many half-lives (weight < 2⁻ⁿ) is not read at all (default 20). */
  readonly horizonHalfLives: number
  readonly scoring: FeedbackScore.ScoringConfig
  readonly maturity: Maturity.MaturityConfig
  readonly antiPattern: AntiPattern.AntiPatternConfig
  readonly thompson: ThompsonConfig
  readonly insights: InsightsConfig
}

export type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }
export type LearningConfigInput = DeepPartial<LearningConfigShape>

export const defaults: LearningConfigShape = {
  halfLifeDays: Decay.DEFAULT_HALF_LIFE_DAYS,
  horizonHalfLives: 20,
  scoring: FeedbackScore.defaults,
  maturity: Maturity.defaults,
  antiPattern: AntiPattern.defaults,
  thompson: { priorAlpha: 1, priorBeta: 1, warmupTrials: 3, keywordBoost: 1, confidenceDraws: 200 },
  insights: { maxPatterns: 10, maxRules: 10, precedentLimit: 5 }
}

const Finite = Schema.Number.pipe(Schema.finite())
const Positive = Finite.pipe(Schema.positive())
const NonNegative = Finite.pipe(Schema.nonNegative())
const Fraction = Finite.pipe(Schema.between(0, 1))
const Count = Schema.Int.pipe(Schema.nonNegative())

const Weights = Schema.Struct({ success: NonNegative, speed: NonNegative, errors: NonNegative, retries: NonNegative }).pipe(
  Schema.filter((w) => w.success + w.speed + w.errors + w.retries > 0 || "at least one weight must be positive")
)

const Scoring = Schema.Struct({
  weights: Weights,
  fastMs: NonNegative,
  slowMs: Positive,
  errorBudget: Positive,
  retryBudget: Positive,
  helpfulAt: Fraction,
  harmfulAt: Fraction
}).pipe(
  Schema.filter((s) => s.fastMs < s.slowMs || { path: ["slowMs"], message: "slowMs must be greater than fastMs" }),
  Schema.filter((s) => s.harmfulAt < s.helpfulAt || { path: ["harmfulAt"], message: "harmfulAt must be below helpfulAt" })
)

const MaturitySchema = Schema.Struct({
  minObservations: Positive,
  provenMinHelpful: Positive,
  provenMinSuccessRate: Fraction,
  deprecatedHarmfulRatio: Fraction,
  multipliers: Schema.Struct({ candidate: NonNegative, established: NonNegative, proven: NonNegative, deprecated: NonNegative })
})

const ConfigSchema = Schema.Struct({
  halfLifeDays: Positive,
  horizonHalfLives: Finite.pipe(Schema.greaterThanOrEqualTo(1)),
  scoring: Scoring,
  maturity: MaturitySchema,
  antiPattern: Schema.Struct({ minObservations: Positive, failureRatio: Fraction }),
  thompson: Schema.Struct({
    priorAlpha: Positive,
    priorBeta: Positive,
    warmupTrials: NonNegative,
    keywordBoost: NonNegative,
    confidenceDraws: Count.pipe(Schema.lessThanOrEqualTo(100_000))
  }),
  insights: Schema.Struct({
    maxPatterns: Count.pipe(Schema.lessThanOrEqualTo(1000)),
    maxRules: Count.pipe(Schema.lessThanOrEqualTo(1000)),
    precedentLimit: Count.pipe(Schema.lessThanOrEqualTo(100))
  })
})

const decode = syncDecoderFor(ConfigSchema, "LearningConfig")

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x)

const merge = (base: unknown, patch: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v)
  return out
}

/** The defaults with `input` merged over them, validated. Unknown keys are errors (typos do not pass silently). */
export const make = (input: LearningConfigInput = {}): Either.Either<LearningConfigShape, InvalidConfig> =>
  Either.mapLeft(decode(merge(defaults, input)), (e) => new InvalidConfig({ issues: e.issues }))

/** The half-life in milliseconds. */
export const halfLifeMs = (config: LearningConfigShape): number => Decay.halfLifeMs(config.halfLifeDays)

export class LearningConfig extends Context.Tag("@waggle/learning/LearningConfig")<LearningConfig, LearningConfigShape>() {
  /** The documented defaults (see the README). */
  static readonly defaults: LearningConfigShape = defaults

  /** The defaults with `input` merged over them, validated (no layer). */
  static readonly make = make

  /** A layer with the documented defaults. */
  static readonly default: Layer.Layer<LearningConfig> = Layer.succeed(LearningConfig, defaults)

  /** The defaults with `input` merged over them; fails with `InvalidConfig` if the result is invalid. */
  static readonly layer = (input: LearningConfigInput = {}): Layer.Layer<LearningConfig, InvalidConfig> =>
    Layer.effect(LearningConfig, Effect.suspend(() => make(input)))
}
