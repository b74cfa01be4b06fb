/**
 * A Promise facade for plain-TypeScript callers (scripts, workers):
 *
 * ```ts
 * const memory = await openMemory()                       // the project's database (WAGGLE_DB_URL or .waggle/)
 * await memory.store("OAuth refresh tokens need a 5-minute buffer", { tags: ["oauth"] })
 * const { hits } = await memory.find("when do I refresh oauth tokens?")
 * await memory.close()
 * ```
 *
 * Failures reject with the same typed errors as the Effect API (`InvalidInput`, `EmbedderError`, ...).
 */
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { EventStore, Project, Storage } from "@waggle/primitives"
import type { StorageOptions } from "@waggle/primitives"
import { Embedder } from "./Embedder.js"
import { Memory } from "./Memory.js"
import type { MemoryService } from "./Memory.js"
import { UpsertDecider } from "./UpsertDecider.js"

export interface OpenMemoryOptions {
  /** The database URL (default: `WAGGLE_DB_URL`, else `.waggle/waggle.db` under the project root). */
  readonly url?: string
  readonly storage?: Partial<StorageOptions>
  /** The project key (default: resolved from the working directory and `WAGGLE_PROJECT`). */
  readonly project?: string
  /** Where the project lives (default: the working directory). */
  readonly cwd?: string
  /** The embedder (default: the offline hashed one). */
  readonly embedder?: Layer.Layer<Embedder, unknown>
  /** The upsert decider (default: rules). */
  readonly decider?: Layer.Layer<UpsertDecider, unknown>
}

type Promisified<S> = {
  readonly [K in keyof S]: S[K] extends (...args: infer A) => Effect.Effect<infer R, any, any> ? (...args: A) => Promise<R>
    : S[K] extends Effect.Effect<infer R, any, any> ? () => Promise<R>
    : S[K]
}

export type MemoryClient = Promisified<Omit<MemoryService, "embedder">> & {
  readonly embedder: MemoryService["embedder"]
  /** Closes the database. */
  readonly close: () => Promise<void>
}

export const openMemory = async (options: OpenMemoryOptions = {}): Promise<MemoryClient> => {
  const cwd = options.cwd ?? process.cwd()
  const project = options.project === undefined ? Project.layerAt(cwd) : Project.layerAt(cwd, options.project)
  const storage = options.url === undefined
    ? Storage.layerFromEnv
    : Storage.layer({ ...options.storage, url: options.url })
  const base = Layer.provideMerge(EventStore.layer, Layer.provideMerge(storage, project))
  const memory = Memory.layer.pipe(
    Layer.provide(Layer.mergeAll(
      options.embedder ?? Embedder.layerHashed,
      options.decider ?? UpsertDecider.layerRules,
      base
    ))
  )
  const runtime = ManagedRuntime.make(memory)
  const run = async <A>(effect: Effect.Effect<A, unknown, Memory>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  }
  const service = await run(Memory)
  const client: Record<string, unknown> = { embedder: service.embedder, close: () => runtime.dispose() }
  for (const [key, value] of Object.entries(service)) {
    if (key === "embedder") continue
    client[key] = Effect.isEffect(value)
      ? () => run(value as Effect.Effect<unknown, unknown, never>)
      : (...args: Array<unknown>) => run((value as (...a: Array<unknown>) => Effect.Effect<unknown, unknown, never>)(...args))
  }
  return client as MemoryClient
}
