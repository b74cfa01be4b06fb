/**
 * The strategy simulation, through the public API on a real database. It runs on the embedded
 * native backend only: 500 tasks (1000 service calls) take a few seconds per run, and everything
 * it exercises is covered on every backend by the contract suites (Learning.test.ts).
 *
 * Deterministic: seeded world, seeded Thompson sampling, TestClock (one hour per task).
 * `pnpm --filter @waggle/learning bench` runs the same simulation over many seeds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { embeddedNative } from "@waggle/test-support"
import { LearningConfig } from "@waggle/learning"
import { learningLayer } from "./support/layers.js"
import { describeReport, simulate } from "./support/simulation.js"
import type { SimulationOptions } from "./support/simulation.js"

const SEED = 1

const run = (options: SimulationOptions) =>
  simulate(options).pipe(Effect.provide(learningLayer(embeddedNative, { seed: SEED, precedent: "none" })))

/** Regret of choosing uniformly at random: what learning must beat by far. */
const randomRegret = (o: SimulationOptions) => {
  const rates = o.rates.map(([, p]) => p)
  return o.tasks * (Math.max(...rates) - rates.reduce((a, b) => a + b, 0) / rates.length)
}

describe("strategy simulation (embedded native backend)", () => {
  it.scoped("4 strategies, 500 tasks: converges on the best, little regret, exactly the failing strategies end as anti-patterns", () =>
    Effect.gen(function*() {
      // Hidden rates well clear of the 60% failure threshold: 0.25 and 0.1 fail 75% and 90% of the time.
      const options: SimulationOptions = {
        rates: [["file-based", 0.7], ["feature-based", 0.85], ["risk-based", 0.25], ["research-based", 0.1]],
        tasks: 500,
        seed: SEED,
        step: "1 hour",
        window: 100,
        register: ["research-based"]
      }
      const report = yield* run(options)
      console.log(describeReport("simulation", options, report))
      expect(report.best).toBe("feature-based")
      expect(report.bestShareLastWindow).toBeGreaterThanOrEqual(0.9)
      expect(report.cumulativeRegret).toBeLessThan(0.25 * randomRegret(options))
      expect(report.antiPatterns).toEqual(["research-based", "risk-based"])
      expect(report.antiPatterns).toEqual(report.expectedAntiPatterns)
      for (const n of Object.values(report.pulls)) expect(n).toBeGreaterThanOrEqual(LearningConfig.defaults.thompson.warmupTrials)
    }))

  it.scoped("the issue's example rates (0.85, 0.6, 0.45, 0.2): converges; 0.45 sits 5 points from the threshold", () =>
    Effect.gen(function*() {
      const options: SimulationOptions = {
        rates: [["file-based", 0.6], ["feature-based", 0.85], ["risk-based", 0.45], ["research-based", 0.2]],
        tasks: 500,
        seed: SEED,
        step: "1 hour",
        window: 100,
        register: ["research-based"]
      }
      const report = yield* run(options)
      console.log(describeReport("simulation (issue's example rates)", options, report))
      expect(report.bestShareLastWindow).toBeGreaterThanOrEqual(0.9)
      expect(report.cumulativeRegret).toBeLessThan(0.25 * randomRegret(options))
      expect(report.antiPatterns).toContain("research-based")
      expect(report.antiPatterns).not.toContain("feature-based")
      // risk-based fails 55% of the time: Thompson sampling rightly stops trying it after about ten
      // tasks, and ten tasks cannot tell 55% from 60%. Its final flag is reported, not asserted
      // (across 40 seeds it is right about half the time: see the README).
      console.log(`  risk-based (hidden failure 55%) ends ${report.antiPatterns.includes("risk-based") ? "flagged" : "not flagged"}`)
    }))
})
