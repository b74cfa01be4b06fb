/**
 * Server-Sent Events framing. A stream answers with:
 *   `retry: <ms>` once, then `id: <id>` + `data: <json>` per item,
 *   `: heartbeat` comments every `heartbeat`, and finally either
 *   `event: end` (completed) or `event: error` + `data: <error json>` (failed).
 * A client that sees the connection close without either reconnects with Last-Event-ID.
 */
import { type Cause, type Duration, Effect, Schedule, Stream } from "effect"
import { describeFailure } from "./failure.js"

export const HEARTBEAT = ": heartbeat\n\n"
export const END = "event: end\ndata: \n\n"

export interface SseOptions {
  readonly heartbeat: Duration.Duration
  /** The advertised reconnection delay (ms). */
  readonly retryMs: number
  /** The id of the item at `index`; by default the index itself. */
  readonly eventId: ((item: unknown, index: number) => string) | undefined
  /** The index of the first item (continuing after a numeric Last-Event-ID). */
  readonly startIndex: number
  readonly encode: (item: unknown) => Effect.Effect<unknown>
  /** Called with the cause of a failure that is answered as InternalError. */
  readonly onInternalError?: ((cause: Cause.Cause<unknown>) => void) | undefined
}

export const errorFrame = (body: unknown): string => `event: error\ndata: ${JSON.stringify(body)}\n\n`

/** The index to continue from after a Last-Event-ID (0 when absent or not numeric). */
export const startIndexAfter = (lastEventId: string | undefined): number => {
  if (lastEventId === undefined || !/^\d+$/.test(lastEventId)) return 0
  return Number(lastEventId) + 1
}

/** Frames a stream of items as SSE text chunks, with heartbeats. Never fails. */
export const toSse = <E, R>(items: Stream.Stream<unknown, E, R>, options: SseOptions): Stream.Stream<string, never, R> => {
  let index = options.startIndex
  const data = Stream.mapEffect(items, (item) =>
    Effect.map(options.encode(item), (encoded) => {
      const id = options.eventId === undefined ? String(index) : options.eventId(item, index)
      index++
      return `id: ${id}\ndata: ${JSON.stringify(encoded ?? null)}\n\n`
    }))
  const framed = Stream.concat(data, Stream.succeed(END)).pipe(
    Stream.catchAllCause((cause): Stream.Stream<string> => {
      const answer = describeFailure(cause, options)
      return answer === undefined ? (Stream.failCause(cause) as Stream.Stream<never>) : Stream.succeed(errorFrame(answer.body))
    })
  )
  const heartbeats = Stream.fromSchedule(Schedule.spaced(options.heartbeat)).pipe(Stream.as(HEARTBEAT))
  return Stream.concat(
    Stream.succeed(`retry: ${options.retryMs}\n\n`),
    Stream.merge(framed, heartbeats, { haltStrategy: "left" })
  )
}
