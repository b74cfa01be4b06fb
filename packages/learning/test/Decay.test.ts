import { describe, expect, it } from "@effect/vitest"
import { Decay } from "@waggle/learning"

const HL = Decay.halfLifeMs(90)
const days = (n: number) => n * Decay.DAY_MS

describe("Decay", () => {
  it("weighs evidence 1.0 now, 0.5 at 90 days, 0.25 at 180 days (default half-life)", () => {
    expect(Decay.DEFAULT_HALF_LIFE_DAYS).toBe(90)
    expect(Decay.factor(0, HL)).toBe(1)
    expect(Decay.factor(days(90), HL)).toBe(0.5)
    expect(Decay.factor(days(180), HL)).toBe(0.25)
    expect(Decay.factor(days(270), HL)).toBe(0.125)
    expect(Decay.factor(days(45), HL)).toBeCloseTo(Math.SQRT1_2, 15)
  })

  it("counts evidence from the future (clock skew) as fresh", () => {
    expect(Decay.factor(-days(3), HL)).toBe(1)
  })

  it("follows the configured half-life", () => {
    expect(Decay.factor(days(30), Decay.halfLifeMs(30))).toBe(0.5)
    expect(Decay.factor(days(30), Decay.halfLifeMs(15))).toBe(0.25)
  })

  it("ages validated evidence from the validation, not from when it was recorded", () => {
    expect(Decay.weight(0, days(180), HL)).toBe(0.25)
    expect(Decay.weight(0, days(180), HL, days(90))).toBe(0.5)
    expect(Decay.weight(0, days(180), HL, days(180))).toBe(1)
    // Evidence newer than the validation ages from its own time.
    expect(Decay.weight(days(170), days(170), HL, days(90))).toBe(1)
  })

  it("refuses a non-positive or non-finite half-life", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => Decay.factor(1, bad)).toThrow(RangeError)
    }
  })
})
