/** The schemas of the mailbox's public inputs, decoded at the boundary (see `DurableMailbox`). */
import { Duration, Option, ParseResult, Schema } from "effect"
import { BoundedText, Name, Text } from "../../Text.js"
import { Importance } from "./events.js"

export const AgentName = Name(200)
export const MessageId = Name(200)
export const ThreadId = Name(200)
export const Subject = BoundedText(200)
/** Bodies may be empty; at most 64 KiB of UTF-8. */
export const MAX_BODY_BYTES = 64 * 1024
export const Body = Text.pipe(
  Schema.filter((s) => Buffer.byteLength(s, "utf8") <= MAX_BODY_BYTES, {
    message: () => `must be at most ${MAX_BODY_BYTES} bytes of UTF-8`
  })
)
export const MAX_RECIPIENTS = 100

const finiteNonNegative = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0

/** `Duration.decode` turns negative, NaN and infinite numbers into zero or infinity: refuse them instead. */
const plausible = (input: unknown): boolean =>
  typeof input === "number"
    ? finiteNonNegative(input)
    : typeof input === "bigint"
    ? input >= 0n
    : typeof input === "string"
    ? !input.trimStart().startsWith("-")
    : Array.isArray(input)
    ? input.every(finiteNonNegative)
    : Duration.isDuration(input) && Duration.isFinite(input)

/** A `Duration.DurationInput` (`"30 seconds"`, milliseconds, a `Duration`) between `min` and `max`, as milliseconds. */
export const Millis = (min: Duration.DurationInput, max: Duration.DurationInput) => {
  const lo = Duration.toMillis(min)
  const hi = Duration.toMillis(max)
  return Schema.transformOrFail(Schema.Unknown, Schema.Number, {
    strict: true,
    decode: (input, _, ast) => {
      const duration = plausible(input) ? Duration.decodeUnknown(input) : Option.none()
      const ms = Option.map(duration, Duration.toMillis)
      return Option.isSome(ms) && ms.value >= lo && ms.value <= hi
        ? ParseResult.succeed(Math.ceil(ms.value))
        : ParseResult.fail(
          new ParseResult.Type(ast, input, `must be a duration between ${Duration.format(min)} and ${Duration.format(max)}`)
        )
    },
    encode: (ms) => ParseResult.succeed(ms)
  })
}

export const SendInput = Schema.Struct({
  from: AgentName,
  to: Schema.Array(AgentName).pipe(Schema.minItems(1), Schema.maxItems(MAX_RECIPIENTS)),
  subject: Subject,
  body: Body,
  thread: Schema.optional(ThreadId),
  importance: Schema.optional(Importance),
  ackRequired: Schema.optional(Schema.Boolean)
})

/**
 * The arguments of each operation as one struct (positional arguments by name, options under
 * `options`), so that one decode reports every bad field with its path, e.g. `options.limit`.
 */
export const ReceiveArgs = Schema.Struct({
  agent: AgentName,
  options: Schema.Struct({
    visibilityTimeout: Millis(Duration.millis(1), Duration.hours(12)),
    consumer: Schema.optional(AgentName),
    wait: Schema.optional(Millis(Duration.zero, Duration.hours(24)))
  })
})

export const AckArgs = Schema.Struct({
  agent: AgentName,
  messageId: MessageId,
  receipt: Schema.optional(Name(200))
})

export const Limit = (max: number) => Schema.Int.pipe(Schema.between(1, max))

export const InboxArgs = Schema.Struct({
  agent: AgentName,
  options: Schema.Struct({
    unreadOnly: Schema.optional(Schema.Boolean),
    urgentOnly: Schema.optional(Schema.Boolean),
    includeBodies: Schema.optional(Schema.Boolean),
    limit: Schema.optional(Limit(1000))
  })
})

export const ReadArgs = Schema.Struct({ agent: AgentName, messageId: MessageId })

export const ThreadArgs = Schema.Struct({
  thread: ThreadId,
  options: Schema.Struct({ limit: Schema.optional(Limit(10_000)) })
})

export const WaitArgs = Schema.Struct({
  agent: AgentName,
  options: Schema.Struct({
    timeout: Millis(Duration.zero, Duration.hours(24)),
    urgentOnly: Schema.optional(Schema.Boolean),
    includeBodies: Schema.optional(Schema.Boolean),
    limit: Schema.optional(Limit(1000))
  })
})
