import { Duration } from "effect"

/**
 * A duration as written in route and step options: Effect's `DurationInput`
 * ("30 seconds", a number of milliseconds, a `Duration`) or the short form
 * "250ms", "30s", "5m", "1h".
 */
export type DurationLike = Duration.DurationInput | `${number}${"ms" | "s" | "m" | "h"}`

const SHORT = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/
const UNIT: Record<string, Duration.Unit> = { ms: "millis", s: "seconds", m: "minutes", h: "hours" }

/** Parses a {@link DurationLike}; throws on malformed input (a programming error). */
export const toDuration = (input: DurationLike): Duration.Duration => {
  if (typeof input === "string") {
    const short = SHORT.exec(input.trim())
    if (short !== null) return Duration.decode(`${Number(short[1])} ${UNIT[short[2]!]!}` as Duration.DurationInput)
  }
  const decoded = Duration.decodeUnknown(input)
  if (decoded._tag === "None") throw new TypeError(`Invalid duration: ${String(input)}`)
  return decoded.value
}

/** "30s", "250ms", "1m 30s" — the form errors carry. */
export const formatDuration = (duration: Duration.Duration): string => Duration.format(duration)
