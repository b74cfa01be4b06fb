import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { LearningConfig } from "@waggle/learning"

const makeConfig = LearningConfig.make
const defaults = LearningConfig.defaults

const issues = (input: Parameters<typeof makeConfig>[0]) => {
  const result = makeConfig(input)
  if (Either.isRight(result)) throw new Error("expected an invalid configuration")
  expect(result.left._tag).toBe("InvalidConfig")
  return result.left.issues.map((i) => i.path)
}

describe("LearningConfig", () => {
  it("has the documented defaults", () => {
    expect(defaults.halfLifeDays).toBe(90)
    expect(defaults.scoring).toMatchObject({ helpfulAt: 0.7, harmfulAt: 0.4 })
    expect(defaults.maturity).toMatchObject({
      minObservations: 3,
      provenMinHelpful: 5,
      provenMinSuccessRate: 0.8,
      deprecatedHarmfulRatio: 0.3,
      multipliers: { candidate: 0.5, established: 1, proven: 1.5, deprecated: 0 }
    })
    expect(defaults.antiPattern).toEqual({ minObservations: 3, failureRatio: 0.6 })
    expect(makeConfig()).toEqual(Either.right(defaults))
  })

  it("merges a deep partial over the defaults", () => {
    const config = Either.getOrThrow(makeConfig({ halfLifeDays: 30, scoring: { weights: { success: 1 } } }))
    expect(config.halfLifeDays).toBe(30)
    expect(config.scoring.weights).toEqual({ ...defaults.scoring.weights, success: 1 })
    expect(config.maturity).toEqual(defaults.maturity)
  })

  it("rejects a non-positive half-life with a typed error naming the field", () => {
    expect(issues({ halfLifeDays: 0 })).toEqual(["halfLifeDays"])
    expect(issues({ halfLifeDays: -90 })).toEqual(["halfLifeDays"])
    expect(issues({ halfLifeDays: Number.NaN })).toEqual(["halfLifeDays"])
  })

  it("rejects thresholds out of order, negative weights, and unknown keys", () => {
    expect(issues({ scoring: { helpfulAt: 0.3 } })).toEqual(["scoring.harmfulAt"])
    expect(issues({ scoring: { fastMs: 10, slowMs: 5 } })).toEqual(["scoring.slowMs"])
    expect(issues({ scoring: { weights: { speed: -1 } } })).toEqual(["scoring.weights.speed"])
    expect(issues({ scoring: { weights: { success: 0, speed: 0, errors: 0, retries: 0 } } })).toEqual(["scoring.weights"])
    expect(issues({ antiPattern: { failureRatio: 1.5 } })).toEqual(["antiPattern.failureRatio"])
    expect(issues({ halfLifeDay: 90 } as never)).toEqual(["halfLifeDay"])
  })

  it.effect("the layer fails with InvalidConfig", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(LearningConfig, LearningConfig.layer({ halfLifeDays: 0 })))
      expect(error._tag).toBe("InvalidConfig")
      const ok = yield* Effect.provide(LearningConfig, LearningConfig.layer({ thompson: { warmupTrials: 0 } }))
      expect(ok.thompson.warmupTrials).toBe(0)
    }))
})
