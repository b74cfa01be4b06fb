/**
 * Semantic memory: agents store what they learned and find it later by meaning, across sessions
 * and machines. Every change is an event (see `internal/events.ts`); the tables are projections.
 *
 * ```ts
 * const memory = yield* Memory
 * const id = yield* memory.store("OAuth refresh tokens need a 5-minute buffer", { tags: ["oauth"] })
 * const { hits } = yield* memory.find("when should I refresh oauth tokens?")
 * ```
 */
import { Context, Effect, Layer } from "effect"
import type { MigrationError, StorageError, SyncImportReport, SyncParticipant } from "@waggle/primitives"
import { decoderFor, EventStore, InvalidInput, Storage, SyncParticipants } from "@waggle/primitives"
import { Embedder } from "./Embedder.js"
import type { DeciderError, EmbedderError, MemoryNotFound, SyncFileError, UpsertConflict } from "./Errors.js"
import type { LinkedOptions, LinkOptions, ListOptions, ReembedOptions, StoreOptions, ValidateOptions } from "./Inputs.js"
import * as Inputs from "./Inputs.js"
import type { FindOptions } from "./Inputs.js"
import type {
  FindResult,
  LinkedMemory,
  LinkType,
  Memory as MemoryRecord,
  MemoryStats,
  ReembedReport,
  UpsertResult
} from "./Model.js"
import { UpsertDecider } from "./UpsertDecider.js"
import type { MemoryConfig, MemoryContext } from "./internal/context.js"
import { defaultConfig } from "./internal/context.js"
import { find } from "./internal/find.js"
import { MemoryModule } from "./internal/module.js"
import * as reads from "./internal/reads.js"
import { exportFile, importFile } from "./internal/sync.js"
import { SYNC_FILE } from "./internal/syncFile.js"
import { upsert } from "./internal/upsert.js"
import { makeVectorIndex } from "./internal/vectorIndex.js"
import * as writes from "./internal/writes.js"

export type { MemoryConfig } from "./internal/context.js"

type Err = InvalidInput | StorageError

export interface MemoryService {
  /** The embedder whose vectors this memory compares. */
  readonly embedder: { readonly name: string; readonly dimension: number }
  /** Stores a learning; returns its id. */
  readonly store: (information: string, options?: StoreOptions) => Effect.Effect<string, Err | EmbedderError>
  /** A memory by id (current or not); counts as an access. */
  readonly get: (id: string) => Effect.Effect<MemoryRecord, Err | MemoryNotFound>
  /** Erases a memory: its row, full-text entry, tags, links (both ends) and access record. */
  readonly remove: (id: string) => Effect.Effect<void, Err | MemoryNotFound>
  /** Current memories (newest first), optionally by collection and tags. */
  readonly list: (options?: ListOptions) => Effect.Effect<ReadonlyArray<MemoryRecord>, Err>
  readonly stats: Effect.Effect<MemoryStats, StorageError>
  /** Hybrid (default), vector or full-text search; scores descending, decay applied. */
  readonly find: (query: string, options?: FindOptions) => Effect.Effect<FindResult, Err | EmbedderError>
  /** Stores, updates, deletes or ignores, as the `UpsertDecider` decides; never erases. */
  readonly upsert: (
    information: string,
    options?: StoreOptions
  ) => Effect.Effect<UpsertResult, Err | EmbedderError | DeciderError | UpsertConflict>
  /** The supersession chain through a memory, oldest first. */
  readonly history: (id: string) => Effect.Effect<ReadonlyArray<MemoryRecord>, Err | MemoryNotFound>
  /** Confirms a memory: restarts its decay clock; optionally sets a new confidence. */
  readonly validate: (id: string, options?: ValidateOptions) => Effect.Effect<MemoryRecord, Err | MemoryNotFound>
  /** Links two memories (one link per source, target and type; linking again sets the strength). */
  readonly link: (source: string, target: string, options: LinkOptions) => Effect.Effect<void, Err | MemoryNotFound>
  /** Removes a link; `false` if there was none. */
  readonly unlink: (source: string, target: string, type: LinkType) => Effect.Effect<boolean, Err>
  readonly linked: (id: string, options?: LinkedOptions) => Effect.Effect<ReadonlyArray<LinkedMemory>, Err | MemoryNotFound>
  /** Re-embeds memories made by another embedder (or all, with `force`) with the current one. */
  readonly reembed: (options?: ReembedOptions) => Effect.Effect<ReembedReport, Err | EmbedderError>
  /** `.hive/memories.jsonl` as it should be committed (deterministic). */
  readonly exportFile: Effect.Effect<string, StorageError>
  /** Merges a memories file into the database (see `internal/sync.ts`); idempotent. */
  readonly importFile: (
    content: string,
    options?: { readonly dryRun?: boolean; readonly base?: string | undefined }
  ) => Effect.Effect<SyncImportReport, Err | SyncFileError | EmbedderError>
}

const make = (config: MemoryConfig) =>
  Effect.gen(function*() {
    const storage = yield* Storage
    const events = yield* EventStore
    const embedder = yield* Embedder
    const decider = yield* UpsertDecider
    yield* events.install(MemoryModule)
    const index = yield* makeVectorIndex(storage, events, embedder.name, embedder.dimension)
    const ctx: MemoryContext = { storage, events, project: events.project, embedder, index, config }

    const decodeStore = decoderFor(Inputs.StoreInput, "Memory.store")
    const decodeUpsert = decoderFor(Inputs.StoreInput, "Memory.upsert")
    const decodeFind = decoderFor(Inputs.FindInput, "Memory.find")
    const decodeList = decoderFor(Inputs.ListOptions, "Memory.list")
    const decodeId = (operation: string) => decoderFor(Inputs.MemoryId, operation)
    const decodeLink = decoderFor(Inputs.LinkInput, "Memory.link")
    const decodeUnlink = decoderFor(Inputs.LinkInput, "Memory.unlink")
    const decodeLinked = decoderFor(Inputs.LinkedOptions, "Memory.linked")
    const decodeValidate = decoderFor(Inputs.ValidateOptions, "Memory.validate")
    const decodeReembed = decoderFor(Inputs.ReembedOptions, "Memory.reembed")
    const decodeImport = decoderFor(Inputs.ImportInput, "Memory.importFile")
    const ids = {
      get: decodeId("Memory.get"),
      remove: decodeId("Memory.remove"),
      history: decodeId("Memory.history"),
      validate: decodeId("Memory.validate"),
      linked: decodeId("Memory.linked")
    }

    const service: MemoryService = {
      embedder: { name: embedder.name, dimension: embedder.dimension },
      store: (information, options = {}) =>
        Effect.gen(function*() {
          const memory = writes.normalizeStore(yield* decodeStore({ information, options }))
          const [vector] = yield* embedder.embed([memory.content])
          return yield* writes.store(ctx, memory, vector!)
        }),
      get: (id) => Effect.flatMap(ids.get(id), (i) => reads.get(ctx, i)),
      remove: (id) => Effect.flatMap(ids.remove(id), (i) => writes.remove(ctx, i)),
      list: (options = {}) =>
        Effect.flatMap(decodeList(options), (o) =>
          reads.list(ctx, {
            project: ctx.project,
            collection: o.collection,
            tags: o.tags ?? [],
            asOf: undefined,
            includeSuperseded: o.includeSuperseded ?? false
          }, o.limit ?? 50)),
      stats: reads.stats(ctx),
      find: (query, options = {}) => Effect.flatMap(decodeFind({ query, options }), (input) => find(ctx, input)),
      upsert: (information, options = {}) =>
        Effect.flatMap(decodeUpsert({ information, options }), (input) => upsert(ctx, decider, writes.normalizeStore(input))),
      history: (id) => Effect.flatMap(ids.history(id), (i) => reads.history(ctx, i)),
      validate: (id, options = {}) =>
        Effect.gen(function*() {
          const i = yield* ids.validate(id)
          const o = yield* decodeValidate(options)
          yield* writes.validate(ctx, i, o.confidence)
          return yield* reads.requireMemory(ctx, i)
        }),
      link: (source, target, options) =>
        Effect.gen(function*() {
          const input = yield* decodeLink({ source, target, options })
          if (input.source === input.target) {
            return yield* new InvalidInput({
              operation: "Memory.link",
              issues: [{ path: "target", message: "a memory cannot link to itself" }]
            })
          }
          yield* writes.link(ctx, input.source, input.target, input.options.type, input.options.strength ?? 1)
        }),
      unlink: (source, target, type) =>
        Effect.flatMap(decodeUnlink({ source, target, options: { type } }), (input) =>
          writes.unlink(ctx, input.source, input.target, input.options.type)),
      linked: (id, options = {}) =>
        Effect.gen(function*() {
          const i = yield* ids.linked(id)
          const o = yield* decodeLinked(options)
          return yield* reads.linked(ctx, i, o.type, o.direction ?? "both")
        }),
      reembed: (options = {}) =>
        Effect.flatMap(decodeReembed(options), (o) => writes.reembed(ctx, o.collection, o.force ?? false)),
      exportFile: exportFile(ctx),
      importFile: (content, options = {}) =>
        Effect.flatMap(decodeImport({ content, options }), (input) =>
          importFile(ctx, input.content, { dryRun: input.options.dryRun ?? false, base: input.options.base }))
    }
    return service
  })

export type MemoryLayerError = MigrationError | StorageError

export class Memory extends Context.Tag("@waggle/memory/Memory")<Memory, MemoryService>() {
  /** The memory on the process's database, with the given embedder and upsert decider. */
  static readonly layer: Layer.Layer<Memory, MemoryLayerError, Storage | EventStore | Embedder | UpsertDecider> = Layer
    .effect(Memory, make(defaultConfig))

  /** The same with tuned search settings. */
  static readonly layerWith = (
    config: Partial<MemoryConfig>
  ): Layer.Layer<Memory, MemoryLayerError, Storage | EventStore | Embedder | UpsertDecider> =>
    Layer.effect(Memory, make({ ...defaultConfig, ...config }))

  /** The memory with the offline hashed embedder and the rule-based upsert decider. */
  static readonly layerDefault: Layer.Layer<Memory, MemoryLayerError, Storage | EventStore> = Memory.layer.pipe(
    Layer.provide(Layer.merge(Embedder.layerHashed, UpsertDecider.layerRules))
  )

  /** The memory's share of the hive's git sync: `.hive/memories.jsonl`. */
  static readonly syncParticipant: Effect.Effect<SyncParticipant, never, Memory> = Effect.map(Memory, (memory) => ({
    name: "memories",
    file: SYNC_FILE,
    exportFile: memory.exportFile,
    importFile: (content, options) => memory.importFile(content, options)
  }))

  /** `SyncParticipants` holding only the memory's participant (hosts with several combine them). */
  static readonly layerSyncParticipants: Layer.Layer<SyncParticipants, never, Memory> = Layer.effect(
    SyncParticipants,
    Effect.map(Memory.syncParticipant, (p) => [p])
  )
}
