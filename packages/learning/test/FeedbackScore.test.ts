import { describe, expect, it } from "@effect/vitest"
import { FeedbackScore } from "@waggle/learning"

const MIN = 60_000
const score = (success: boolean, minutes: number, errorCount: number, retryCount: number) =>
  FeedbackScore.score({ success, durationMs: minutes * MIN, errorCount, retryCount })

describe("FeedbackScore (defaults: weights 0.6/0.15/0.15/0.1, fast 10 min, slow 60 min, 5 errors, 3 retries)", () => {
  it("worked example 1: a clean success in 20 minutes scores 0.97, helpful", () => {
    const s = score(true, 20, 0, 0)
    expect(s.components).toEqual({ success: 1, speed: 0.8, errors: 1, retries: 1 })
    expect(s.score).toBe(0.97)
    expect(s.signal).toBe("helpful")
  })

  it("worked example 2: a slow success (75 min) with 2 errors and 1 retry scores 0.756666667, helpful", () => {
    const s = score(true, 75, 2, 1)
    expect(s.components.speed).toBe(0)
    expect(s.components.errors).toBeCloseTo(0.6, 15)
    expect(s.components.retries).toBeCloseTo(2 / 3, 15)
    expect(s.score).toBe(0.756666667)
    expect(s.signal).toBe("helpful")
  })

  it("worked example 3: a success in 50 minutes with 4 errors and 3 retries scores 0.66, neutral", () => {
    const s = score(true, 50, 4, 3)
    expect(s.components.speed).toBeCloseTo(0.2, 15)
    expect(s.score).toBe(0.66)
    expect(s.signal).toBe("neutral")
  })

  it("worked example 4: the best possible failure scores exactly 0.4, harmful (the threshold is inclusive)", () => {
    const s = score(false, 5, 0, 0)
    expect(s.score).toBe(0.4)
    expect(s.signal).toBe("harmful")
  })

  it("worked example 5: a failure in 40 minutes with 3 errors and 2 retries scores 0.153333333, harmful", () => {
    expect(score(false, 40, 3, 2).score).toBe(0.153333333)
  })

  it("maps scores to signals at the thresholds: ≥ 0.7 helpful, ≤ 0.4 harmful, neutral between", () => {
    expect(FeedbackScore.signalOf(0.7)).toBe("helpful")
    expect(FeedbackScore.signalOf(0.699999999)).toBe("neutral")
    expect(FeedbackScore.signalOf(0.400000001)).toBe("neutral")
    expect(FeedbackScore.signalOf(0.4)).toBe("harmful")
    expect(FeedbackScore.signalOf(1)).toBe("helpful")
    expect(FeedbackScore.signalOf(0)).toBe("harmful")
  })

  it("speed is 1 up to fastMs, falls linearly, and is 0 from slowMs on", () => {
    const speed = (minutes: number) => score(true, minutes, 0, 0).components.speed
    expect(speed(0)).toBe(1)
    expect(speed(10)).toBe(1)
    expect(speed(35)).toBe(0.5)
    expect(speed(60)).toBe(0)
    expect(speed(600)).toBe(0)
  })

  it("errors and retries use up their budgets linearly and floor at 0", () => {
    expect(score(true, 0, 1, 0).components.errors).toBe(0.8)
    expect(score(true, 0, 5, 0).components.errors).toBe(0)
    expect(score(true, 0, 50, 0).components.errors).toBe(0)
    expect(score(true, 0, 0, 3).components.retries).toBe(0)
  })

  it("with the defaults every failure is harmful and every success scores at least 0.6", () => {
    for (const minutes of [0, 10, 30, 59, 61, 500]) {
      for (const errors of [0, 1, 3, 5, 9]) {
        for (const retries of [0, 1, 2, 3, 7]) {
          const f = score(false, minutes, errors, retries)
          expect(f.signal).toBe("harmful")
          expect(f.score).toBeGreaterThanOrEqual(0)
          const s = score(true, minutes, errors, retries)
          expect(s.score).toBeGreaterThanOrEqual(0.6)
          expect(s.score).toBeLessThanOrEqual(1)
        }
      }
    }
  })

  it("normalises weights by their sum", () => {
    const config = { ...FeedbackScore.defaults, weights: { success: 2, speed: 0, errors: 0, retries: 2 } }
    expect(FeedbackScore.score({ success: true, durationMs: 0, errorCount: 0, retryCount: 3 }, config).score).toBe(0.5)
    const successOnly = { ...FeedbackScore.defaults, weights: { success: 1, speed: 0, errors: 0, retries: 0 } }
    expect(FeedbackScore.score({ success: true, durationMs: 1e9, errorCount: 99, retryCount: 99 }, successOnly).score).toBe(1)
  })
})
