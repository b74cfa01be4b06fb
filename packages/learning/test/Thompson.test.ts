import { describe, expect, it } from "@effect/vitest"
import { Prng, Thompson } from "@waggle/learning"

const sample = <T>(n: number, f: () => T): Array<T> => Array.from({ length: n }, f)
const meanOf = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
const varianceOf = (xs: ReadonlyArray<number>) => {
  const m = meanOf(xs)
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)
}

describe("Prng", () => {
  it("is deterministic under a seed and differs between seeds", () => {
    const a = sample(5, Prng.make(42))
    expect(sample(5, Prng.make(42))).toEqual(a)
    expect(sample(5, Prng.make(43))).not.toEqual(a)
  })

  it("gives uniform numbers in [0, 1)", () => {
    const xs = sample(100_000, Prng.make(7))
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(meanOf(xs)).toBeCloseTo(0.5, 2)
    expect(varianceOf(xs)).toBeCloseTo(1 / 12, 3)
  })
})

describe("Thompson", () => {
  it("samples Gamma(k) with mean k and variance k (Marsaglia–Tsang, k < 1 by boosting)", () => {
    for (const k of [0.3, 1, 2.5, 10]) {
      const u = Prng.make(Math.round(k * 1000))
      const xs = sample(60_000, () => Thompson.gamma(u, k))
      expect(xs.every((x) => x >= 0)).toBe(true)
      expect(Math.abs(meanOf(xs) / k - 1)).toBeLessThan(0.02)
      expect(Math.abs(varianceOf(xs) / k - 1)).toBeLessThan(0.05)
    }
  })

  it("samples Beta(α, β) with mean α/(α+β) and variance αβ/((α+β)²(α+β+1))", () => {
    for (const [a, b] of [[1, 1], [2, 5], [30, 3], [0.5, 0.5]] as const) {
      const u = Prng.make(a * 100 + b)
      const xs = sample(60_000, () => Thompson.beta(u, a, b))
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true)
      // Within a few standard errors of 60k draws.
      expect(Math.abs(meanOf(xs) / (a / (a + b)) - 1)).toBeLessThan(0.01)
      expect(Math.abs(varianceOf(xs) / ((a * b) / ((a + b) ** 2 * (a + b + 1))) - 1)).toBeLessThan(0.03)
    }
    expect(Thompson.mean({ alpha: 3, beta: 1 })).toBe(0.75)
  })

  it("refuses non-positive shapes", () => {
    const u = Prng.make(1)
    expect(() => Thompson.gamma(u, 0)).toThrow(RangeError)
    expect(() => Thompson.beta(u, 1, -1)).toThrow(RangeError)
    expect(() => Thompson.choose(u, [])).toThrow(RangeError)
  })

  it("chooses the largest draw, reproducibly under a seed", () => {
    const arms = [{ name: "a", alpha: 2, beta: 2 }, { name: "b", alpha: 2, beta: 2 }, { name: "c", alpha: 2, beta: 2 }]
    const run = (seed: number) => {
      const u = Prng.make(seed)
      return sample(50, () => {
        const c = Thompson.choose(u, arms)
        const best = c.draws.reduce((x, y) => (y.sample > x.sample ? y : x))
        expect(c.chosen).toBe(best.name)
        return c.chosen
      })
    }
    const first = run(9)
    expect(run(9)).toEqual(first)
    expect(new Set(first).size).toBe(3) // equal posteriors: every arm gets chosen
  })

  it("almost always picks an arm with strong success evidence over one with strong failure evidence", () => {
    const u = Prng.make(3)
    const arms = [{ name: "bad", alpha: 2, beta: 40 }, { name: "good", alpha: 40, beta: 2 }]
    const picks = sample(1000, () => Thompson.choose(u, arms).chosen)
    expect(picks.filter((p) => p === "good").length).toBe(1000)
  })

  it("estimates each arm's probability of being the best", () => {
    const u = Prng.make(5)
    const equal = Thompson.probabilityBest(u, [{ name: "a", alpha: 1, beta: 1 }, { name: "b", alpha: 1, beta: 1 }], 20_000)
    expect(equal[0]! + equal[1]!).toBeCloseTo(1, 12)
    expect(equal[0]).toBeCloseTo(0.5, 1)
    const skewed = Thompson.probabilityBest(u, [{ name: "a", alpha: 9, beta: 1 }, { name: "b", alpha: 1, beta: 9 }], 2000)
    expect(skewed[0]).toBeGreaterThan(0.99)
  })
})
