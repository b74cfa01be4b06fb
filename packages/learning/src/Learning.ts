/**
 * The learning service: outcomes in, insights out. Every recorded outcome is an event whose
 * evidence feeds the next `insights` call: its strategy's posterior, its patterns' maturity, the
 * anti-patterns to avoid, and the precedent a `PrecedentSource` can find.
 */
import { Clock, Context, Effect, Layer } from "effect"
import { decoderFor, EventStore, Storage } from "@waggle/primitives"
import type { InvalidInput, MigrationError, StorageError } from "@waggle/primitives"
import type { Insights } from "./Insights.js"
import { InsightsInput } from "./Insights.js"
import { LearningConfig } from "./LearningConfig.js"
import type { UnknownStrategy } from "./LearningErrors.js"
import { PatternNotFound, StrategyExists } from "./LearningErrors.js"
import type { OutcomeResult } from "./Outcome.js"
import { OutcomeInput } from "./Outcome.js"
import type { HistoryEntry, PatternView } from "./Pattern.js"
import { PatternHistoryInput, PatternQuery, PatternRef } from "./Pattern.js"
import { PrecedentSource } from "./PrecedentSource.js"
import { RandomSource } from "./RandomSource.js"
import type { StrategyInfo } from "./Strategy.js"
import { RegisterStrategyInput } from "./Strategy.js"
import type { StrategyStats } from "./StrategyStats.js"
import { DEFAULT_WINDOW_MS, DEFAULT_WINDOWS, StrategyStatsInput } from "./StrategyStats.js"
import { StrategyRegistered, strategyStream } from "./internal/events.js"
import { subjectHistory } from "./internal/history.js"
import { buildInsights } from "./internal/insights.js"
import { LearningModule } from "./internal/module.js"
import { appendOwn } from "./internal/queryable.js"
import { recordOutcome } from "./internal/recordOutcome.js"
import { strategyStats } from "./internal/stats.js"
import { listStrategies } from "./internal/strategies.js"
import { findSubject, validate } from "./internal/validate.js"
import { byStrength, loadSubjects, view } from "./internal/subjects.js"

export interface LearningService {
  /** Stores the outcome, scores it, and applies the maturity transitions and inversions it causes. */
  readonly recordOutcome: (input: OutcomeInput) => Effect.Effect<OutcomeResult, InvalidInput | UnknownStrategy | StorageError>
  /** What the next decomposition of `task` is told: strategy, confidence, reasoning, anti-patterns, precedent. */
  readonly insights: (
    task: string,
    options?: { readonly precedentLimit?: number }
  ) => Effect.Effect<Insights, InvalidInput | StorageError>
  /** Patterns (or strategies) as of now, strongest evidence first. */
  readonly patterns: (query?: PatternQuery) => Effect.Effect<ReadonlyArray<PatternView>, InvalidInput | StorageError>
  readonly pattern: (ref: PatternRef) => Effect.Effect<PatternView, InvalidInput | PatternNotFound | StorageError>
  /** Evidence, transitions, validations and inversion of one pattern, oldest first (latest `limit`, default 1000). */
  readonly patternHistory: (
    ref: PatternHistoryInput
  ) => Effect.Effect<ReadonlyArray<HistoryEntry>, InvalidInput | PatternNotFound | StorageError>
  /** Confirms a pattern still holds: its evidence ages from now on (and its maturity may change). */
  readonly validatePattern: (ref: PatternRef) => Effect.Effect<PatternView, InvalidInput | PatternNotFound | StorageError>
  /** Success rates per strategy over consecutive windows ending now (default 4 windows of 7 days). */
  readonly strategyStats: (window?: StrategyStatsInput) => Effect.Effect<ReadonlyArray<StrategyStats>, InvalidInput | StorageError>
  /** Adds a strategy that outcomes may name and insights may recommend. Registering the same one again is a no-op. */
  readonly registerStrategy: (input: RegisterStrategyInput) => Effect.Effect<StrategyInfo, InvalidInput | StrategyExists | StorageError>
  readonly strategies: Effect.Effect<ReadonlyArray<StrategyInfo>, StorageError>
}

const decodeOutcome = decoderFor(OutcomeInput, "Learning.recordOutcome")
const decodeInsights = decoderFor(InsightsInput, "Learning.insights")
const decodeQuery = decoderFor(PatternQuery, "Learning.patterns")
const decodeRef = decoderFor(PatternRef, "Learning.pattern")
const decodeHistoryRef = decoderFor(PatternHistoryInput, "Learning.patternHistory")
const decodeValidate = decoderFor(PatternRef, "Learning.validatePattern")
const decodeStats = decoderFor(StrategyStatsInput, "Learning.strategyStats")
const decodeRegister = decoderFor(RegisterStrategyInput, "Learning.registerStrategy")

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  const config = yield* LearningConfig
  const random = yield* RandomSource
  const precedent = yield* PrecedentSource
  yield* store.install(LearningModule)
  const project = store.project
  const insightsDeps = { db: storage, project, config, random, precedent }

  const service: LearningService = {
    recordOutcome: (input) => Effect.flatMap(decodeOutcome(input), (o) => recordOutcome(store, config, o)),

    insights: (task, options = {}) =>
      Effect.gen(function*() {
        const i = yield* decodeInsights({ task, ...options })
        const now = yield* Clock.currentTimeMillis
        return yield* buildInsights(insightsDeps, i.task, i.precedentLimit ?? config.insights.precedentLimit, now)
      }),

    patterns: (query = {}) =>
      Effect.gen(function*() {
        const q = yield* decodeQuery(query)
        const now = yield* Clock.currentTimeMillis
        const kinds = q.kind === undefined ? (["pattern", "strategy"] as const) : [q.kind]
        const views: Array<PatternView> = []
        for (const kind of kinds) {
          const subjects = yield* loadSubjects(storage, project, kind, undefined, now, config)
          for (const s of subjects.values()) views.push(view(s, now, config))
        }
        return views
          .filter((v) => q.maturity === undefined || v.maturity === q.maturity)
          .filter((v) => q.antiPatternsOnly !== true || v.antiPattern?.active === true)
          .sort(byStrength)
          .slice(0, q.limit ?? 1000)
      }),

    pattern: (ref) =>
      Effect.gen(function*() {
        const r = yield* decodeRef(ref)
        const now = yield* Clock.currentTimeMillis
        const subject = yield* findSubject(storage, project, r.kind ?? "pattern", r.name, now, config)
        return view(subject, now, config)
      }),

    patternHistory: (ref) =>
      Effect.gen(function*() {
        const r = yield* decodeHistoryRef(ref)
        const kind = r.kind ?? "pattern"
        const history = yield* subjectHistory(storage, project, kind, r.name, r.limit ?? 1000)
        // A subject is created with the evidence of its first outcome: no history, no subject.
        return history.length > 0 ? history : yield* new PatternNotFound({ kind, name: r.name })
      }),

    validatePattern: (ref) =>
      Effect.flatMap(decodeValidate(ref), (r) => validate(store, config, r.kind ?? "pattern", r.name)),

    strategyStats: (window = {}) =>
      Effect.gen(function*() {
        const w = yield* decodeStats(window)
        const now = yield* Clock.currentTimeMillis
        return yield* strategyStats(storage, project, now, w.windowMs ?? DEFAULT_WINDOW_MS, w.windows ?? DEFAULT_WINDOWS, config)
      }),

    registerStrategy: (input) =>
      Effect.gen(function*() {
        const r = yield* decodeRegister(input)
        const keywords = [...new Set(r.keywords ?? [])]
        return yield* store.transact((tx) =>
          Effect.gen(function*() {
            const existing = (yield* listStrategies(tx, tx.project)).find((s) => s.name === r.name)
            if (existing !== undefined) {
              const same = !existing.builtin && existing.description === r.description &&
                JSON.stringify(existing.keywords) === JSON.stringify(keywords)
              if (same) return existing
              return yield* new StrategyExists({ strategy: r.name })
            }
            yield* appendOwn(tx, strategyStream(r.name), StrategyRegistered.make({ name: r.name, description: r.description, keywords }))
            return { name: r.name, description: r.description, keywords, builtin: false, registeredAt: tx.now }
          })
        )
      }),

    strategies: listStrategies(storage, project)
  }
  return service
})

export class Learning extends Context.Tag("@waggle/learning/Learning")<Learning, LearningService>() {
  /** The learning service on the event store; installs the learning module. */
  static readonly layer: Layer.Layer<
    Learning,
    MigrationError | StorageError,
    EventStore | Storage | LearningConfig | RandomSource | PrecedentSource
  > = Layer.effect(Learning, make)
}
