/**
 * The strategy simulation: strategies with hidden success rates, tasks decomposed with whatever
 * `Learning.insights` recommends, outcomes drawn from the hidden rate and recorded through the
 * public API, the clock advanced after each task. Deterministic: the world's draws come from a
 * seeded PRNG, the learning service's from its seeded `RandomSource`, time from the `TestClock`.
 */
import { Duration, Effect, TestClock } from "effect"
import { Learning, Prng } from "@waggle/learning"
import type { StrategyInsight } from "@waggle/learning"

export interface SimulationOptions {
  /** Strategy → hidden success rate, in the order insights lists them. */
  readonly rates: ReadonlyArray<readonly [string, number]>
  readonly tasks: number
  /** Seed of the world (outcomes, durations, errors). */
  readonly seed: number
  /** Simulated time per task. */
  readonly step: Duration.DurationInput
  /** The last `window` tasks measure convergence. */
  readonly window: number
  /** Strategies to register first (the built-in ones need none). */
  readonly register?: ReadonlyArray<string>
}

export interface SimulationReport {
  readonly best: string
  readonly bestShareLastWindow: number
  /** Σ (best rate − chosen rate): expected successes lost to exploration. */
  readonly cumulativeRegret: number
  /** Cumulative regret after each hundred tasks. */
  readonly regretCurve: ReadonlyArray<number>
  readonly successes: number
  readonly pulls: Readonly<Record<string, number>>
  readonly warmupTasks: number
  /** Strategies that end as (active) anti-patterns. */
  readonly antiPatterns: ReadonlyArray<string>
  /** Strategies whose hidden failure rate is above 60%. */
  readonly expectedAntiPatterns: ReadonlyArray<string>
  readonly final: ReadonlyArray<StrategyInsight>
}

export const simulate = (options: SimulationOptions) =>
  Effect.gen(function*() {
    const learning = yield* Learning
    for (const name of options.register ?? []) {
      yield* learning.registerStrategy({ name, description: `${name} (simulated)` })
    }
    const rate = new Map(options.rates)
    const bestRate = Math.max(...rate.values())
    const best = options.rates.find(([, r]) => r === bestRate)![0]
    const u = Prng.make(options.seed)
    const pulls: Record<string, number> = Object.fromEntries(options.rates.map(([name]) => [name, 0]))
    let regret = 0
    let successes = 0
    let bestInWindow = 0
    let warmupTasks = 0
    const regretCurve: Array<number> = []
    for (let t = 0; t < options.tasks; t++) {
      const insights = yield* learning.insights(`simulated task ${t}`, { precedentLimit: 0 })
      const strategy = insights.strategy
      const p = rate.get(strategy)
      if (p === undefined) return yield* Effect.dieMessage(`insights recommended ${strategy}, which the simulation does not know`)
      if (insights.mode === "warmup") warmupTasks++
      pulls[strategy] = pulls[strategy]! + 1
      regret += bestRate - p
      if (t >= options.tasks - options.window && strategy === best) bestInWindow++
      const success = u() < p
      if (success) successes++
      yield* learning.recordOutcome({
        cellId: `sim-${t}`,
        task: `simulated task ${t}`,
        strategy,
        durationMs: Math.round((success ? 10 + 30 * u() : 20 + 40 * u()) * 60_000),
        success,
        errorCount: success ? (u() < 0.2 ? 1 : 0) : 1 + Math.floor(3 * u()),
        retryCount: success ? 0 : Math.floor(3 * u()),
        filesTouched: [`src/module-${t % 7}.ts`]
      })
      if ((t + 1) % 100 === 0) regretCurve.push(regret)
      yield* TestClock.adjust(options.step)
    }
    const final = yield* learning.insights("simulated final check", { precedentLimit: 0 })
    return {
      best,
      bestShareLastWindow: bestInWindow / options.window,
      cumulativeRegret: regret,
      regretCurve,
      successes,
      pulls,
      warmupTasks,
      antiPatterns: final.avoid.filter((a) => a.kind === "strategy").map((a) => a.name).sort(),
      expectedAntiPatterns: options.rates.filter(([, r]) => 1 - r > 0.6).map(([name]) => name).sort(),
      final: final.strategies
    } satisfies SimulationReport
  })

/** The report as a few lines for the test output. */
export const describeReport = (label: string, options: SimulationOptions, r: SimulationReport): string =>
  [
    `${label}: ${options.tasks} tasks, hidden success rates ${options.rates.map(([n, p]) => `${n} ${p}`).join(", ")}`,
    `  best strategy (${r.best}) chosen in the last ${options.window}: ${(r.bestShareLastWindow * 100).toFixed(0)}%`,
    `  cumulative regret (expected successes lost): ${r.cumulativeRegret.toFixed(2)}; after each 100 tasks: ${r.regretCurve.map((x) => x.toFixed(2)).join(", ")}`,
    `  tasks per strategy: ${Object.entries(r.pulls).map(([n, k]) => `${n} ${k}`).join(", ")} (warm-up ${r.warmupTasks})`,
    `  successes: ${r.successes}/${options.tasks}`,
    `  anti-patterns at the end: ${r.antiPatterns.join(", ") || "none"} (hidden failure rate > 60%: ${r.expectedAntiPatterns.join(", ") || "none"})`,
    `  final posteriors: ${r.final.map((s) => `${s.name} Beta(${s.alpha.toFixed(1)}, ${s.beta.toFixed(1)})`).join(", ")}`
  ].join("\n")
