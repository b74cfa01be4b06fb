/** What the hive's operations run with, and the transaction helpers they share. */
import { Effect } from "effect"
import type { EventInput, EventTx, StorageError } from "@waggle/primitives"
import { CellNotFound } from "../HiveErrors.js"
import type { AmbiguousId } from "../HiveErrors.js"
import { resolveId } from "./resolve.js"
import type { ResolveOptions } from "./resolve.js"
import { cellRow } from "./rows.js"
import type { CellRow } from "./rows.js"

export interface HiveContext {
  readonly project: string
  readonly prefix: string
}

/**
 * Appends inside the transaction. The payloads were validated by the operation, so a schema or
 * version failure here is a bug (a defect); only storage failures are expected.
 */
export const appendTo = (
  tx: EventTx,
  stream: string,
  events: EventInput | ReadonlyArray<EventInput>
): Effect.Effect<void, StorageError> =>
  tx.append(stream, events).pipe(
    Effect.catchAll((e) => (e._tag === "StorageError" ? Effect.fail(e) : Effect.die(e))),
    Effect.asVoid
  )

/** Resolves a reference to a live cell inside the transaction and reads its row. */
export const liveRow = (
  ctx: HiveContext,
  tx: EventTx,
  ref: string,
  options: ResolveOptions = {}
): Effect.Effect<CellRow, CellNotFound | AmbiguousId | StorageError> =>
  Effect.gen(function*() {
    const id = yield* resolveId(tx.query, ctx.project, ctx.prefix, ref, options)
    const row = yield* cellRow(tx.query, ctx.project, id)
    if (row === undefined) return yield* new CellNotFound({ id: ref })
    return row
  })
