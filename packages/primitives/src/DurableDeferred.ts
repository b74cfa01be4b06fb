/**
 * Durable deferreds: a one-shot value that any process can complete and any process can wait for,
 * through the database. `create` gives an opaque token (`deferred:` + 128 random bits, a bearer
 * capability: whoever holds it may complete or await the deferred); hand it to whoever will answer.
 *
 * - The first completion wins: `resolve` (with a JSON value) or `reject` (with a reason) is a
 *   compare-and-set in one transaction; a second completion fails with `AlreadyCompleted` naming the
 *   state that stands, and changes nothing.
 * - Every deferred has a TTL. It expires at `createdAt + ttl` (the creating process's clock):
 *   from that instant on (inclusive) it cannot be completed (`AlreadyCompleted { state: "expired" }`)
 *   and awaiting it fails with `DeferredTimeout { expired: true }`. A completion recorded before
 *   the expiry stands forever, so awaiting it later still gives the value or the rejection.
 *   Expiry is not an event: nothing has to run at that moment; readers compare `expires_at` with
 *   their clock (the clocks of different processes should agree to within the precision you need).
 * - `await` waits in this process for a completion made here or in any other process: it
 *   subscribes to the change feed before its first look, so no completion is missed, and fails
 *   with `DeferredTimeout { expired: false }` when its own `timeout` passes first (without a
 *   timeout it waits until the deferred expires).
 *
 * Tokens are per project: a token of another project is `DeferredNotFound`. Rows of completed or
 * expired deferreds are kept (they are the log's projection).
 */
import { Clock, Context, Duration, Effect, Layer, Queue, Schema } from "effect"
import type { ParseResult } from "effect"
import type { InvalidInput, MigrationError, StorageError } from "./Errors.js"
import { AlreadyCompleted, DeferredNotFound, DeferredRejected, DeferredTimeout } from "./Errors.js"
import type { EventInput } from "./Event.js"
import type { EventTx } from "./EventStore.js"
import { EventStore } from "./EventStore.js"
import { sql } from "./Sql.js"
import { Storage } from "./Storage.js"
import { decoderFor } from "./internal/decode.js"
import { DurationBetween, toMillis } from "./internal/deferred/duration.js"
import { DeferredCreated, DeferredRejected as DeferredRejectedEvent, DeferredResolved, Reason } from "./internal/deferred/events.js"
import { BoundedJsonValue } from "./internal/deferred/json.js"
import { DeferredModule } from "./internal/deferred/module.js"
import { DeferredToken, idOf, newId, tokenOf } from "./internal/deferred/token.js"

export { DeferredModule } from "./internal/deferred/module.js"
export { DeferredToken } from "./internal/deferred/token.js"

/** Longest TTL accepted: one year. */
export const MAX_DEFERRED_TTL_MS = 366 * 24 * 60 * 60 * 1000

const CreateInput = Schema.Struct({ ttl: DurationBetween(1, MAX_DEFERRED_TTL_MS) })
const ResolveInput = Schema.Struct({ token: DeferredToken, value: BoundedJsonValue })
const RejectInput = Schema.Struct({ token: DeferredToken, reason: Reason })
const AwaitInput = Schema.Struct({ token: DeferredToken, timeout: Schema.optional(DurationBetween(0, Infinity)) })

export interface DeferredCreateOptions {
  /** How long the deferred can be completed: milliseconds, a `Duration` or `"10 minutes"` (at most a year). */
  readonly ttl: Duration.DurationInput
}

export interface DeferredAwaitOptions<A, I> {
  /** How long to wait at most (default: until the deferred expires). 0 looks once. */
  readonly timeout?: Duration.DurationInput
  /** Decodes the resolved value; a value that does not match fails with its `ParseError`. */
  readonly schema?: Schema.Schema<A, I, never>
}

interface Times {
  readonly token: DeferredToken
  readonly createdAt: number
  readonly expiresAt: number
}

/** A deferred as it stands now. */
export type DeferredStatus =
  | Times & { readonly state: "pending" | "expired" }
  | Times & { readonly state: "resolved"; readonly value: unknown; readonly completedAt: number }
  | Times & { readonly state: "rejected"; readonly reason: string; readonly completedAt: number }

export type DeferredCompleteError = InvalidInput | DeferredNotFound | AlreadyCompleted | StorageError
export type DeferredAwaitError = InvalidInput | DeferredNotFound | DeferredRejected | DeferredTimeout | StorageError

export interface DurableDeferredService {
  /** A new pending deferred, expiring after `ttl`; returns its token. */
  readonly create: (options: DeferredCreateOptions) => Effect.Effect<DeferredToken, InvalidInput | StorageError>
  /** Completes the deferred with a JSON value (plain objects, arrays, strings, finite numbers, booleans, null). */
  readonly resolve: (token: string, value: unknown) => Effect.Effect<void, DeferredCompleteError>
  /** Completes the deferred as failed; awaiters get `DeferredRejected` with this reason. */
  readonly reject: (token: string, reason: string) => Effect.Effect<void, DeferredCompleteError>
  /** Waits for the completion: its value, or `DeferredRejected`, or `DeferredTimeout`. */
  readonly await: <A = unknown, I = unknown>(
    token: string,
    options?: DeferredAwaitOptions<A, I>
  ) => Effect.Effect<A, DeferredAwaitError | ParseResult.ParseError>
  /** The deferred's state now, without waiting. */
  readonly status: (token: string) => Effect.Effect<DeferredStatus, InvalidInput | DeferredNotFound | StorageError>
}

interface Row {
  readonly state: "pending" | "resolved" | "rejected"
  readonly created_at: number
  readonly expires_at: number
  readonly completed_at: number | null
  readonly value: string | null
  readonly reason: string | null
}

const make = Effect.gen(function*() {
  const store = yield* EventStore
  const storage = yield* Storage
  yield* store.install(DeferredModule)
  const decodeCreate = decoderFor(CreateInput, "DurableDeferred.create")
  const decodeResolve = decoderFor(ResolveInput, "DurableDeferred.resolve")
  const decodeReject = decoderFor(RejectInput, "DurableDeferred.reject")
  const decodeAwait = decoderFor(AwaitInput, "DurableDeferred.await")
  const decodeStatus = decoderFor(Schema.Struct({ token: DeferredToken }), "DurableDeferred.status")

  const rowStatement = (token: DeferredToken) =>
    sql`SELECT state, created_at, expires_at, completed_at, value, reason FROM deferreds
        WHERE project = ${store.project} AND id = ${idOf(token)}`

  /** Appends one of our own events; its failures other than storage are bugs (the input was decoded). */
  const appendOwn = (tx: EventTx, token: DeferredToken, event: EventInput, expectedVersion: number | "no_stream") =>
    tx.append(token, event, { expectedVersion }).pipe(
      Effect.catchTags({
        InvalidInput: (e) => Effect.die(e),
        UnknownEventType: (e) => Effect.die(e),
        StreamVersionConflict: (e) => Effect.die(e)
      })
    )

  /** Compare-and-set: completes the deferred only if it is pending and not expired at `tx.now`. */
  const complete = (token: DeferredToken, event: EventInput) =>
    store.transact((tx) =>
      Effect.gen(function*() {
        const row = yield* tx.queryOne<Row>(rowStatement(token))
        if (row === undefined) return yield* new DeferredNotFound({ token })
        if (row.state !== "pending") return yield* new AlreadyCompleted({ token, state: row.state })
        if (tx.now >= row.expires_at) return yield* new AlreadyCompleted({ token, state: "expired" })
        // The stream holds exactly the creation event while the deferred is pending.
        yield* appendOwn(tx, token, event, 1)
      })
    )

  const statusOf = (token: DeferredToken, row: Row, now: number): DeferredStatus => {
    const times = { token, createdAt: row.created_at, expiresAt: row.expires_at }
    switch (row.state) {
      case "resolved":
        return { ...times, state: "resolved", value: JSON.parse(row.value!), completedAt: row.completed_at! }
      case "rejected":
        return { ...times, state: "rejected", reason: row.reason!, completedAt: row.completed_at! }
      case "pending":
        return { ...times, state: now >= row.expires_at ? "expired" : "pending" }
    }
  }

  const awaitDeferred = <A, I>(token: string, options: DeferredAwaitOptions<A, I> = {}) =>
    Effect.scoped(Effect.gen(function*() {
      const { schema, ...rest } = options
      const input = yield* decodeAwait({ token, ...rest })
      const limit = input.timeout === undefined ? Infinity : toMillis(input.timeout)
      // Subscribe before the first look: a completion committed after it ticks the queue.
      const ticks = yield* storage.subscribe
      const start = yield* Clock.currentTimeMillis
      while (true) {
        const row = yield* storage.queryOne<Row>(rowStatement(input.token))
        if (row === undefined) return yield* new DeferredNotFound({ token: input.token })
        const now = yield* Clock.currentTimeMillis
        const status = statusOf(input.token, row, now)
        switch (status.state) {
          case "resolved":
            return schema === undefined ? (status.value as A) : yield* Schema.decodeUnknown(schema)(status.value)
          case "rejected":
            return yield* new DeferredRejected({ token: input.token, reason: status.reason })
          case "expired":
            return yield* new DeferredTimeout({ token: input.token, waitedMs: now - start, expired: true })
          case "pending": {
            if (now - start >= limit) {
              return yield* new DeferredTimeout({ token: input.token, waitedMs: now - start, expired: false })
            }
            // Capped, so that a lost tick (or a change feed that only polls) delays, never stalls.
            const wait = Math.min(status.expiresAt - now, start + limit - now, 1000)
            yield* Effect.timeoutOption(Queue.take(ticks), Duration.millis(wait))
          }
        }
      }
    }))

  const service: DurableDeferredService = {
    create: (options) =>
      Effect.gen(function*() {
        const { ttl } = yield* decodeCreate(options)
        const id = newId() // outside the transaction: a retried unit keeps the same token
        const token = tokenOf(id)
        yield* store.transact((tx) =>
          appendOwn(tx, token, DeferredCreated.make({ id, expiresAt: tx.now + Math.ceil(toMillis(ttl)) }), "no_stream")
        )
        return token
      }),
    resolve: (token, value) =>
      Effect.flatMap(decodeResolve({ token, value }), (input) =>
        complete(input.token, DeferredResolved.make({ id: idOf(input.token), value: input.value }))),
    reject: (token, reason) =>
      Effect.flatMap(decodeReject({ token, reason }), (input) =>
        complete(input.token, DeferredRejectedEvent.make({ id: idOf(input.token), reason: input.reason }))),
    await: awaitDeferred,
    status: (token) =>
      Effect.gen(function*() {
        const { token: decoded } = yield* decodeStatus({ token })
        const row = yield* storage.queryOne<Row>(rowStatement(decoded))
        if (row === undefined) return yield* new DeferredNotFound({ token: decoded })
        return statusOf(decoded, row, yield* Clock.currentTimeMillis)
      })
  }
  return service
})

export class DurableDeferred extends Context.Tag("@waggle/primitives/DurableDeferred")<
  DurableDeferred,
  DurableDeferredService
>() {
  /** Deferreds on this process's event store; installs their events and `deferreds` projection. */
  static readonly layer: Layer.Layer<DurableDeferred, MigrationError | StorageError, EventStore | Storage> = Layer
    .effect(DurableDeferred, make)
}
