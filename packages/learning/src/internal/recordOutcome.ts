/**
 * Recording an outcome, in one transaction: check the strategy, append the outcome (its projection
 * adds the evidence), then re-evaluate every subject it touched and append the maturity
 * transitions and inversions that the new evidence calls for.
 */
import { Effect } from "effect"
import type { EventStoreService, StorageError } from "@waggle/primitives"
import * as FeedbackScore from "../FeedbackScore.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import { UnknownStrategy } from "../LearningErrors.js"
import type { Inversion, OutcomeInput, OutcomeResult, Transition } from "../Outcome.js"
import type { SubjectKind } from "../Pattern.js"
import { cellStream, OutcomeRecorded, subjectStream } from "./events.js"
import { appendOwn } from "./queryable.js"
import { listStrategies } from "./strategies.js"
import type { Subject } from "./subjects.js"
import { decide, fresh, loadSubjects } from "./subjects.js"

type Decoded = typeof OutcomeInput.Type

export const recordOutcome = (
  store: EventStoreService,
  config: LearningConfigShape,
  o: Decoded
): Effect.Effect<OutcomeResult, UnknownStrategy | StorageError> => {
  const patterns = [...new Set(o.patterns ?? [])]
  const scored = FeedbackScore.score(o, config.scoring)
  return store.transact((tx) =>
    Effect.gen(function*() {
      if (o.strategy !== undefined) {
        const known = yield* listStrategies(tx, tx.project)
        if (!known.some((s) => s.name === o.strategy)) {
          return yield* new UnknownStrategy({ strategy: o.strategy, known: known.map((s) => s.name) })
        }
      }
      const now = tx.now
      const strategies = yield* loadSubjects(tx, tx.project, "strategy", o.strategy === undefined ? [] : [o.strategy], now, config)
      const patternSubjects = yield* loadSubjects(tx, tx.project, "pattern", patterns, now, config)
      const appended = yield* appendOwn(tx, cellStream(o.cellId), OutcomeRecorded.make({
        cellId: o.cellId,
        epicId: o.epicId ?? null,
        task: o.task ?? null,
        strategy: o.strategy ?? null,
        patterns,
        durationMs: o.durationMs,
        success: o.success,
        errorCount: o.errorCount,
        retryCount: o.retryCount,
        filesTouched: [...o.filesTouched],
        failureMode: o.failureMode ?? null,
        criteria: o.criteria === undefined ? null : o.criteria.map((c) => ({ criterion: c.criterion, met: c.met })),
        score: scored.score,
        signal: scored.signal,
        components: scored.components
      }))

      const observation = { at: now, signal: scored.signal, success: o.success }
      const touched: Array<readonly [SubjectKind, string, Subject | undefined]> = [
        ...(o.strategy === undefined ? [] : [["strategy", o.strategy, strategies.get(o.strategy)] as const]),
        ...patterns.map((p) => ["pattern", p, patternSubjects.get(p)] as const)
      ]
      const transitions: Array<Transition> = []
      const inversions: Array<Inversion> = []
      for (const [kind, name, stored] of touched) {
        const before = stored ?? fresh(kind, name, now)
        const decision = decide({ row: before.row, evidence: [...before.evidence, observation] }, now, config)
        if (decision.events.length === 0) continue
        yield* appendOwn(tx, subjectStream(kind, name), decision.events)
        if (decision.transition !== null) transitions.push({ kind, name, ...decision.transition })
        if (decision.inversion !== null) inversions.push({ kind, name, antiPattern: decision.inversion })
      }
      return {
        position: appended.position,
        recordedAt: now,
        score: scored.score,
        signal: scored.signal,
        components: scored.components,
        transitions,
        inversions
      }
    })
  )
}
