/**
 * Thompson sampling over Beta posteriors. Each arm (a strategy, a skill) has a posterior
 * Beta(α, β) = Beta(prior α + decayed successes, prior β + decayed failures); every choice draws
 * one sample from each posterior and takes the largest. Arms with little evidence have wide
 * posteriors and still win now and then (exploration); arms that keep failing almost never do.
 *
 * Beta(α, β) = X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β); Gamma by Marsaglia–Tsang (2000):
 * for shape k ≥ 1, d = k − 1/3, c = 1/√(9d), draw x ~ N(0, 1), v = (1 + c·x)³ until v > 0, and
 * accept d·v when ln U < x²/2 + d − d·v + d·ln v (with the cheap squeeze U < 1 − 0.0331·x⁴
 * first); for k < 1, Gamma(k) = Gamma(k + 1) · U^(1/k). Normals by Box–Muller. Every draw comes
 * from the `Uniform` passed in, so a seeded `Prng` makes every choice reproducible.
 */
import type { Uniform } from "./Prng.js"

export interface Arm {
  readonly name: string
  readonly alpha: number
  readonly beta: number
}

export interface Draw {
  readonly name: string
  readonly sample: number
}

export interface Choice {
  readonly chosen: string
  /** One sample per arm, in the arms' order. */
  readonly draws: ReadonlyArray<Draw>
}

/** A uniform in (0, 1]: safe for logarithms and negative powers. */
const open = (u: Uniform): number => 1 - u()

/** A standard normal sample (Box–Muller). */
export const normal = (u: Uniform): number => Math.sqrt(-2 * Math.log(open(u))) * Math.cos(2 * Math.PI * u())

const checkShape = (name: string, x: number) => {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`${name} must be a positive finite number, got ${x}`)
}

/** A Gamma(shape, 1) sample (Marsaglia–Tsang). */
export const gamma = (u: Uniform, shape: number): number => {
  checkShape("gamma shape", shape)
  if (shape < 1) return gamma(u, shape + 1) * Math.pow(open(u), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(u)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const w = open(u)
    if (w < 1 - 0.0331 * x * x * x * x) return d * v
    if (Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

/** A Beta(alpha, beta) sample. */
export const beta = (u: Uniform, alpha: number, betaShape: number): number => {
  checkShape("alpha", alpha)
  checkShape("beta", betaShape)
  const x = gamma(u, alpha)
  const y = gamma(u, betaShape)
  const sum = x + y
  // Both can underflow to 0 for tiny shapes; the mean is the sensible answer then.
  return sum > 0 ? x / sum : alpha / (alpha + betaShape)
}

/** The posterior mean α / (α + β). */
export const mean = (arm: Pick<Arm, "alpha" | "beta">): number => arm.alpha / (arm.alpha + arm.beta)

/** Draws once from each arm and picks the largest sample (the first arm on a tie). */
export const choose = (u: Uniform, arms: ReadonlyArray<Arm>): Choice => {
  if (arms.length === 0) throw new RangeError("Thompson.choose needs at least one arm")
  const draws = arms.map((arm) => ({ name: arm.name, sample: beta(u, arm.alpha, arm.beta) }))
  let best = draws[0]!
  for (const d of draws) if (d.sample > best.sample) best = d
  return { chosen: best.name, draws }
}

/**
 * The probability that each arm is the best, estimated from `rounds` joint draws (each arm's share
 * of wins). Returned in the arms' order; sums to 1.
 */
export const probabilityBest = (u: Uniform, arms: ReadonlyArray<Arm>, rounds: number): ReadonlyArray<number> => {
  const wins = arms.map(() => 0)
  if (arms.length === 0 || rounds <= 0) return wins
  for (let r = 0; r < rounds; r++) {
    let best = 0
    let bestSample = -1
    for (let i = 0; i < arms.length; i++) {
      const s = beta(u, arms[i]!.alpha, arms[i]!.beta)
      if (s > bestSample) {
        bestSample = s
        best = i
      }
    }
    wins[best] = wins[best]! + 1
  }
  return wins.map((w) => w / rounds)
}
