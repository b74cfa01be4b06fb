/** A schema for durations given by callers: anything `Duration.decode` accepts, bounded, as milliseconds. */
import { Duration, Option, ParseResult, Schema } from "effect"

/**
 * A `Duration.DurationInput` (`"30 seconds"`, a number of milliseconds, a `Duration`) between `min`
 * and `max` inclusive, decoded to whole milliseconds (rounded up).
 */
export const Millis = (min: Duration.DurationInput, max: Duration.DurationInput) => {
  const lo = Duration.toMillis(min)
  const hi = Duration.toMillis(max)
  const message = `must be a duration between ${Duration.format(min)} and ${Duration.format(max)}`
  return Schema.transformOrFail(Schema.Unknown, Schema.Number, {
    strict: true,
    decode: (input, _, ast) => {
      // Negative numbers would decode to zero: refuse them instead.
      const invalid = (typeof input === "number" && (!Number.isFinite(input) || input < 0)) ||
        (typeof input === "bigint" && input < 0n)
      const duration = invalid ? Option.none() : Duration.decodeUnknown(input)
      const ms = Option.map(duration, Duration.toMillis)
      return Option.isSome(ms) && ms.value >= lo && ms.value <= hi
        ? ParseResult.succeed(Math.ceil(ms.value))
        : ParseResult.fail(new ParseResult.Type(ast, input, message))
    },
    encode: (ms) => ParseResult.succeed(ms)
  })
}
