/**
 * Durations as inputs: anything Effect's `Duration.decode` accepts (milliseconds, a `Duration`,
 * `"5 minutes"`, `[seconds, nanos]`), but never negative or NaN, which `Duration.decode` would
 * silently turn into zero.
 */
import { Duration, Option, Schema } from "effect"

const isDurationInput = (u: unknown): u is Duration.DurationInput => {
  if (typeof u === "number") return u >= 0
  if (typeof u === "bigint") return u >= 0n
  if (typeof u === "string" && u.trim().startsWith("-")) return false
  if (Array.isArray(u) && !(u.length === 2 && u.every((x) => typeof x === "number" && x >= 0 && Number.isFinite(x)))) {
    return false
  }
  return Option.isSome(Duration.decodeUnknown(u))
}

export const DurationInput = Schema.declare(isDurationInput, {
  identifier: "DurationInput",
  message: () => "a duration: milliseconds (>= 0), a Duration, or text such as \"30 seconds\""
})

/** A duration between `min` and `max` milliseconds (both inclusive). */
export const DurationBetween = (minMs: number, maxMs: number) =>
  DurationInput.pipe(Schema.filter((d) => {
    const ms = Duration.toMillis(Duration.decode(d))
    return (ms >= minMs && ms <= maxMs) || `must be between ${minMs} ms and ${maxMs === Infinity ? "infinity" : `${maxMs} ms`}`
  }))

export const toMillis = (d: Duration.DurationInput): number => Duration.toMillis(Duration.decode(d))
