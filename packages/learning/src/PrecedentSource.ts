/**
 * Precedent: similar past tasks, shown with a strategy recommendation. The learning package only
 * defines the port; the memory package (semantic search over past work) is adapted to it by the
 * host. `layerNone` finds nothing; `layerFromOutcomes` searches the task summaries stored with
 * recorded outcomes by word overlap, a fallback that needs nothing else.
 */
import { Context, Effect, Layer } from "effect"
import { EventStore, sql, Storage } from "@waggle/primitives"
import type { MigrationError, StorageError } from "@waggle/primitives"
import { PrecedentUnavailable } from "./LearningErrors.js"
import { LearningModule } from "./internal/module.js"
import { jaccard, words } from "./internal/similarity.js"

export interface Precedent {
  readonly id: string
  readonly summary: string
  /** Similarity in [0, 1], higher is closer. */
  readonly score: number
}

export interface PrecedentSourceService {
  /** Up to `limit` past tasks similar to `task`, most similar first. */
  readonly similar: (task: string, limit: number) => Effect.Effect<ReadonlyArray<Precedent>, PrecedentUnavailable>
}

interface OutcomeRow {
  readonly position: number
  readonly task: string
  readonly strategy: string | null
  readonly success: number
  readonly score: number
  readonly failure_mode: string | null
}

/** How many of the latest outcomes with a summary `layerFromOutcomes` compares against. */
export const OUTCOME_SCAN_LIMIT = 2000

const summaryOf = (r: OutcomeRow): string =>
  `${r.task} — ${r.strategy ?? "no strategy"}, ${r.success === 1 ? "succeeded" : "failed"} (score ${r.score.toFixed(2)})` +
  (r.failure_mode === null ? "" : `: ${r.failure_mode}`)

export class PrecedentSource extends Context.Tag("@waggle/learning/PrecedentSource")<PrecedentSource, PrecedentSourceService>() {
  /** No precedent source: insights come without precedent. */
  static readonly layerNone: Layer.Layer<PrecedentSource> = Layer.succeed(PrecedentSource, {
    similar: () => Effect.succeed([])
  })

  /** Similar task summaries among this project's recorded outcomes (word overlap). */
  static readonly layerFromOutcomes: Layer.Layer<PrecedentSource, MigrationError | StorageError, EventStore | Storage> =
    Layer.effect(
      PrecedentSource,
      Effect.gen(function*() {
        const store = yield* EventStore
        const storage = yield* Storage
        yield* store.install(LearningModule)
        return {
          similar: (task, limit) =>
            Effect.gen(function*() {
              const query = words(task)
              if (query.size === 0 || limit <= 0) return []
              const rows = yield* storage.query<OutcomeRow>(
                sql`SELECT position, task, strategy, success, score, failure_mode FROM learning_outcomes
                    WHERE project = ${store.project} AND task IS NOT NULL
                    ORDER BY position DESC LIMIT ${OUTCOME_SCAN_LIMIT}`
              )
              return rows
                .map((r) => ({ r, score: jaccard(query, words(r.task)) }))
                .filter((x) => x.score > 0)
                .sort((a, b) => b.score - a.score || b.r.position - a.r.position)
                .slice(0, limit)
                .map(({ r, score }) => ({ id: `outcome:${r.position}`, summary: summaryOf(r), score }))
            }).pipe(Effect.mapError((e) => new PrecedentUnavailable({ reason: e.message })))
        }
      })
    )
}
