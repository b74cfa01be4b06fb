/**
 * The errors a route can fail with, and how HTTP adapters map them to status codes.
 */
import { ParseResult, Predicate, Schema } from "effect"

/** One bad field of an input: where it is and what is wrong with it. */
export const ValidationIssue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})
export type ValidationIssue = typeof ValidationIssue.Type

/** The input did not match the route's input schema (HTTP 400). */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", {
  route: Schema.String,
  issues: Schema.Array(ValidationIssue)
}) {
  override get message(): string {
    const issues = this.issues.map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
    )
    return `Invalid input for ${this.route}: ${issues.join("; ")}`
  }

  /** Builds a ValidationError from a schema ParseError, one issue per bad field. */
  static fromParseError(route: string, error: ParseResult.ParseError): ValidationError {
    const all = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
      path: issue.path.map((key) => (typeof key === "number" ? key : String(key))),
      message: issue.message
    }))
    // An optional field that is present but wrong also reports "Expected undefined" (the
    // other member of its union): keep only the issues about what was meant.
    const issues = all.filter((issue) =>
      !(issue.message.startsWith("Expected undefined, actual") &&
        all.some((other) => other !== issue && startsWith(other.path, issue.path)))
    )
    return new ValidationError({ route, issues })
  }
}

const startsWith = (path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>) =>
  path.length >= prefix.length && prefix.every((key, i) => path[i] === key)

/** The route (or a stream, between two items) took longer than its timeout (HTTP 504). */
export class RouteTimeout extends Schema.TaggedError<RouteTimeout>()("RouteTimeout", {
  route: Schema.String,
  timeout: Schema.String
}) {
  override get message(): string {
    return `${this.route} timed out after ${this.timeout}`
  }
}

const message = (fallback: string) => Schema.optionalWith(Schema.String, { default: () => fallback })

/** The caller is not authenticated (HTTP 401). */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  message: message("Unauthorized")
}) {}

/** The caller is authenticated but not allowed (HTTP 403). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  message: message("Forbidden")
}) {}

/** A resource (or a route) does not exist (HTTP 404). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  message: message("Not found"),
  resource: Schema.optional(Schema.String)
}) {}

/** The request conflicts with the current state (HTTP 409). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  message: message("Conflict")
}) {}

/** The request body is larger than the adapter accepts (HTTP 413). */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  message: message("Payload too large"),
  maxBytes: Schema.Number
}) {}

/** What adapters answer for defects and undeclared failures (HTTP 500); never carries a stack. */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", {
  message: message("Internal error")
}) {}

/** The errors every route can fail with, on top of its own. */
export type RouteFailure = ValidationError | RouteTimeout

const STATUS: Readonly<Record<string, number>> = {
  ValidationError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  RouteTimeout: 504
}

/** The HTTP status for a failure: by `_tag`, 500 for anything else. */
export const statusOf = (error: unknown): number =>
  Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" ? STATUS[error._tag] ?? 500 : 500

/** The JSON shape of an error on the wire. */
export interface ErrorBody {
  readonly _tag: string
  readonly message: string
  readonly [field: string]: unknown
}

const isSchemaClass = (value: unknown): value is Schema.Schema<unknown, unknown, never> =>
  Predicate.isFunction(value) && Schema.isSchema(value)

/**
 * Encodes a failure for the wire: a schema-backed tagged error (such as the ones
 * above or your own `Schema.TaggedError`) is encoded with its own schema; any other
 * tagged error gives only `_tag` and `message`; anything else is an InternalError.
 * Stacks and causes are never included.
 */
export const toErrorBody = (error: unknown): ErrorBody => {
  if (!Predicate.hasProperty(error, "_tag") || typeof error._tag !== "string") {
    return { _tag: "InternalError", message: "Internal error" }
  }
  const text = Predicate.hasProperty(error, "message") && typeof error.message === "string" ? error.message : error._tag
  const ctor = (error as { constructor?: unknown }).constructor
  if (isSchemaClass(ctor)) {
    const encoded = Schema.encodeUnknownEither(ctor)(error)
    if (encoded._tag === "Right" && Predicate.isRecord(encoded.right)) {
      return { _tag: error._tag, message: text, ...encoded.right }
    }
  }
  return { _tag: error._tag, message: text }
}
