/**
 * Hivemind: semantic memory. Argument names follow the swarm-tools plugin (`information`, comma
 * separated `tags`, JSON `metadata`); tags and metadata may also be given as an array / object.
 */
import { HiveSync } from "@waggle/hive"
import { Inputs, Memory } from "@waggle/memory"
import type { MemoryService, StoreOptions } from "@waggle/memory"
import { InvalidInput, Name } from "@waggle/primitives"
import { Effect, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { defined, DESTRUCTIVE, IDEMPOTENT, NoInput, opt, READ, tool, WRITE } from "../internal/tool.js"

const Str = Schema.String
const Id = Name(100)

type MemoryRecord = Effect.Effect.Success<ReturnType<MemoryService["get"]>>
const TagsIn = Schema.Union(Inputs.Tags, Schema.String.pipe(Schema.maxLength(2000)))
const MetadataIn = Schema.Union(Inputs.MetadataInput, Schema.String.pipe(Schema.maxLength(32_768)))

const StoreFields = {
  information: Inputs.Content,
  collection: opt(Inputs.Collection),
  tags: opt(TagsIn, "'a,b' or list"),
  metadata: opt(MetadataIn),
  confidence: opt(Inputs.Confidence, "default 0.7")
}

interface StoreArgs {
  readonly collection?: string
  readonly tags?: string | ReadonlyArray<string>
  readonly metadata?: string | { readonly [k: string]: unknown }
  readonly confidence?: number
}

const parseMetadata = (tool: string, metadata: StoreArgs["metadata"]) => {
  if (typeof metadata !== "string") return Effect.succeed(metadata)
  const invalid = new InvalidInput({ operation: tool, issues: [{ path: "metadata", message: "must be a JSON object" }] })
  try {
    const parsed: unknown = JSON.parse(metadata)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? Effect.succeed(parsed as { readonly [k: string]: unknown })
      : Effect.fail(invalid)
  } catch {
    return Effect.fail(invalid)
  }
}

const storeOptions = (tool: string, input: StoreArgs) =>
  Effect.map(parseMetadata(tool, input.metadata), (metadata): StoreOptions =>
    defined({
      collection: input.collection,
      confidence: input.confidence,
      metadata,
      tags: typeof input.tags === "string"
        ? input.tags.split(",").map((t) => t.trim()).filter((t) => t.length > 0)
        : input.tags
    }))

const MemoryOut = Schema.Struct({
  id: Str,
  content: Str,
  tags: Schema.Array(Str),
  collection: Str,
  confidence: Schema.Number,
  current: Schema.Boolean,
  superseded_by: Schema.NullOr(Str),
  tier: Str
})
const memoryOut = (m: MemoryRecord): typeof MemoryOut.Type => ({
  id: m.id,
  content: m.content,
  tags: m.tags,
  collection: m.collection,
  confidence: m.confidence,
  current: m.validUntil === null,
  superseded_by: m.supersededBy,
  tier: m.tier
})

const store = tool("Store a learning in memory", WRITE)
  .input(Schema.Struct(StoreFields))
  .output(Schema.Struct({ id: Str }))
  .handler(({ input }) =>
    Effect.gen(function*() {
      const options = yield* storeOptions("hivemind_store", input)
      const id = yield* Effect.flatMap(Memory, (m) => m.store(input.information, options))
      return { id }
    })
  )

const find = tool("Search memories by meaning", READ)
  .input(Schema.Struct({
    query: Inputs.FindInput.fields.query,
    limit: opt(Schema.Int.pipe(Schema.between(1, 50))),
    collection: opt(Inputs.Collection),
    tags: opt(Inputs.Tags),
    expand: opt(Schema.Boolean, "full text"),
    fts: opt(Schema.Boolean, "no vectors")
  }))
  .output(Schema.Struct({
    hits: Schema.Array(Schema.Struct({
      id: Str,
      content: Str,
      score: Schema.Number,
      tags: Schema.Array(Str),
      collection: Str,
      truncated: Schema.Boolean
    })),
    mode: Str
  }))
  .handler(({ input }) =>
    Effect.gen(function*() {
      const memory = yield* Memory
      const result = yield* memory.find(input.query, defined({
        limit: input.limit ?? 10,
        collection: input.collection,
        tags: input.tags,
        expand: input.expand,
        mode: input.fts === true ? ("fulltext" as const) : undefined
      }))
      return {
        hits: result.hits.map((h) => ({
          id: h.id,
          content: h.content,
          score: Math.round(h.score * 1000) / 1000,
          tags: h.tags,
          collection: h.collection,
          truncated: h.truncated
        })),
        mode: result.used
      }
    })
  )

const get = tool("Get a memory by id", READ)
  .input(Schema.Struct({ id: Id }))
  .output(MemoryOut)
  .handler(({ input }) => Effect.map(Effect.flatMap(Memory, (m) => m.get(input.id)), memoryOut))

const remove = tool("Delete a memory", DESTRUCTIVE)
  .input(Schema.Struct({ id: Id }))
  .output(Schema.Struct({ removed: Str }))
  .handler(({ input }) => Effect.as(Effect.flatMap(Memory, (m) => m.remove(input.id)), { removed: input.id }))

const validate = tool("Confirm a memory (resets decay)", IDEMPOTENT)
  .input(Schema.Struct({ id: Id, confidence: opt(Inputs.Confidence) }))
  .output(MemoryOut)
  .handler(({ input }) =>
    Effect.map(Effect.flatMap(Memory, (m) => m.validate(input.id, defined({ confidence: input.confidence }))), memoryOut)
  )

const upsert = tool("Store smartly: ADD, UPDATE, DELETE or NOOP", WRITE)
  .input(Schema.Struct(StoreFields))
  .output(Schema.Struct({ action: Str, id: Str, previous: Schema.NullOr(Str), reason: Str }))
  .handler(({ input }) =>
    Effect.gen(function*() {
      const options = yield* storeOptions("hivemind_upsert", input)
      const result = yield* Effect.flatMap(Memory, (m) => m.upsert(input.information, options))
      return { action: result.action, id: result.id, previous: result.previous, reason: result.reason }
    })
  )

const history = tool("A memory's supersession chain, oldest first", READ)
  .input(Schema.Struct({ id: Id }))
  .output(Schema.Struct({ memories: Schema.Array(MemoryOut) }))
  .handler(({ input }) =>
    Effect.map(Effect.flatMap(Memory, (m) => m.history(input.id)), (ms) => ({ memories: ms.map(memoryOut) }))
  )

const stats = tool("Memory statistics", READ)
  .input(NoInput)
  .output(Schema.Struct({
    total: Schema.Number,
    current: Schema.Number,
    superseded: Schema.Number,
    links: Schema.Number,
    by_collection: Schema.Record({ key: Str, value: Schema.Number }),
    embedder: Str
  }))
  .handler(() =>
    Effect.map(Effect.flatMap(Memory, (m) => m.stats), (s) => ({
      total: s.total,
      current: s.current,
      superseded: s.superseded,
      links: s.links,
      by_collection: s.byCollection,
      embedder: `${s.embedder.name} (${s.embedder.dimension}d)`
    }))
  )

const sync = tool("Merge and rewrite .hive/memories.jsonl", WRITE, "5m")
  .input(NoInput)
  .output(Schema.Struct({
    file: Str,
    created: Schema.Number,
    updated: Schema.Number,
    unchanged: Schema.Number,
    written: Schema.Boolean
  }))
  .handler(({ ctx }) =>
    Effect.gen(function*() {
      const memory = yield* Memory
      const participant = yield* Memory.syncParticipant
      const file = path.join((yield* HiveSync).workdir, participant.file)
      yield* ctx.session.progress(`hivemind sync: importing ${file}`)
      const report = fs.existsSync(file)
        ? yield* memory.importFile(fs.readFileSync(file, "utf8"), { dryRun: false })
        : { created: 0, updated: 0, unchanged: 0, conflicts: [] }
      yield* ctx.session.progress("hivemind sync: exporting")
      const content = yield* memory.exportFile
      const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined
      if (before !== content) {
        yield* Effect.sync(() => {
          fs.mkdirSync(path.dirname(file), { recursive: true })
          fs.writeFileSync(file, content)
        })
      }
      return { file, created: report.created, updated: report.updated, unchanged: report.unchanged, written: before !== content }
    })
  )

const reembed = tool("Re-embed memories made by another embedder", IDEMPOTENT, "1h")
  .input(Schema.Struct({ collection: opt(Inputs.Collection), force: opt(Schema.Boolean, "all memories") }))
  .output(Schema.Struct({ embedder: Str, reembedded: Schema.Number }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const memory = yield* Memory
      yield* ctx.session.progress(`hivemind reembed: with ${memory.embedder.name}`)
      const report = yield* memory.reembed(defined({ collection: input.collection, force: input.force }))
      yield* ctx.session.progress(`hivemind reembed: done (${report.reembedded} memories)`)
      return { embedder: report.embedder, reembedded: report.reembedded }
    })
  )

/** The memory tools by name under `hivemind_`. */
export const memoryTools = { store, find, get, remove, validate, upsert, history, stats, sync, reembed }
