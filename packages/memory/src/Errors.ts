/**
 * The typed errors of semantic memory. Input errors reuse the primitives' `InvalidInput` (with the
 * path of every bad field); these are the failures specific to memories.
 */
import { Schema } from "effect"

/** An embedder could not produce vectors: model missing, package absent, server unreachable, bad reply. */
export class EmbedderError extends Schema.TaggedError<EmbedderError>()("EmbedderError", {
  /** The embedder's name, e.g. `ollama:nomic-embed-text`. */
  embedder: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `embedder ${this.embedder} failed: ${this.reason}`
  }
}

/** No memory with that id in this project. */
export class MemoryNotFound extends Schema.TaggedError<MemoryNotFound>()("MemoryNotFound", {
  id: Schema.String
}) {
  override get message(): string {
    return `no memory ${this.id}`
  }
}

/**
 * The memory an upsert decided to update or delete was superseded or removed by someone else
 * before the decision could be applied (after retrying). Nothing was changed.
 */
export class UpsertConflict extends Schema.TaggedError<UpsertConflict>()("UpsertConflict", {
  target: Schema.String,
  attempts: Schema.Number
}) {
  override get message(): string {
    return `memory ${this.target} changed while the upsert was deciding (${this.attempts} attempts)`
  }
}

/** An upsert decider (e.g. the LLM one) failed or answered something that is not a valid decision. */
export class DeciderError extends Schema.TaggedError<DeciderError>()("DeciderError", {
  decider: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `upsert decider ${this.decider} failed: ${this.reason}`
  }
}

/** A line of a memories sync file that cannot be imported; nothing from the file was imported. */
export class SyncFileError extends Schema.TaggedError<SyncFileError>()("SyncFileError", {
  file: Schema.String,
  errors: Schema.Array(Schema.Struct({ line: Schema.Number, message: Schema.String }))
}) {
  override get message(): string {
    const shown = this.errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join("; ")
    const more = this.errors.length > 5 ? ` (and ${this.errors.length - 5} more)` : ""
    return `cannot import ${this.file}: ${shown}${more}`
  }
}
