/**
 * `pnpm bench` for the primitives. One JSON line per operation and durability:
 * {"op","durability","ops_per_s","p50_ms","p99_ms","baseline","baseline_ops_per_s","ratio"}
 * Flags: --durability normal|full|both (default both), --only <substring>.
 */
import * as fs from "node:fs"
import type { Durability } from "../src/index.js"
import type { Baseline, BenchOp, Sample } from "./harness.js"
import { baselineBatchInsert, baselineInsert, baselineRead, freshEnv, nativeInsert, summarize, tempRoot } from "./harness.js"
import { ops as eventStoreOps } from "./ops/eventStore.js"
import { ops as cursorOps } from "./ops/cursor.js"
import { ops as mailboxOps } from "./ops/mailbox.js"
import { ops as lockOps } from "./ops/locks.js"

const registry: ReadonlyArray<BenchOp> = [...eventStoreOps, ...mailboxOps, ...lockOps, ...cursorOps]

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const durabilities: ReadonlyArray<Durability> = arg("durability") === "normal"
  ? ["normal"]
  : arg("durability") === "full"
  ? ["full"]
  : ["normal", "full"]
const only = arg("only")

const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + "\n")

const main = async () => {
  const root = tempRoot()
  try {
    for (const durability of durabilities) {
      const env = freshEnv(root, durability, "baselines")
      const n = durability === "full" ? 2_000 : 20_000
      const baselines: Record<Baseline, Sample> = {
        insert: await baselineInsert(env, n),
        batch_insert_row: await baselineBatchInsert(env, durability === "full" ? 50 : 200, 100),
        read_row: await baselineRead(env, 10_000, 10)
      }
      for (const [name, sample] of Object.entries(baselines)) {
        print({ op: `baseline_raw_client_${name}`, durability, ...summarize(sample) })
      }
      const physical = summarize(nativeInsert(env, n))
      print({
        op: "physical_limit_native_insert",
        durability,
        ...physical,
        baseline: "insert",
        baseline_ops_per_s: summarize(baselines.insert).ops_per_s,
        ratio: Number((physical.ops_per_s / summarize(baselines.insert).ops_per_s).toFixed(2))
      })
      for (const op of registry) {
        if (only !== undefined && !op.op.includes(only)) continue
        const figure = summarize(await op.run(freshEnv(root, durability, op.op)))
        const base = summarize(baselines[op.baseline]).ops_per_s
        print({
          op: op.op,
          durability,
          ...figure,
          baseline: op.baseline,
          baseline_ops_per_s: base,
          ratio: Number((figure.ops_per_s / base).toFixed(2))
        })
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
