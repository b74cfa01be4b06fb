/**
 * The strategy simulation over many seeds, on the embedded native backend: how robust are the
 * figures the test suite checks for one seed? Prints, per rate set, the share of seeds meeting
 * each criterion and the distribution of regret.
 *
 *   pnpm --filter @waggle/learning bench [seeds=40]
 */
import { Effect, Layer, TestContext } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { primitivesLayer } from "@waggle/test-support/worker"
import { layer, PrecedentSource } from "@waggle/learning"
import { simulate } from "../test/support/simulation.js"
import type { SimulationOptions, SimulationReport } from "../test/support/simulation.js"

const seeds = Number(process.argv[2] ?? 40)

const rateSets: ReadonlyArray<ReadonlyArray<readonly [string, number]>> = [
  [["file-based", 0.6], ["feature-based", 0.85], ["risk-based", 0.45], ["research-based", 0.2]],
  [["file-based", 0.7], ["feature-based", 0.85], ["risk-based", 0.25], ["research-based", 0.1]]
]

const runOne = (rates: SimulationOptions["rates"], seed: number) =>
  Effect.gen(function*() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "learning-bench-"))
    try {
      const services = layer({ seed }).pipe(
        Layer.provideMerge(PrecedentSource.layerNone),
        Layer.provideMerge(primitivesLayer({ url: `file:${path.join(dir, "db")}`, project: `bench-${seed}` }))
      )
      return yield* simulate({ rates, tasks: 500, seed: seed * 7919, step: "1 hour", window: 100, register: ["research-based"] }).pipe(
        Effect.provide(services),
        Effect.provide(TestContext.TestContext),
        Effect.scoped
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

const main = Effect.gen(function*() {
  for (const rates of rateSets) {
    const started = Date.now()
    const reports: Array<SimulationReport> = []
    for (let seed = 1; seed <= seeds; seed++) reports.push(yield* runOne(rates, seed))
    const share = (f: (r: SimulationReport) => boolean) => `${((reports.filter(f).length / reports.length) * 100).toFixed(0)}%`
    const regrets = reports.map((r) => r.cumulativeRegret)
    console.log(`rates ${rates.map(([n, p]) => `${n} ${p}`).join(", ")} — ${seeds} seeds, ${((Date.now() - started) / 1000).toFixed(1)} s`)
    console.log(`  best ≥ 90% of the last 100:      ${share((r) => r.bestShareLastWindow >= 0.9)}`)
    console.log(`  anti-patterns exactly right:      ${share((r) => r.antiPatterns.join() === r.expectedAntiPatterns.join())}`)
    for (const [name] of rates) {
      const expected = reports[0]!.expectedAntiPatterns.includes(name)
      console.log(`    ${name.padEnd(15)} classified right: ${share((r) => r.antiPatterns.includes(name) === expected)}`)
    }
    console.log(`  regret median ${quantile(regrets, 0.5).toFixed(1)}, p10 ${quantile(regrets, 0.1).toFixed(1)}, p90 ${quantile(regrets, 0.9).toFixed(1)}`)
  }
})

Effect.runPromise(main).catch((e) => {
  console.error(e)
  process.exit(1)
})
