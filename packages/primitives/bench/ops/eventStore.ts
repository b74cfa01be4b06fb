import { Effect } from "effect"
import { EventStore } from "../../src/index.js"
import { BenchModule, item } from "../fixtures.js"
import type { BenchEnv, BenchOp } from "../harness.js"
import { runtimeFor, timeConcurrent, timeSequential } from "../harness.js"

const withStore = async <A>(env: BenchEnv, f: (append: typeof EventStore.Service) => Promise<A>) => {
  const runtime = runtimeFor(env)
  try {
    const store = await runtime.runPromise(Effect.tap(EventStore, (s) => s.install(BenchModule)))
    return await f(store)
  } finally {
    await runtime.dispose()
  }
}

const scale = (env: BenchEnv, normal: number, full: number) => (env.durability === "full" ? full : normal)

export const ops: ReadonlyArray<BenchOp> = [
  {
    op: "event_append_single",
    baseline: "insert",
    run: (env) =>
      withStore(env, (store) =>
        timeSequential(scale(env, 20_000, 2_000), (i) => Effect.runPromise(store.append(`s-${i % 100}`, [item(i)]))))
  },
  {
    op: "event_append_16_concurrent",
    baseline: "insert",
    run: (env) =>
      withStore(env, (store) =>
        timeConcurrent(scale(env, 40_000, 8_000), 16, (i) => Effect.runPromise(store.append(`s-${i % 100}`, [item(i)]))))
  },
  {
    op: "event_append_batch_100_per_event",
    baseline: "batch_insert_row",
    run: (env) =>
      withStore(env, async (store) => {
        const batches = scale(env, 200, 50)
        const events = Array.from({ length: 100 }, (_, j) => item(j))
        const sample = await timeSequential(batches, (i) => Effect.runPromise(store.append(`batch-${i}`, events)))
        return { count: batches * 100, totalMs: sample.totalMs, latencies: sample.latencies.map((l) => l / 100) }
      })
  },
  {
    op: "event_read_10k_per_event",
    baseline: "read_row",
    run: (env) =>
      withStore(env, async (store) => {
        const events = Array.from({ length: 1000 }, (_, j) => item(j))
        for (let b = 0; b < 10; b++) await Effect.runPromise(store.append(`r-${b}`, events))
        const repeats = 10
        const sample = await timeSequential(repeats, () => Effect.runPromise(store.readAll({ limit: 10_000 })))
        return { count: repeats * 10_000, totalMs: sample.totalMs, latencies: sample.latencies.map((l) => l / 10_000) }
      })
  }
]
