/**
 * Lock and reservation benchmarks. Lock figures count acquire + release PAIRS (two transactions
 * each), against the raw single-insert baseline.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableLock, FileReservations } from "../../src/index.js"
import type { DurableLockService, FileReservationsService } from "../../src/index.js"
import type { BenchEnv, BenchOp, Sample } from "../harness.js"
import { runtimeFor, timeSequential } from "../harness.js"

const scale = (env: BenchEnv, normal: number, full: number) => (env.durability === "full" ? full : normal)

const withLocks = async <A>(env: BenchEnv, f: (locks: DurableLockService) => Promise<A>) => {
  const runtime = runtimeFor(env, DurableLock.layer)
  try {
    return await f(await runtime.runPromise(DurableLock))
  } finally {
    await runtime.dispose()
  }
}

const withReservations = async <A>(env: BenchEnv, f: (reservations: FileReservationsService) => Promise<A>) => {
  const runtime = runtimeFor(env, FileReservations.layer)
  try {
    return await f(await runtime.runPromise(FileReservations))
  } finally {
    await runtime.dispose()
  }
}

const contender = fileURLToPath(new URL("../workers/lockContender.ts", import.meta.url))
const tsx = createRequire(import.meta.url).resolve("tsx")

interface ContenderReport {
  readonly latencies: ReadonlyArray<number>
  readonly finishedAt: number
}

/** `processes` child processes, each doing `perProcess` pairs on one lock, all started together. */
const contended = async (env: BenchEnv, processes: number, perProcess: number): Promise<Sample> => {
  // Create the schema first, so the children race on the lock only.
  await withLocks(env, async () => undefined)
  const goFile = path.join(env.dir, "go")
  const children = Array.from({ length: processes }, (_, i) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", tsx, contender, env.url, env.durability, String(perProcess), goFile, `holder-${i}`],
      { stdio: ["ignore", "pipe", "inherit"] }
    )
    let out = ""
    const ready = new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString("utf8")
        if (out.includes("\"ready\"")) resolve()
      }))
    const done = new Promise<ContenderReport>((resolve, reject) =>
      child.once("close", (code) => {
        const line = out.split("\n").find((l) => l.includes("\"latencies\""))
        if (code !== 0 || line === undefined) reject(new Error(`lock contender exited with ${code}`))
        else resolve(JSON.parse(line) as ContenderReport)
      }))
    return { ready, done }
  })
  await Promise.all(children.map((c) => c.ready))
  const start = Date.now()
  fs.writeFileSync(goFile, "go")
  const reports = await Promise.all(children.map((c) => c.done))
  const totalMs = Math.max(...reports.map((r) => r.finishedAt)) - start
  return { count: processes * perProcess, totalMs, latencies: reports.flatMap((r) => r.latencies) }
}

export const ops: ReadonlyArray<BenchOp> = [
  {
    op: "lock_acquire_release_uncontended",
    baseline: "insert",
    run: (env) =>
      withLocks(env, (locks) =>
        timeSequential(scale(env, 5_000, 500), () =>
          Effect.runPromise(Effect.zipRight(
            locks.acquire("bench", "holder", { ttl: "30 seconds" }),
            locks.release("bench", "holder")
          ))))
  },
  {
    op: "lock_acquire_release_4_processes",
    baseline: "insert",
    run: (env) => contended(env, 4, scale(env, 500, 100))
  },
  {
    op: "reservation_reserve_release",
    baseline: "insert",
    run: (env) =>
      withReservations(env, async (reservations) => {
        // Other agents' reservations that every request is checked against.
        for (let a = 0; a < 10; a++) {
          await Effect.runPromise(reservations.reserve(`other-${a}`, [`pkg-${a}/**`, `docs/${a}/*.md`], { ttl: "1 hour" }))
        }
        return timeSequential(scale(env, 3_000, 300), (i) => {
          const paths = [`src/module-${i % 50}.ts`, `test/module-${i % 50}.test.ts`]
          return Effect.runPromise(Effect.zipRight(
            reservations.reserve("agent", paths, { ttl: "10 minutes" }),
            reservations.release("agent", { paths })
          ))
        })
      })
  },
  {
    op: "reservation_conflicting_attempt",
    baseline: "insert",
    run: (env) =>
      withReservations(env, async (reservations) => {
        for (let a = 0; a < 10; a++) {
          await Effect.runPromise(reservations.reserve(`other-${a}`, [`pkg-${a}/**`, `docs/${a}/*.md`], { ttl: "1 hour" }))
        }
        return timeSequential(scale(env, 3_000, 300), (i) =>
          Effect.runPromise(Effect.flip(reservations.reserve("agent", [`pkg-${i % 10}/src/a.ts`], { ttl: "10 minutes" }))))
      })
  }
]
