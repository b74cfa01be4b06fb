/**
 * The benchmark harness: every figure is printed next to a raw-libSQL baseline measured in the same
 * run, on the same database settings, because absolute times on shared machines are noise.
 */
import { createClient } from "@libsql/client"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore, Project, Storage } from "../src/index.js"
import type { Durability } from "../src/index.js"

export type Baseline = "insert" | "batch_insert_row" | "read_row"

export interface Sample {
  /** Operations completed. */
  readonly count: number
  /** Wall time of the whole run (ms). */
  readonly totalMs: number
  /** Latency of each operation (ms). */
  readonly latencies: ReadonlyArray<number>
}

export interface BenchEnv {
  readonly durability: Durability
  /** A fresh directory for this op. */
  readonly dir: string
  /** A fresh database file URL in `dir`. */
  readonly url: string
}

export interface BenchOp {
  readonly op: string
  readonly baseline: Baseline
  readonly run: (env: BenchEnv) => Promise<Sample>
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const round = (n: number, digits = 3) => Number(n.toFixed(digits))

export const summarize = (sample: Sample) => {
  const sorted = [...sample.latencies].sort((a, b) => a - b)
  return {
    ops_per_s: Math.round((sample.count / sample.totalMs) * 1000),
    p50_ms: round(percentile(sorted, 50), 4),
    p99_ms: round(percentile(sorted, 99), 4)
  }
}

/** Runs `op` `count` times in sequence, timing each. */
export const timeSequential = async (count: number, op: (i: number) => Promise<unknown>): Promise<Sample> => {
  const latencies: Array<number> = []
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await op(i)
    latencies.push(performance.now() - t)
  }
  return { count, totalMs: performance.now() - start, latencies }
}

/** Runs `count` operations spread over `workers` concurrent loops, timing each. */
export const timeConcurrent = async (
  count: number,
  workers: number,
  op: (i: number) => Promise<unknown>
): Promise<Sample> => {
  const latencies: Array<number> = []
  let next = 0
  const start = performance.now()
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < count) {
      const i = next++
      const t = performance.now()
      await op(i)
      latencies.push(performance.now() - t)
    }
  }))
  return { count, totalMs: performance.now() - start, latencies }
}

export const freshEnv = (root: string, durability: Durability, name: string): BenchEnv => {
  const dir = path.join(root, `${name.replace(/[^a-z0-9]+/gi, "_")}-${durability}`)
  fs.mkdirSync(dir, { recursive: true })
  return { durability, dir, url: `file:${path.join(dir, "waggle.db")}` }
}

/** A runtime with Storage, Project and EventStore on the env's database. */
export const runtimeFor = <R, E>(env: BenchEnv, extra?: Layer.Layer<R, E, EventStore | Storage | Project>) => {
  const base = Layer.provideMerge(
    EventStore.layer,
    Layer.merge(Storage.layer({ url: env.url, durability: env.durability }), Project.layerOf({ key: "bench", root: env.dir }))
  )
  const layer = extra === undefined ? base : Layer.provideMerge(extra, base)
  return ManagedRuntime.make(layer as Layer.Layer<R | EventStore | Storage | Project, unknown>)
}

const PAYLOAD = JSON.stringify({ id: "cell-1", title: "a typical event payload", tags: ["a", "b"] })

/** Raw @libsql/client, one single-row autocommit INSERT per operation (events-like row). */
export const baselineInsert = async (env: BenchEnv, count: number): Promise<Sample> => {
  const client = createClient({ url: env.url.replace("waggle.db", "baseline.db"), timeout: 10_000 })
  await client.execute("PRAGMA journal_mode=WAL")
  await client.execute(`PRAGMA synchronous=${env.durability === "full" ? "FULL" : "NORMAL"}`)
  await client.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, stream TEXT, data TEXT, created_at INTEGER)")
  const sample = await timeSequential(count, (i) =>
    client.execute({ sql: "INSERT INTO t (stream, data, created_at) VALUES (?, ?, ?)", args: [`s-${i}`, PAYLOAD, Date.now()] }))
  client.close()
  return sample
}

/** Raw @libsql/client, one write batch of `batchSize` single-row INSERTs; counts rows. */
export const baselineBatchInsert = async (env: BenchEnv, batches: number, batchSize: number): Promise<Sample> => {
  const client = createClient({ url: env.url.replace("waggle.db", "baseline-batch.db"), timeout: 10_000 })
  await client.execute("PRAGMA journal_mode=WAL")
  await client.execute(`PRAGMA synchronous=${env.durability === "full" ? "FULL" : "NORMAL"}`)
  await client.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, stream TEXT, data TEXT, created_at INTEGER)")
  const sample = await timeSequential(batches, (i) =>
    client.batch(
      Array.from({ length: batchSize }, (_, j) => ({
        sql: "INSERT INTO t (stream, data, created_at) VALUES (?, ?, ?)",
        args: [`s-${i}-${j}`, PAYLOAD, Date.now()]
      })),
      "write"
    ))
  client.close()
  return { count: batches * batchSize, totalMs: sample.totalMs, latencies: sample.latencies.map((l) => l / batchSize) }
}

/** Raw @libsql/client reading `rows` rows in one query; counts rows. */
export const baselineRead = async (env: BenchEnv, rows: number, repeats: number): Promise<Sample> => {
  const client = createClient({ url: env.url.replace("waggle.db", "baseline-read.db") })
  await client.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, stream TEXT, data TEXT, created_at INTEGER)")
  await client.batch(Array.from({ length: rows }, (_, i) => ({
    sql: "INSERT INTO t (stream, data, created_at) VALUES (?, ?, ?)",
    args: [`s-${i}`, PAYLOAD, i]
  })), "write")
  const sample = await timeSequential(repeats, () => client.execute({ sql: "SELECT * FROM t ORDER BY id LIMIT ?", args: [rows] }))
  client.close()
  return { count: rows * repeats, totalMs: sample.totalMs, latencies: sample.latencies.map((l) => l / rows) }
}

/** The physical limit: the same single-row insert through the native binding, synchronous and prepared. */
export const nativeInsert = (env: BenchEnv, count: number): Sample => {
  const Database = createRequire(import.meta.url)("libsql") as new(p: string, o: object) => {
    exec(s: string): void
    prepare(s: string): { run(...a: Array<unknown>): unknown }
    close(): void
  }
  const db = new Database(path.join(env.dir, "native.db"), { timeout: 10_000 })
  db.exec("PRAGMA journal_mode=WAL")
  db.exec(`PRAGMA synchronous=${env.durability === "full" ? "FULL" : "NORMAL"}`)
  db.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, stream TEXT, data TEXT, created_at INTEGER)")
  const insert = db.prepare("INSERT INTO t (stream, data, created_at) VALUES (?, ?, ?)")
  const latencies: Array<number> = []
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    insert.run(`s-${i}`, PAYLOAD, Date.now())
    latencies.push(performance.now() - t)
  }
  const totalMs = performance.now() - start
  db.close()
  return { count, totalMs, latencies }
}

export const tempRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), "waggle-bench-"))

export const run = <A, E, R>(runtime: ManagedRuntime.ManagedRuntime<R, unknown>, effect: Effect.Effect<A, E, R>) =>
  runtime.runPromise(effect)
