/**
 * Decay and tiers, as pure functions of times in milliseconds.
 *
 * A memory's score is multiplied by
 *
 *     decay = 0.5 ^ (ageDays / halfLifeDays(confidence)),  halfLifeDays(c) = 90 × 2^(2c − 1)
 *
 * so the half-life is 90 days at confidence 0.5, 180 days at 1 and 45 days at 0: confident
 * knowledge fades more slowly. The age runs from the decay clock's start: the last `validate`, else
 * the memory's `validFrom`; for a query `asOf` a past time, the age is measured at that time.
 */

export const DAY_MS = 86_400_000
export const BASE_HALF_LIFE_DAYS = 90

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)

/** The half-life in days for a confidence in 0..1. */
export const halfLifeDays = (confidence: number): number => BASE_HALF_LIFE_DAYS * Math.pow(2, 2 * clamp01(confidence) - 1)

/** The score multiplier for a memory of `confidence` whose decay clock started `ageMs` ago (1 for ages ≤ 0). */
export const decayFactor = (ageMs: number, confidence: number): number =>
  ageMs <= 0 ? 1 : Math.pow(0.5, ageMs / DAY_MS / halfLifeDays(confidence))

/** Where a memory's decay clock starts: its last validation, else when it became valid. */
export const decayStart = (memory: { readonly validFrom: number; readonly validatedAt: number | null }): number =>
  Math.max(memory.validFrom, memory.validatedAt ?? 0)

export type Tier = "hot" | "warm" | "cold"

export const HOT_DAYS = 7
export const WARM_DAYS = 30

/**
 * How recently a memory was touched (read by `get`/`find`, validated, or stored): hot within 7
 * days, warm within 30, cold after that.
 */
export const tierOf = (lastTouched: number, now: number): Tier => {
  const days = (now - lastTouched) / DAY_MS
  return days <= HOT_DAYS ? "hot" : days <= WARM_DAYS ? "warm" : "cold"
}
