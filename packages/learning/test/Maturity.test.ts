import { describe, expect, it } from "@effect/vitest"
import { Decay, Evidence, Maturity } from "@waggle/learning"
import type { Evidence as E } from "@waggle/learning"

const HL = Decay.halfLifeMs(90)
const DAY = Decay.DAY_MS
const now = 0
const tally = (...groups: Array<ReadonlyArray<E.Observation>>) => Evidence.tally(groups.flat(), now, HL)
const helpful = (n: number, at = 0) => Evidence.repeat(n, "helpful", true, at)
const harmful = (n: number, at = 0) => Evidence.repeat(n, "harmful", false, at)
const neutralFailure = (n: number) => Evidence.repeat(n, "neutral", false)

describe("Maturity (defaults: 3 observations, proven at 5 helpful and success > 0.8, deprecated at harmful > 0.3)", () => {
  it("a pattern is a candidate until 3 decayed observations", () => {
    expect(Maturity.of(tally([]))).toBe("candidate")
    expect(Maturity.of(tally(helpful(2)))).toBe("candidate")
    expect(Maturity.of(tally(helpful(3)))).toBe("established")
    // Three observations, one of them a day old: 2.992 decayed observations.
    const t = Evidence.tally([...helpful(2, 0), ...helpful(1, -DAY)], now, HL)
    expect(t.observations).toBeLessThan(3)
    expect(Maturity.of(t)).toBe("candidate")
  })

  it("candidate takes precedence: 2 harmful observations are not deprecated yet", () => {
    expect(Maturity.of(tally(harmful(2)))).toBe("candidate")
  })

  it("deprecated when harmful exceeds 30% of the observations (exactly 30% is not)", () => {
    expect(Maturity.of(tally(helpful(7), harmful(3)))).toBe("established")
    expect(Maturity.of(tally(helpful(9), harmful(4)))).toBe("deprecated")
    expect(Maturity.of(tally(helpful(1), harmful(2)))).toBe("deprecated")
  })

  it("proven at 5 or more helpful with a success rate above 0.8 (4 helpful, or exactly 0.8, is established)", () => {
    expect(Maturity.of(tally(helpful(5)))).toBe("proven")
    expect(Maturity.of(tally(helpful(4)))).toBe("established")
    expect(Maturity.of(tally(helpful(8), neutralFailure(2)))).toBe("established") // success rate exactly 0.8
    expect(Maturity.of(tally(helpful(9), neutralFailure(2)))).toBe("proven") // 9/11 = 0.818
    expect(Maturity.of(tally(helpful(5), neutralFailure(1)))).toBe("proven") // 5/6 = 0.833
  })

  it("deprecation is checked before promotion", () => {
    // Successful but harmful (e.g. very slow) outcomes: success rate 1, harmful 4/11 > 0.3.
    const t = tally(helpful(7), Evidence.repeat(4, "harmful", true))
    expect(Maturity.successRate(t)).toBe(1)
    expect(Maturity.of(t)).toBe("deprecated")
  })

  it("aged evidence lowers maturity: proven now, established after 30 days, candidate after 90", () => {
    const evidence = helpful(5, 0)
    expect(Maturity.of(Evidence.tally(evidence, 0, HL))).toBe("proven")
    const month = Evidence.tally(evidence, 30 * DAY, HL)
    expect(month.helpful).toBeCloseTo(5 * Math.pow(0.5, 1 / 3), 12)
    expect(Maturity.of(month)).toBe("established")
    const quarter = Evidence.tally(evidence, 90 * DAY, HL)
    expect(quarter.observations).toBe(2.5)
    expect(Maturity.of(quarter)).toBe("candidate")
    // Validation resets the clock: the same evidence is proven again.
    expect(Maturity.of(Evidence.tally(evidence, 90 * DAY, HL, 90 * DAY))).toBe("proven")
  })

  it("weighs patterns by maturity: candidate 0.5, established 1.0, proven 1.5, deprecated 0", () => {
    expect(Maturity.states.map((m) => Maturity.multiplier(m))).toEqual([0.5, 1, 1.5, 0])
  })

  it("follows a custom configuration", () => {
    const config = { ...Maturity.defaults, minObservations: 1, provenMinHelpful: 2 }
    expect(Maturity.of(tally(helpful(1)), config)).toBe("established")
    expect(Maturity.of(tally(helpful(2)), config)).toBe("proven")
  })
})
