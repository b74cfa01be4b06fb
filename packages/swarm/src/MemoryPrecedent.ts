/**
 * Memory as learning's precedent source: the past tasks similar to a new one are the memories a
 * semantic search finds for it (completion summaries and learnings that `swarm_complete` stores,
 * and anything else agents stored). Provide `MemoryPrecedent.layer` as the `PrecedentSource` of
 * `Learning` so that insights, and so decomposition prompts, carry precedent.
 */
import { Effect, Layer } from "effect"
import { PrecedentSource, PrecedentUnavailable } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { oneLine } from "./internal/text.js"

export interface MemoryPrecedentOptions {
  /** Only memories carrying every one of these tags (default: any memory). */
  readonly tags?: ReadonlyArray<string>
  readonly collection?: string
  /** Drop hits scoring below this (0..1, default 0). */
  readonly minScore?: number
  /** Characters of each memory shown as its summary (default 300). */
  readonly summaryChars?: number
}

/** A `PrecedentSource` searching `Memory`. */
export const layerWith = (options: MemoryPrecedentOptions = {}): Layer.Layer<PrecedentSource, never, Memory> =>
  Layer.effect(
    PrecedentSource,
    Effect.map(Memory, (memory) => ({
      similar: (task: string, limit: number) =>
        limit <= 0 || task.trim() === ""
          ? Effect.succeed([])
          : memory.find(task, {
            limit: Math.min(limit, 100),
            ...(options.tags === undefined ? {} : { tags: [...options.tags] }),
            ...(options.collection === undefined ? {} : { collection: options.collection }),
            ...(options.minScore === undefined ? {} : { minScore: options.minScore })
          }).pipe(
            Effect.map((result) =>
              result.hits.map((hit) => ({
                id: `memory:${hit.id}`,
                summary: oneLine(hit.content, options.summaryChars ?? 300),
                score: hit.score
              }))
            ),
            Effect.mapError((e) => new PrecedentUnavailable({ reason: e.message }))
          )
    }))
  )

/** A `PrecedentSource` searching every memory. */
export const layer: Layer.Layer<PrecedentSource, never, Memory> = layerWith()
