/** What the memory's operations share: the database, the log, the embedder, the index, settings. */
import type { EventStoreService, StorageService } from "@waggle/primitives"
import type { EmbedderService } from "../Embedder.js"
import type { VectorIndex } from "./vectorIndex.js"

export interface MemoryConfig {
  /** Sketch candidates re-ranked exactly per vector search (more: better recall, slower). */
  readonly candidates: number
  /** Leave common words out of full-text queries once the index holds this many memories. */
  readonly pruneAbove: number
  /** Postings a pruned full-text query may touch. */
  readonly postingsBudget: number
  /** Characters of content in a hit unless `expand`. */
  readonly snippet: number
}

export const defaultConfig: MemoryConfig = {
  candidates: 1500,
  pruneAbove: 20_000,
  postingsBudget: 4000,
  snippet: 300
}

export interface MemoryContext {
  readonly storage: StorageService
  readonly events: EventStoreService
  readonly project: string
  readonly embedder: EmbedderService
  readonly index: VectorIndex
  readonly config: MemoryConfig
}
