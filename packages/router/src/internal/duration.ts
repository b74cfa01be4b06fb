import { Duration } from "effect"

/**
 * A duration as written in route and step options: Effect's `DurationInput`
 * ("30 seconds", a number of milliseconds, a `Duration`) or the short form
 * "250ms", "30s", "5m", "1h".
 */
export type DurationLike = Duration.DurationInput | `${number}${"ms" | "s" | "m" | "h"}`

const SHORT = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/
const UNIT: Record<string, (n: number) => Duration.Duration> = {
  ms: Duration.millis,
  s: Duration.seconds,
  m: Duration.minutes,
  h: Duration.hours
}

/** Parses a {@link DurationLike}; throws on malformed input (a programming error). */
export const toDuration = (input: DurationLike): Duration.Duration => {
  if (typeof input === "string") {
    const short = SHORT.exec(input.trim())
    if (short !== null) return UNIT[short[2]!]!(Number(short[1]))
  }
  const decoded = Duration.decodeUnknown(input)
  if (decoded._tag === "None") throw new TypeError(`Invalid duration: ${String(input)}`)
  return decoded.value
}
