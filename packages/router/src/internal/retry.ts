import { Duration, Effect, Predicate, Schedule } from "effect"
import { type DurationLike, toDuration } from "./duration.js"

/** How long to wait between attempts: a named policy or any Schedule. */
export type RetryPolicy = "exponential" | "fixed" | Schedule.Schedule<unknown, unknown, never>

export interface RetryOptions {
  /** Delay policy; "exponential" (doubling from `delay`) by default. */
  readonly schedule?: RetryPolicy
  /** Total attempts, the first included (default 3). */
  readonly maxAttempts?: number
  /** The (first) delay for the named policies (default "100ms"). */
  readonly delay?: DurationLike
  /** Upper bound for any single delay. */
  readonly maxDelay?: DurationLike
  /**
   * Which failures are worth another attempt. By default every typed failure
   * except client errors (ValidationError, Unauthorized, Forbidden, NotFound,
   * Conflict). Defects and interruptions are never retried.
   */
  readonly retryOn?: (error: unknown) => boolean
}

export type RetryOption = RetryPolicy | RetryOptions

const CLIENT_ERRORS = new Set(["ValidationError", "Unauthorized", "Forbidden", "NotFound", "Conflict"])

/** The default `retryOn`: everything but client errors. */
export const isRetryable = (error: unknown): boolean =>
  !(Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" && CLIENT_ERRORS.has(error._tag))

export type Retrier = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/** Compiles retry options once, into a function that applies them to an effect. */
export const compileRetry = (option: RetryOption | undefined): Retrier | undefined => {
  if (option === undefined) return undefined
  const options: RetryOptions = typeof option === "string" || Schedule.isSchedule(option) ? { schedule: option } : option
  const maxAttempts = options.maxAttempts ?? 3
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer, got ${maxAttempts}`)
  }
  if (maxAttempts === 1) return undefined
  const delay = toDuration(options.delay ?? "100ms")
  const policy = options.schedule ?? "exponential"
  let delays: Schedule.Schedule<unknown, unknown, never> = policy === "fixed"
    ? Schedule.spaced(delay)
    : policy === "exponential"
    ? Schedule.exponential(delay, 2)
    : policy
  if (options.maxDelay !== undefined) {
    const max = toDuration(options.maxDelay)
    delays = Schedule.modifyDelay(delays, (_, d) => Duration.min(d, max))
  }
  const schedule = Schedule.intersect(delays, Schedule.recurs(maxAttempts - 1))
  const retryOn = options.retryOn ?? isRetryable
  return (self) => Effect.retry(self, { schedule, while: retryOn })
}
