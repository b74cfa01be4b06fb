/**
 * Export and import of `.hive/memories.jsonl`.
 *
 * Import merges the file (what the other machines know) into the database, three-way when `base`
 * (the file at the last sync) is given:
 * - a memory only in the file is created (re-embedded here), with its validity times, validation
 *   and supersession — unless it is in `base` and gone here: it was removed here, and stays removed;
 * - a memory in both takes the file's supersession if it is still current here, and the file's
 *   validation if newer; links only in the file are added, links in `base` missing from the file
 *   are removed; anything else that differs (content, or both sides superseded differently) is a
 *   conflict: the local state stays and the report lists it;
 * - a memory in `base`, missing from the file and unchanged here since `base` was removed
 *   elsewhere: it is removed here too.
 * Importing the same file twice changes nothing the second time. A file with bad lines imports
 * nothing and fails with every bad line's number.
 */
import { Effect, Either } from "effect"
import type { EventInput, InvalidInput, StorageError, SyncImportReport } from "@waggle/primitives"
import { sql } from "@waggle/primitives"
import type { EmbedderError } from "../Errors.js"
import { SyncFileError } from "../Errors.js"
import type { MemoryContext } from "./context.js"
import { planImport } from "./syncPlan.js"
import type { Line } from "./syncFile.js"
import { formatFile, parseFile, SYNC_FILE } from "./syncFile.js"
import { appendTo, removeIn, storedEvent } from "./writes.js"
import { MemorySuperseded, MemoryValidated, streamOf } from "./events.js"

interface ExportRow {
  readonly id: string
  readonly content: string
  readonly collection: string
  readonly tags: string
  readonly confidence: number
  readonly source: string | null
  readonly metadata: string
  readonly valid_from: number
  readonly valid_until: number | null
  readonly superseded_by: string | null
  readonly validated_at: number | null
}

/** Every memory of the project as sync lines, by id. */
export const localLines = (ctx: MemoryContext): Effect.Effect<Map<string, Line>, StorageError> =>
  Effect.gen(function*() {
    const rows = yield* ctx.storage.query<ExportRow>(
      sql`SELECT id, content, collection, tags, confidence, source, metadata, valid_from, valid_until, superseded_by, validated_at
          FROM memories WHERE project = ${ctx.project} ORDER BY id`
    )
    const links = yield* ctx.storage.query<{ source: string; target: string; type: Line["links"][number]["type"]; strength: number }>(
      sql`SELECT source, target, type, strength FROM memory_links WHERE project = ${ctx.project} ORDER BY source, target, type`
    )
    const linksOf = new Map<string, Array<Line["links"][number]>>()
    for (const l of links) {
      const list = linksOf.get(l.source) ?? []
      list.push({ target: l.target, type: l.type, strength: l.strength })
      linksOf.set(l.source, list)
    }
    return new Map(rows.map((r) => [r.id, {
      id: r.id,
      content: r.content,
      collection: r.collection,
      tags: JSON.parse(r.tags) as Array<string>,
      confidence: r.confidence,
      source: r.source,
      metadata: JSON.parse(r.metadata) as Record<string, unknown>,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      supersededBy: r.superseded_by,
      validatedAt: r.validated_at,
      links: linksOf.get(r.id) ?? []
    }]))
  })

export const exportFile = (ctx: MemoryContext): Effect.Effect<string, StorageError> =>
  Effect.map(localLines(ctx), (lines) => formatFile([...lines.values()]))

const parseOrFail = (content: string) => {
  const parsed = parseFile(content)
  return Either.isLeft(parsed) ? Effect.fail(new SyncFileError({ file: SYNC_FILE, errors: parsed.left })) : Effect.succeed(parsed.right)
}

const CHUNK = 100

export const importFile = (
  ctx: MemoryContext,
  content: string,
  options: { readonly dryRun: boolean; readonly base: string | undefined }
): Effect.Effect<SyncImportReport, SyncFileError | EmbedderError | InvalidInput | StorageError> =>
  Effect.gen(function*() {
    const incoming = yield* parseOrFail(content)
    const base = options.base === undefined ? undefined : yield* parseOrFail(options.base)
    const local = yield* localLines(ctx)
    const plan = planImport(incoming, base, local)
    const report: SyncImportReport = {
      created: plan.creates.length,
      updated: plan.updates.size + plan.removals.length,
      unchanged: plan.unchanged,
      conflicts: plan.conflicts
    }
    if (options.dryRun) return report

    const name = ctx.embedder.name
    for (let i = 0; i < plan.creates.length; i += CHUNK) {
      const chunk = plan.creates.slice(i, i + CHUNK)
      const vectors = yield* ctx.embedder.embed(chunk.map((l) => l.content))
      yield* ctx.events.transact((tx) =>
        Effect.forEach(chunk, (line, j) => {
          const events: Array<EventInput> = [storedEvent(line.id, line, line.validFrom, name, vectors[j]!)]
          if (line.validatedAt !== null) events.push(MemoryValidated.make({ id: line.id, at: line.validatedAt, confidence: null }))
          if (line.validUntil !== null) {
            events.push(MemorySuperseded.make({ id: line.id, by: line.supersededBy, reason: "imported", at: line.validUntil }))
          }
          return appendTo(tx, streamOf(line.id), events)
        }, { discard: true })
      )
    }
    const changes = [...plan.updates, ...plan.createdLinks]
    for (let i = 0; i < changes.length; i += CHUNK) {
      const chunk = changes.slice(i, i + CHUNK)
      yield* ctx.events.transact((tx) =>
        Effect.forEach(chunk, ([id, events]) => appendTo(tx, streamOf(id), events), { discard: true })
      )
    }
    for (let i = 0; i < plan.removals.length; i += CHUNK) {
      const chunk = plan.removals.slice(i, i + CHUNK)
      yield* ctx.events.transact((tx) => Effect.forEach(chunk, (id) => removeIn(tx, id), { discard: true }))
    }
    return report
  })
