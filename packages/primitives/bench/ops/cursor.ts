/**
 * Durable cursors: events consumed per second.
 *
 * - `cursor_consume`: a transactional consumer (batches of 100) whose handler writes one row per
 *   event, committed with the checkpoint: the exactly-once path, against the raw single insert.
 * - `cursor_deliver_at_least_once`: delivery alone (a handler that does nothing, checkpoint per
 *   batch of 100), against the raw row read.
 *
 * Latencies are the intervals between consecutive handled events, so batch overheads (reads,
 * commit) show in p99.
 */
import { Effect } from "effect"
import { DurableCursor, EventModule, EventStore, sql } from "../../src/index.js"
import type { DurableCursorService } from "../../src/index.js"
import { BenchModule, item } from "../fixtures.js"
import type { BenchEnv, BenchOp, Sample } from "../harness.js"
import { runtimeFor } from "../harness.js"

const EffectsModule = EventModule.make({
  name: "bench_cursor",
  migrations: [{
    version: 1,
    name: "effects",
    sql: `CREATE TABLE bench_cursor_effects (
      project TEXT NOT NULL, position INTEGER NOT NULL, id TEXT NOT NULL,
      PRIMARY KEY (project, position)) STRICT, WITHOUT ROWID`
  }],
  events: [],
  projections: []
})

const BATCH = 100
const scale = (env: BenchEnv) => (env.durability === "full" ? 5_000 : 20_000)

/** Appends `count` events (untimed), then times one `consume` over all of them. */
const measure = async (
  env: BenchEnv,
  consume: (cursors: DurableCursorService, onEvent: () => void) => Effect.Effect<number, unknown>
): Promise<Sample> => {
  const runtime = runtimeFor(env, DurableCursor.layer)
  try {
    const count = scale(env)
    await runtime.runPromise(Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.install(BenchModule)
      yield* store.install(EffectsModule)
      for (let start = 0; start < count; start += 1000) {
        yield* store.append(`s-${start}`, Array.from({ length: 1000 }, (_, j) => item(start + j)))
      }
    }))
    const cursors = await runtime.runPromise(DurableCursor)
    const stamps: Array<number> = []
    const start = performance.now()
    const consumed = await runtime.runPromise(consume(cursors, () => stamps.push(performance.now())))
    const totalMs = performance.now() - start
    if (consumed !== count) throw new Error(`consumed ${consumed} of ${count} events`)
    const latencies = stamps.map((t, i) => t - (i === 0 ? start : stamps[i - 1]!))
    return { count, totalMs, latencies }
  } finally {
    await runtime.dispose()
  }
}

export const ops: ReadonlyArray<BenchOp> = [
  {
    op: "cursor_consume",
    baseline: "insert",
    run: (env) =>
      measure(env, (cursors, onEvent) =>
        Effect.flatMap(cursors.open("bench-indexer", { types: ["bench_item_recorded"] }), (cursor) =>
          cursor.consume((event, tx) =>
            Effect.map(
              tx.run(sql`INSERT INTO bench_cursor_effects (project, position, id)
                         VALUES (${tx.project}, ${event.position}, ${(event.data as { id: string }).id})`),
              onEvent
            ), { batchSize: BATCH })))
  },
  {
    op: "cursor_deliver_at_least_once",
    baseline: "read_row",
    run: (env) =>
      measure(env, (cursors, onEvent) =>
        Effect.flatMap(cursors.open("bench-reader"), (cursor) =>
          cursor.consume(() => Effect.sync(onEvent), { batchSize: BATCH, transactional: false })))
  }
]
