/** Per-strategy success rates over time windows, plus all-time and decayed figures. */
import { Schema } from "effect"
import type { Maturity } from "./Maturity.js"

export interface WindowStats {
  /** The window is (from, to]: after `from`, up to and including `to`. */
  readonly from: number
  readonly to: number
  readonly outcomes: number
  readonly successes: number
  /** successes / outcomes, or null without outcomes. */
  readonly successRate: number | null
  readonly meanScore: number | null
}

export interface StrategyStats {
  readonly strategy: string
  readonly builtin: boolean
  /** Oldest window first; the last one ends now. */
  readonly windows: ReadonlyArray<WindowStats>
  readonly total: { readonly outcomes: number; readonly successes: number; readonly successRate: number | null }
  readonly decayed: { readonly observations: number; readonly successRate: number | null }
  readonly maturity: Maturity
}

const YEAR_MS = 366 * 86_400_000

export const StrategyStatsInput = Schema.Struct({
  /** Window length in milliseconds (default 7 days). */
  windowMs: Schema.optional(Schema.Int.pipe(Schema.between(1, 10 * YEAR_MS))),
  /** Number of consecutive windows ending now (default 4). */
  windows: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})
export type StrategyStatsInput = typeof StrategyStatsInput.Encoded

export const DEFAULT_WINDOW_MS = 7 * 86_400_000
export const DEFAULT_WINDOWS = 4
