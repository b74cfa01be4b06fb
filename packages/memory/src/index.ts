export * as Decay from "./Decay.js"
export { Embedder, hashed, checked, DEFAULT_HASHED_DIMENSION } from "./Embedder.js"
export type { EmbedderService, HashedOptions, OllamaOptions, TransformersOptions } from "./Embedder.js"
export * from "./Errors.js"
export * as Inputs from "./Inputs.js"
export type {
  FindMode,
  FindOptions,
  LinkedOptions,
  LinkOptions,
  ListOptions,
  ReembedOptions,
  StoreOptions,
  ValidateOptions
} from "./Inputs.js"
export { Memory } from "./Memory.js"
export type { MemoryConfig, MemoryLayerError, MemoryService } from "./Memory.js"
export type * from "./Model.js"
export { UpsertDecider } from "./UpsertDecider.js"
export type {
  LlmProvider,
  RuleThresholds,
  UpsertCandidate,
  UpsertDecision,
  UpsertDeciderService,
  UpsertQuestion
} from "./UpsertDecider.js"
export * as MemoryEvents from "./internal/events.js"
export { MemoryModule } from "./internal/module.js"
