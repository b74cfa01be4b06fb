/** Reads that work the same on `Storage` (committed data) and inside a transaction (`EventTx`). */
import { Effect } from "effect"
import type { AppendResult, EventInput, EventTx, StorageError, Tx } from "@waggle/primitives"

export type Queryable = Pick<Tx, "query">

/**
 * Appends the package's own events: a schema mismatch, an unknown type or a version conflict
 * (never asked for) would be a bug here, so they are defects; storage failures stay typed.
 */
export const appendOwn = (
  tx: EventTx,
  stream: string,
  events: EventInput | ReadonlyArray<EventInput>
): Effect.Effect<AppendResult, StorageError> =>
  tx.append(stream, events).pipe(
    Effect.catchTags({
      InvalidInput: (e) => Effect.die(e),
      UnknownEventType: (e) => Effect.die(e),
      StreamVersionConflict: (e) => Effect.die(e)
    })
  )
