/**
 * `waggle doctor`: is this project's Waggle healthy? Versions, project, database (reachable,
 * integrity, WAL, migrations) and the embedder. It opens the database alone (no migrations are
 * applied, nothing is written) so that it can report on a database the tools could not start on.
 */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { HiveModule } from "@waggle/hive"
import { LearningModule } from "@waggle/learning"
import { Embedder, MemoryModule } from "@waggle/memory"
import {
  DeferredModule,
  LockModule,
  MailboxModule,
  PrimitivesCore,
  redactUrl,
  ReservationsModule,
  resolveProject,
  Storage,
  storageOptionsFromEnv
} from "@waggle/primitives"
import type { EventModule } from "@waggle/primitives"
import { SwarmModule } from "@waggle/swarm"
import { AgentsModule } from "./Agents.js"
import { failureOf } from "./ToolFailure.js"
import { VERSION } from "./Version.js"

export type CheckStatus = "ok" | "warn" | "fail"

export interface Check {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
}

export interface DoctorReport {
  readonly healthy: boolean
  readonly checks: ReadonlyArray<Check>
}

/** The modules a Waggle database carries, with the migration version this build expects. */
export const EXPECTED_MODULES: ReadonlyArray<EventModule.EventModule> = [
  PrimitivesCore,
  MailboxModule,
  ReservationsModule,
  LockModule,
  DeferredModule,
  HiveModule,
  MemoryModule,
  LearningModule,
  SwarmModule,
  AgentsModule
]

const latest = (m: EventModule.EventModule) => Math.max(0, ...m.migrations.map((x) => x.version))

const fileOf = (url: string): string | undefined => {
  if (!url.startsWith("file:")) return undefined
  const rest = url.slice("file:".length).replace(/^\/\/(?=\/)/, "")
  return rest.split("?")[0]
}

const databaseChecks = Effect.gen(function*() {
  const storage = yield* Storage
  const checks: Array<Check> = []
  const version = yield* storage.queryOne<{ v: string }>({ sql: "SELECT sqlite_version() AS v", args: [] })
  checks.push({ name: "database", status: "ok", detail: `${storage.url} (${storage.driver} driver, SQLite ${version?.v ?? "?"})` })

  const integrity = yield* storage.query<Record<string, unknown>>({ sql: "PRAGMA quick_check", args: [] })
  const problems = integrity.map((r) => String(Object.values(r)[0])).filter((s) => s !== "ok")
  checks.push(problems.length === 0
    ? { name: "integrity", status: "ok", detail: "quick_check ok" }
    : { name: "integrity", status: "fail", detail: problems.slice(0, 5).join("; ") })

  if (storage.url.startsWith("file:")) {
    const mode = yield* storage.queryOne<Record<string, unknown>>({ sql: "PRAGMA journal_mode", args: [] })
    const journal = String(Object.values(mode ?? {})[0] ?? "?").toLowerCase()
    checks.push({ name: "wal", status: journal === "wal" ? "ok" : "fail", detail: `journal_mode=${journal}` })
  }

  const hasLedger = yield* storage.queryOne({
    sql: "SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'waggle_migrations'",
    args: []
  })
  const applied = new Map<string, number>()
  if (hasLedger !== undefined) {
    const rows = yield* storage.query<{ module: string; v: number }>({
      sql: "SELECT module, max(version) AS v FROM waggle_migrations GROUP BY module",
      args: []
    })
    for (const r of rows) applied.set(r.module, r.v)
  }
  const pending = EXPECTED_MODULES.filter((m) => (applied.get(m.name) ?? 0) < latest(m)).map((m) => m.name)
  const ahead = EXPECTED_MODULES.filter((m) => (applied.get(m.name) ?? 0) > latest(m)).map((m) => m.name)
  checks.push(
    ahead.length > 0
      ? { name: "migrations", status: "fail", detail: `newer than this waggle: ${ahead.join(", ")} (upgrade waggle)` }
      : pending.length > 0
      ? { name: "migrations", status: "warn", detail: `pending (applied on the next start): ${pending.join(", ")}` }
      : { name: "migrations", status: "ok", detail: `${EXPECTED_MODULES.length} modules up to date` }
  )
  return checks
})

const embedderCheck = Effect.gen(function*() {
  const embedder = yield* Embedder
  const [vector] = yield* embedder.embed(["waggle doctor"])
  const sane = vector !== undefined && vector.length === embedder.dimension && Array.from(vector).every(Number.isFinite)
  return {
    name: "embedder",
    status: sane ? "ok" : "fail",
    detail: `${embedder.name}, ${embedder.dimension} dimensions${sane ? "" : ": produced an invalid vector"}`
  } satisfies Check
}).pipe(
  Effect.provide(Embedder.layerHashed),
  Effect.catchAll((e) => Effect.succeed<Check>({ name: "embedder", status: "fail", detail: failureOf(e).body.message }))
)

export const runDoctor: Effect.Effect<DoctorReport> = Effect.gen(function*() {
  const checks: Array<Check> = [
    { name: "versions", status: "ok", detail: `waggle ${VERSION}, node ${process.versions.node}` }
  ]
  const project = yield* Effect.try(() => resolveProject()).pipe(Effect.option)
  if (project._tag === "None") {
    checks.push({ name: "project", status: "fail", detail: `cannot resolve the project of ${process.cwd()}` })
    return { healthy: false, checks }
  }
  checks.push({ name: "project", status: "ok", detail: `${project.value.key} (root ${project.value.root})` })
  const options = yield* storageOptionsFromEnv(project.value.root)
  const file = fileOf(options.url)
  if (file !== undefined && file !== ":memory:" && !fs.existsSync(file)) {
    checks.push({ name: "database", status: "warn", detail: `${redactUrl(options.url)} does not exist yet (created on first use)` })
  } else {
    const db = yield* databaseChecks.pipe(
      Effect.provide(Layer.fresh(Storage.layer(options))),
      Effect.catchAll((e) => Effect.succeed<ReadonlyArray<Check>>([{ name: "database", status: "fail", detail: failureOf(e).body.message }])),
      Effect.catchAllDefect((d) => Effect.succeed<ReadonlyArray<Check>>([{ name: "database", status: "fail", detail: String(d) }]))
    )
    checks.push(...db)
  }
  checks.push(yield* embedderCheck)
  return { healthy: checks.every((c) => c.status !== "fail"), checks }
}).pipe(Effect.scoped)
