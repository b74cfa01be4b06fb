/**
 * Evidence about a subject (a pattern, a strategy, a rule, a skill): one observation per outcome,
 * reinforcement or use, and the decayed tallies that maturity, inversion and Thompson sampling read.
 *
 * Tallies are computed when read, from the stored timestamps and the clock at that moment: the
 * stored rows never change as time passes, so a projection rebuild reproduces them exactly.
 */
import * as Decay from "./Decay.js"
import type { Signal } from "./FeedbackScore.js"

export interface Observation {
  /** When the evidence was recorded (ms since the epoch). */
  readonly at: number
  readonly signal: Signal
  readonly success: boolean
}

/** Decayed sums of evidence; `count` is the raw number of observations. */
export interface Tally {
  readonly helpful: number
  readonly harmful: number
  readonly neutral: number
  readonly successes: number
  readonly failures: number
  /** helpful + harmful + neutral = successes + failures. */
  readonly observations: number
  readonly count: number
  /** The latest observation time, or null without evidence. */
  readonly lastAt: number | null
}

export const empty: Tally = {
  helpful: 0,
  harmful: 0,
  neutral: 0,
  successes: 0,
  failures: 0,
  observations: 0,
  count: 0,
  lastAt: null
}

/** Tallies `observations` as of `now`; `resetAt` is the subject's last validation (null if none). */
export const tally = (
  observations: Iterable<Observation>,
  now: number,
  halfLifeMs: number,
  resetAt: number | null = null
): Tally => {
  let helpful = 0
  let harmful = 0
  let neutral = 0
  let successes = 0
  let failures = 0
  let count = 0
  let lastAt: number | null = null
  for (const o of observations) {
    const w = Decay.weight(o.at, now, halfLifeMs, resetAt)
    if (o.signal === "helpful") helpful += w
    else if (o.signal === "harmful") harmful += w
    else neutral += w
    if (o.success) successes += w
    else failures += w
    count++
    if (lastAt === null || o.at > lastAt) lastAt = o.at
  }
  return { helpful, harmful, neutral, successes, failures, observations: successes + failures, count, lastAt }
}

/** Fresh evidence without decay, for examples and tests: `n` observations of one kind at time 0. */
export const repeat = (n: number, signal: Signal, success: boolean, at = 0): ReadonlyArray<Observation> =>
  Array.from({ length: n }, () => ({ at, signal, success }))

/** Comparisons against thresholds tolerate this much float noise in decayed sums. */
export const EPSILON = 1e-9

/** `value ≥ threshold`, tolerating float noise. */
export const atLeast = (value: number, threshold: number): boolean => value >= threshold - EPSILON

/** `value > threshold`, tolerating float noise (a value within EPSILON counts as equal). */
export const above = (value: number, threshold: number): boolean => value > threshold + EPSILON
