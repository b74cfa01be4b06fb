/**
 * A recorded outcome: what a finished cell (task) reports. It is stored as an event, scored as
 * implicit feedback (see `FeedbackScore`) and becomes evidence for its strategy and every pattern
 * it names. `task` is a short summary of what was done, kept so that a precedent source can find
 * similar past tasks.
 */
import { Schema } from "effect"
import { BoundedText, Name } from "@waggle/primitives"
import type { Components, Signal } from "./FeedbackScore.js"
import type { Maturity } from "./Maturity.js"
import type { SubjectKind } from "./Pattern.js"
import { PatternName } from "./Pattern.js"
import { StrategyName } from "./Strategy.js"

const Count = Schema.Int.pipe(Schema.nonNegative())

export const OutcomeInput = Schema.Struct({
  cellId: Name(200),
  epicId: Schema.optional(Name(200)),
  /** A short summary of the task, for precedent search. */
  task: Schema.optional(BoundedText(2000)),
  strategy: Schema.optional(StrategyName),
  patterns: Schema.optional(Schema.Array(PatternName).pipe(Schema.maxItems(50))),
  durationMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  success: Schema.Boolean,
  errorCount: Count,
  retryCount: Count,
  filesTouched: Schema.Array(BoundedText(1000)).pipe(Schema.maxItems(10_000)),
  failureMode: Schema.optional(BoundedText(2000)),
  criteria: Schema.optional(
    Schema.Array(Schema.Struct({ criterion: BoundedText(1000), met: Schema.Boolean })).pipe(Schema.maxItems(100))
  )
})
export type OutcomeInput = typeof OutcomeInput.Encoded

export interface Transition {
  readonly kind: SubjectKind
  readonly name: string
  readonly from: Maturity
  readonly to: Maturity
}

export interface Inversion {
  readonly kind: SubjectKind
  readonly name: string
  readonly antiPattern: string
}

export interface OutcomeResult {
  /** The outcome event's position in the log: its id. */
  readonly position: number
  readonly recordedAt: number
  readonly score: number
  readonly signal: Signal
  readonly components: Components
  /** Maturity changes this outcome caused (each also an event). */
  readonly transitions: ReadonlyArray<Transition>
  /** Anti-patterns this outcome created (each also an event). */
  readonly inversions: ReadonlyArray<Inversion>
}
