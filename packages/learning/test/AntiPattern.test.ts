import { describe, expect, it } from "@effect/vitest"
import { AntiPattern, Decay, Evidence } from "@waggle/learning"

const HL = Decay.halfLifeMs(90)
const DAY = Decay.DAY_MS
const outcomes = (successes: number, failures: number, now = 0) =>
  Evidence.tally(
    [...Evidence.repeat(successes, "helpful", true), ...Evidence.repeat(failures, "harmful", false)],
    now,
    HL
  )

describe("AntiPattern (defaults: at least 3 observations, failure ratio at least 60%)", () => {
  it("2 successes + 3 failures inverts (exactly 60%)", () => {
    const t = outcomes(2, 3)
    expect(AntiPattern.failureRatio(t)).toBe(0.6)
    expect(AntiPattern.shouldInvert("one giant PR", t, false)).toBe(true)
    expect(AntiPattern.text("one giant PR", AntiPattern.failureRatio(t))).toBe("AVOID: one giant PR (60% failure rate)")
  })

  it("3 successes + 2 failures does not invert", () => {
    expect(AntiPattern.shouldInvert("p", outcomes(3, 2), false)).toBe(false)
  })

  it("0 successes + 2 failures does not invert: too few observations", () => {
    expect(AntiPattern.shouldInvert("p", outcomes(0, 2), false)).toBe(false)
    expect(AntiPattern.shouldInvert("p", outcomes(0, 3), false)).toBe(true)
    expect(AntiPattern.shouldInvert("p", outcomes(1, 2), false)).toBe(true)
  })

  it("is never inverted twice, and an anti-pattern's text is never inverted itself", () => {
    expect(AntiPattern.shouldInvert("p", outcomes(0, 5), true)).toBe(false)
    const text = AntiPattern.text("p", 1)
    expect(text).toBe("AVOID: p (100% failure rate)")
    expect(AntiPattern.isAntiPattern(text)).toBe(true)
    expect(AntiPattern.shouldInvert(text, outcomes(0, 5), false)).toBe(false)
  })

  it("reads decayed evidence: old failures weigh less than fresh successes", () => {
    // Three failures 90 days ago (1.5) and two fresh successes (2): 43% failure, no inversion.
    const old = Evidence.tally(
      [...Evidence.repeat(3, "harmful", false, 0), ...Evidence.repeat(2, "helpful", true, 90 * DAY)],
      90 * DAY,
      HL
    )
    expect(old.observations).toBe(3.5)
    expect(AntiPattern.shouldInvert("p", old, false)).toBe(false)
    // The other way round: two old successes (1) and three fresh failures (3): 75%, inverted.
    const fresh = Evidence.tally(
      [...Evidence.repeat(2, "helpful", true, 0), ...Evidence.repeat(3, "harmful", false, 90 * DAY)],
      90 * DAY,
      HL
    )
    expect(AntiPattern.failureRatio(fresh)).toBe(0.75)
    expect(AntiPattern.shouldInvert("p", fresh, false)).toBe(true)
  })

  it("rounds the failure rate in the text to a whole percent", () => {
    expect(AntiPattern.text("x", 2 / 3)).toBe("AVOID: x (67% failure rate)")
  })
})
