/** Windowed success rates per strategy, from the outcomes table. */
import { Effect } from "effect"
import { sql } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import * as Evidence from "../Evidence.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import * as Maturity from "../Maturity.js"
import type { StrategyStats, WindowStats } from "../StrategyStats.js"
import type { Queryable } from "./queryable.js"
import { listStrategies } from "./strategies.js"
import { loadSubjects, tallyOf } from "./subjects.js"

interface BucketRow {
  readonly strategy: string
  readonly bucket: number
  readonly n: number
  readonly s: number
  readonly m: number
}

interface TotalRow {
  readonly strategy: string
  readonly n: number
  readonly s: number
}

export const strategyStats = (
  db: Queryable,
  project: string,
  now: number,
  windowMs: number,
  windows: number,
  config: LearningConfigShape
): Effect.Effect<ReadonlyArray<StrategyStats>, StorageError> =>
  Effect.gen(function*() {
    const strategies = yield* listStrategies(db, project)
    const start = now - windowMs * windows
    const buckets = yield* db.query<BucketRow>(
      sql`SELECT strategy, CAST((${now} - recorded_at) / ${windowMs} AS INTEGER) AS bucket,
                 count(*) AS n, sum(success) AS s, avg(score) AS m
          FROM learning_outcomes
          WHERE project = ${project} AND strategy IS NOT NULL AND recorded_at > ${start} AND recorded_at <= ${now}
          GROUP BY strategy, bucket`
    )
    const totals = yield* db.query<TotalRow>(
      sql`SELECT strategy, count(*) AS n, sum(success) AS s FROM learning_outcomes
          WHERE project = ${project} AND strategy IS NOT NULL AND recorded_at <= ${now} GROUP BY strategy`
    )
    const subjects = yield* loadSubjects(db, project, "strategy", undefined, now, config)
    const bucketOf = new Map(buckets.map((b) => [`${Number(b.bucket)}:${b.strategy}`, b]))
    const totalOf = new Map(totals.map((t) => [t.strategy, t]))
    return strategies.map((s): StrategyStats => {
      const list: Array<WindowStats> = []
      for (let i = windows - 1; i >= 0; i--) {
        const row = bucketOf.get(`${i}:${s.name}`)
        const outcomes = row === undefined ? 0 : Number(row.n)
        const successes = row === undefined ? 0 : Number(row.s)
        list.push({
          from: now - windowMs * (i + 1),
          to: now - windowMs * i,
          outcomes,
          successes,
          successRate: outcomes === 0 ? null : successes / outcomes,
          meanScore: row === undefined ? null : Number(row.m)
        })
      }
      const total = totalOf.get(s.name)
      const n = total === undefined ? 0 : Number(total.n)
      const k = total === undefined ? 0 : Number(total.s)
      const subject = subjects.get(s.name)
      const t = subject === undefined ? Evidence.empty : tallyOf(subject, now, config)
      return {
        strategy: s.name,
        builtin: s.builtin,
        windows: list,
        total: { outcomes: n, successes: k, successRate: n === 0 ? null : k / n },
        decayed: { observations: t.observations, successRate: t.observations > 0 ? Maturity.successRate(t) : null },
        maturity: Maturity.of(t, config.maturity)
      }
    })
  })
