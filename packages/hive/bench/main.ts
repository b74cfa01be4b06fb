/**
 * `pnpm --filter @waggle/hive bench`: the hive's operations at 1k, 10k and 100k cells, each next to
 * a raw-libSQL baseline measured in the same run. One JSON line per figure:
 * {"op","cells","ops_per_s","p50_ms","p99_ms","baseline_ops_per_s","ratio"}
 * (ratio = ops_per_s / baseline_ops_per_s). Flags: --sizes 1000,10000 (default 1000,10000,100000).
 */
import { Effect, Layer } from "effect"
import type { ManagedRuntime } from "effect"
import * as fs from "node:fs"
import { SyncParticipants } from "@waggle/primitives"
import { freshEnv, runtimeFor, summarize, tempRoot, timeSequential } from "../../primitives/bench/harness.js"
import type { Sample } from "../../primitives/bench/harness.js"
import { Hive, HiveSync } from "../src/index.js"
import { baselineBatch, baselineClaim, baselineInsert, baselineReady, baselineScan, openBaseline } from "./baseline.js"
import { generateJsonl } from "./data.js"

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const sizes = (arg("sizes") ?? "1000,10000,100000").split(",").map(Number)

const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + "\n")
const note = (text: string) => process.stderr.write(text + "\n")

/** The harness's summary, with operations per second to two decimals (an import is one slow operation). */
const stats = (sample: Sample) => ({ ...summarize(sample), ops_per_s: Number(((sample.count / sample.totalMs) * 1000).toFixed(2)) })

const figure = (op: string, cells: number, sample: Sample, baseline: Sample) => {
  const s = stats(sample)
  const b = stats(baseline)
  print({ op, cells, ...s, baseline_ops_per_s: b.ops_per_s, ratio: Number((s.ops_per_s / b.ops_per_s).toFixed(3)) })
}

type Env = Hive | HiveSync
const hiveLayers = Layer.mergeAll(Hive.layer({ prefix: "bench" }), Layer.provide(HiveSync.layer({ workdir: "." }), SyncParticipants.none))

const open = (root: string, name: string) => {
  const env = freshEnv(root, "normal", name)
  const runtime = runtimeFor(env, hiveLayers) as ManagedRuntime.ManagedRuntime<Env, unknown>
  const run = <A, E>(effect: Effect.Effect<A, E, Env>) => runtime.runPromise(effect)
  return { env, runtime, run }
}

const main = async () => {
  const root = tempRoot()
  try {
    for (const cells of sizes) {
      const { env, runtime, run } = open(root, `hive-${cells}`)
      const data = generateJsonl(cells)
      const t = performance.now()
      await run(Effect.flatMap(HiveSync, (s) => s.importJsonl(data.content)))
      note(`setup: ${cells} cells imported in ${Math.round(performance.now() - t)} ms (${data.shape.ready} ready)`)
      const baseline = await openBaseline(env.dir, cells)

      figure("ready", cells, await timeSequential(1000, () => run(Effect.flatMap(Hive, (h) => h.ready({ limit: 10 })))), await baselineReady(baseline, 1000))
      const claims = Math.min(200, Math.floor(data.shape.ready / 2))
      figure(
        "claimNext",
        cells,
        await timeSequential(claims, (i) => run(Effect.flatMap(Hive, (h) => h.claimNext(`agent-${i % 4}`)))),
        await baselineClaim(baseline, claims)
      )
      figure(
        "create",
        cells,
        await timeSequential(300, (i) => run(Effect.flatMap(Hive, (h) => h.create({ title: `created ${i}`, priority: i % 4 })))),
        await baselineInsert(baseline, 300)
      )
      const subtasks = Array.from({ length: 10 }, (_, i) => ({ title: `subtask ${i}`, ...(i > 0 ? { blockedBy: [i - 1] } : {}) }))
      figure(
        "createEpic_10",
        cells,
        await timeSequential(50, (i) => run(Effect.flatMap(Hive, (h) => h.createEpic({ title: `epic ${i}`, subtasks })))),
        await baselineBatch(baseline, 50, 11)
      )

      if (cells === 10_000) {
        const scan = await baselineScan(baseline, 20)
        figure("export", cells, await timeSequential(20, () => run(Effect.flatMap(HiveSync, (s) => s.exportJsonl))), scan)
        const imports: Array<number> = []
        for (let i = 0; i < 3; i++) {
          const fresh = open(root, `import-${i}`)
          const start = performance.now()
          await fresh.run(Effect.flatMap(HiveSync, (s) => s.importJsonl(data.content)))
          imports.push(performance.now() - start)
          await fresh.runtime.dispose()
        }
        const importSample: Sample = { count: 3, totalMs: imports.reduce((a, b) => a + b, 0), latencies: imports }
        const bulk = await timeSequential(3, () => openBaseline(fs.mkdtempSync(`${env.dir}/bulk-`), cells).then((c) => c.close()))
        figure("import", cells, importSample, bulk)
        figure(
          "import_unchanged",
          cells,
          await timeSequential(3, () => run(Effect.flatMap(HiveSync, (s) => s.importJsonl(data.content)))),
          bulk
        )
      }
      baseline.close()
      await runtime.dispose()
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
