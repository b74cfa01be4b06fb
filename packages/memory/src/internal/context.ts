/** What the memory's operations share: the database, the log, the embedder, the index, settings. */
import type { EventStoreService, StorageService } from "@waggle/primitives"
import type { EmbedderService } from "../Embedder.js"
import type { VectorIndex } from "./vectorIndex.js"

export interface MemoryConfig {
  /** Candidates a vector search takes from the sketch scan (more: better recall, slower). */
  readonly candidates: number
  /** Of those, the best by int8 dot product that are re-ranked exactly in SQL. */
  readonly exactRerank: number
  /** Postings a full-text query's optional words may touch before the commonest are left out. */
  readonly postingsBudget: number
  /**
   * Vector hits below this cosine similarity are noise, not evidence: hybrid and vector searches
   * drop them (hashed embeddings of unrelated texts score around 0 ± 0.1). Tune per embedder.
   */
  readonly minSimilarity: number
  /** Characters of content in a hit unless `expand`. */
  readonly snippet: number
}

export const defaultConfig: MemoryConfig = {
  candidates: 2000,
  exactRerank: 100,
  postingsBudget: 2500,
  minSimilarity: 0.1,
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
