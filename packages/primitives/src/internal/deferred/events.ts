/** The events of deferreds, all on the stream named by the deferred's token. */
import { Schema } from "effect"
import { define } from "../../Event.js"
import { BoundedText } from "../../Text.js"
import { JsonValue } from "./json.js"

const Id = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{22}$/))
/** Longest rejection reason accepted. */
export const MAX_REASON_LENGTH = 10_000
export const Reason = BoundedText(MAX_REASON_LENGTH)

/** A deferred came into being; nobody can complete it from `expiresAt` (ms since the epoch) on. */
export const DeferredCreated = define("deferred_created", { id: Id, expiresAt: Schema.Int })
/** The first completion: resolved with a JSON value. */
export const DeferredResolved = define("deferred_resolved", { id: Id, value: JsonValue })
/** The first completion: rejected with a reason. */
export const DeferredRejected = define("deferred_rejected", { id: Id, reason: Reason })
