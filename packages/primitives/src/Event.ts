/**
 * Event definitions: a type name (past tense, snake_case: `message_sent`) and the schema of its
 * payload. Appending checks the payload against the schema; reading gives it back as JSON that
 * `decode` turns into the typed payload again.
 */
import { Effect, Schema } from "effect"
import type { ParseResult } from "effect"

/** Free-form context stored with an event: actor, correlation and causation ids, ... (JSON). */
export type EventMetadata = { readonly [key: string]: unknown }

/**
 * Envelopes built by a definition's `make`: well-formed by construction, so an append only checks
 * their payloads against the schema (hand-built envelopes are decoded in full).
 */
const made = new WeakSet<object>()

/** Whether `input` was built by a definition's `make` (and so has a well-formed envelope). */
export const isMadeByDefinition = (input: unknown): boolean => typeof input === "object" && input !== null && made.has(input)

/** An event about to be appended. */
export interface EventInput<T extends string = string, A = unknown> {
  readonly type: T
  readonly data: A
  readonly metadata?: EventMetadata
}

/** An event as stored: where it sits in the log and in its stream, and when it was appended. */
export interface RecordedEvent<T extends string = string, A = unknown> {
  /** Position in the whole log: unique, increasing, shared by all streams and projects. */
  readonly position: number
  readonly project: string
  readonly stream: string
  /** Position in its stream: 1, 2, 3, ... without gaps. */
  readonly version: number
  readonly type: T
  readonly data: A
  readonly metadata: EventMetadata | undefined
  /** Milliseconds since the epoch, from the appending process's clock. */
  readonly createdAt: number
}

export interface EventDefinition<T extends string = string, A = any, I = any> {
  readonly type: T
  readonly schema: Schema.Schema<A, I>
  /** An event of this type with `data` as its payload. */
  readonly make: (data: A, metadata?: EventMetadata) => EventInput<T, A>
  /** Whether a recorded event is of this type (its data is still JSON: see `decode`). */
  readonly is: (event: RecordedEvent) => event is RecordedEvent<T, unknown>
  /** The recorded event with its payload decoded to this definition's type. */
  readonly decode: (event: RecordedEvent) => Effect.Effect<RecordedEvent<T, A>, ParseResult.ParseError>
}

/** Payload type of a definition. */
export type DataOf<D> = D extends EventDefinition<string, infer A, any> ? A : never

/**
 * Defines an event type from struct fields or any schema.
 *
 * ```ts
 * export const MessageSent = Event.define("message_sent", { id: Schema.String, body: Schema.String })
 * yield* store.append("thread:1", [MessageSent.make({ id, body })])
 * ```
 */
export function define<T extends string, Fields extends Schema.Struct.Fields>(
  type: T,
  fields: Fields
): EventDefinition<T, Schema.Struct.Type<Fields>, Schema.Struct.Encoded<Fields>>
export function define<T extends string, A, I>(type: T, schema: Schema.Schema<A, I>): EventDefinition<T, A, I>
export function define(type: string, fieldsOrSchema: Schema.Struct.Fields | Schema.Schema<any, any>): EventDefinition {
  const schema = (Schema.isSchema(fieldsOrSchema)
    ? fieldsOrSchema
    : Schema.Struct(fieldsOrSchema as Schema.Struct.Fields)) as Schema.Schema<any, any>
  const decodeData = Schema.decodeUnknown(schema)
  return {
    type,
    schema,
    make: (data, metadata) => {
      const input: EventInput = metadata === undefined ? { type, data } : { type, data, metadata }
      made.add(input)
      return input
    },
    is: (event): event is RecordedEvent<string, unknown> => event.type === type,
    decode: (event) => Effect.map(decodeData(event.data), (data) => ({ ...event, data }))
  }
}
