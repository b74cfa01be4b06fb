/** Outcome inputs for tests: a success takes 15 minutes cleanly (score 0.985), a failure scores 0.385. */
import type { OutcomeInput } from "@waggle/learning"

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

let next = 0

export const outcome = (
  success: boolean,
  fields: Partial<Omit<OutcomeInput, "success">> = {}
): OutcomeInput => ({
  cellId: `cell-${++next}`,
  durationMs: 15 * MINUTE,
  errorCount: 0,
  retryCount: 0,
  filesTouched: ["src/index.ts"],
  success,
  ...fields
})
