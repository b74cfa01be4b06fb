/**
 * What the learning service tells about a pattern or strategy: its decayed evidence, maturity,
 * anti-pattern status, and history. Values that decay are computed at the time of the query.
 */
import { Schema } from "effect"
import { Name } from "@waggle/primitives"
import type { Maturity } from "./Maturity.js"

export type SubjectKind = "pattern" | "strategy"

export interface AntiPatternView {
  /** "AVOID: <name> (N% failure rate)", with the failure rate at inversion time. */
  readonly text: string
  readonly invertedAt: number
  readonly failureRateAtInversion: number
  /** Whether the current decayed evidence still meets the inversion rule. */
  readonly active: boolean
  /** The text with the current failure rate. */
  readonly current: string
}

export interface PatternView {
  readonly kind: SubjectKind
  readonly name: string
  /** Maturity from the evidence as of the query (decay included). */
  readonly maturity: Maturity
  /** The maturity of the last recorded transition (can lag `maturity` while evidence only ages). */
  readonly recordedMaturity: Maturity
  /** The maturity's weight multiplier (candidate 0.5, established 1, proven 1.5, deprecated 0). */
  readonly weight: number
  readonly observations: number
  readonly helpful: number
  readonly harmful: number
  readonly neutral: number
  readonly successes: number
  readonly failures: number
  readonly successRate: number
  readonly failureRate: number
  /** Raw number of observations, without decay. */
  readonly evidenceCount: number
  readonly firstSeenAt: number
  readonly lastEvidenceAt: number | null
  readonly validatedAt: number | null
  readonly maturityChangedAt: number | null
  /** When it first reached established (or proven): kept across later demotions. */
  readonly firstEstablishedAt: number | null
  /** When it first reached proven: kept across later demotions. */
  readonly firstProvenAt: number | null
  readonly antiPattern: AntiPatternView | null
}

export type HistoryEntry =
  | {
    readonly type: "evidence"
    readonly position: number
    readonly at: number
    readonly cellId: string | null
    readonly signal: "helpful" | "neutral" | "harmful"
    readonly success: boolean
    readonly score: number
  }
  | {
    readonly type: "maturity_changed"
    readonly position: number
    readonly at: number
    readonly from: Maturity
    readonly to: Maturity
    readonly observations: number
    readonly successRate: number
  }
  | { readonly type: "validated"; readonly position: number; readonly at: number }
  | {
    readonly type: "inverted"
    readonly position: number
    readonly at: number
    readonly antiPattern: string
    readonly failureRate: number
  }

export const PatternName = Name(500)
export const SubjectKindSchema = Schema.Literal("pattern", "strategy")

export const PatternRef = Schema.Struct({
  name: PatternName,
  kind: Schema.optional(SubjectKindSchema)
})
export type PatternRef = typeof PatternRef.Encoded

export const PatternQuery = Schema.Struct({
  kind: Schema.optional(SubjectKindSchema),
  maturity: Schema.optional(Schema.Literal("candidate", "established", "proven", "deprecated")),
  antiPatternsOnly: Schema.optional(Schema.Boolean),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000)))
})
export type PatternQuery = typeof PatternQuery.Encoded

export const PatternHistoryInput = Schema.Struct({
  ...PatternRef.fields,
  /** The latest this many entries (default 1000). */
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000)))
})
export type PatternHistoryInput = typeof PatternHistoryInput.Encoded
