/** What the memory's operations return. */
import type { Tier } from "./Decay.js"
import type { FindMode } from "./Inputs.js"
import type { LinkType, Metadata } from "./internal/events.js"

export type { Tier } from "./Decay.js"
export type { LinkType, Metadata } from "./internal/events.js"

export interface Memory {
  readonly id: string
  readonly content: string
  readonly tags: ReadonlyArray<string>
  readonly collection: string
  readonly metadata: Metadata
  readonly confidence: number
  readonly source: string | null
  /** When it became valid (ms since the epoch). */
  readonly validFrom: number
  /** When it stopped being valid (superseded or deleted by an upsert); `null` while current. */
  readonly validUntil: number | null
  /** The memory that replaced it, if an update superseded it. */
  readonly supersededBy: string | null
  /** The last `validate` (restarts the decay clock). */
  readonly validatedAt: number | null
  /** The embedder that produced its vector, and the vector's dimension. */
  readonly embedder: string
  readonly dimension: number
  readonly lastAccessedAt: number | null
  readonly accessCount: number
  readonly tier: Tier
}

export interface MemoryHit {
  readonly id: string
  /** The first 300 characters (at a word boundary) unless `expand`; see `truncated`. */
  readonly content: string
  readonly truncated: boolean
  readonly tags: ReadonlyArray<string>
  readonly collection: string
  readonly metadata: Metadata
  readonly confidence: number
  readonly source: string | null
  readonly validFrom: number
  readonly validUntil: number | null
  /** Final score, 0..1, descending: relevance × decay (see the README for the formulas). */
  readonly score: number
  /** Cosine similarity to the query, when the vector retriever found it. */
  readonly vectorScore: number | null
  /** Full-text relevance, s / (1 + s) for BM25 score s, when full text found it. */
  readonly textScore: number | null
  /** The decay multiplier applied. */
  readonly decay: number
}

export interface FindResult {
  readonly hits: ReadonlyArray<MemoryHit>
  /** The mode asked for. */
  readonly mode: FindMode
  /** The retrievers that actually ran: `fulltext` when hybrid fell back because the embedder failed. */
  readonly used: FindMode
  /** Why the search fell back to full text only, if it did. */
  readonly fallback: string | null
}

export type UpsertAction = "ADD" | "UPDATE" | "DELETE" | "NOOP"

export interface UpsertResult {
  readonly action: UpsertAction
  /** ADD/UPDATE: the new memory; DELETE: the memory deleted; NOOP: the memory that already says it. */
  readonly id: string
  /** UPDATE/DELETE: the memory superseded. */
  readonly previous: string | null
  readonly reason: string
}

export interface LinkedMemory {
  readonly type: LinkType
  readonly strength: number
  /** `out`: this memory links to `memory`; `in`: `memory` links to this one. */
  readonly direction: "out" | "in"
  readonly memory: Memory
}

export interface MemoryStats {
  /** Every memory, current or not. */
  readonly total: number
  /** Memories valid now. */
  readonly current: number
  /** Memories superseded or deleted by upserts (kept for history). */
  readonly superseded: number
  readonly byCollection: Readonly<Record<string, number>>
  /** Current memories per embedder; vectors of another embedder than the current one need `reembed`. */
  readonly byEmbedder: Readonly<Record<string, number>>
  readonly tiers: Readonly<Record<Tier, number>>
  readonly links: number
  readonly embedder: { readonly name: string; readonly dimension: number }
}

export interface ReembedReport {
  readonly embedder: string
  readonly reembedded: number
}
