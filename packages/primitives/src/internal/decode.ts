import { Effect, Either, ParseResult, Schema } from "effect"
import { InvalidInput } from "../Errors.js"

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("")

/** The issues of a parse error as `{ path, message }` pairs, paths written like `to[2]` or `ttl.ms`. */
export const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<{ path: string; message: string }> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message
  }))

/**
 * A decoder for an operation's input: unknown in, the schema's type out, or `InvalidInput` naming
 * the operation and every bad field. Excess properties are errors, so typos do not pass silently.
 */
export const decoderFor = <A, I>(schema: Schema.Schema<A, I, never>, operation: string) => {
  const decode = syncDecoderFor(schema, operation)
  return (input: unknown): Effect.Effect<A, InvalidInput> => Effect.suspend(() => decode(input))
}

/** The same decoder, synchronous: for hot paths that validate before entering an Effect. */
export const syncDecoderFor = <A, I>(schema: Schema.Schema<A, I, never>, operation: string) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })
  return (input: unknown): Either.Either<A, InvalidInput> =>
    Either.mapLeft(decode(input), (error) => new InvalidInput({ operation, issues: issuesOf(error) }))
}
