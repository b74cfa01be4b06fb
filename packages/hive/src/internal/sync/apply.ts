/**
 * Import: merges the cells of a file into the database as events, in one transaction (all or
 * nothing). New cells are created, known cells merged field by field against the last synced
 * version (see merge.ts), cells only in the database left alone (absence never deletes: only
 * tombstones do). Two different cells under one id (created apart on two clones) are both kept:
 * the later-created one moves to a new id derived from its own id and creation time, the same on
 * every clone.
 */
import { Effect, Either } from "effect"
import type { EventInput, EventTx, StorageError } from "@waggle/primitives"
import { appendTo } from "../context.js"
import { checkNoCycle } from "../cycles.js"
import { CellCommented, CellMerged, CellRenamed, DependencyAdded, DependencyRemoved, cellStream } from "../events.js"
import { collisionId } from "../ids.js"
import { mergeCell } from "./merge.js"
import { cellFields, lifecycleFields, parseJsonl, readRecords, recordLine } from "./records.js"
import type { CellRecord } from "./records.js"

export interface ImportConflict {
  readonly id: string
  readonly reason: string
}

export interface ImportReport {
  readonly file: string
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Conflicts that were resolved by rule (nothing is lost), and links that could not be added. */
  readonly conflicts: ReadonlyArray<ImportConflict>
  readonly dryRun: boolean
  /** Whether the import changed (or, dry, would change) the database. */
  readonly changed: boolean
}

export interface ImportOptions {
  readonly file: string
  readonly base: string | undefined
  readonly dryRun: boolean
  readonly retentionMs: number
}

/** Replaces references to `from` by `to` in a record (parent and links). */
const repoint = (r: CellRecord, from: string, to: string): CellRecord => ({
  ...r,
  parent: r.parent === from ? to : r.parent,
  dependencies: r.dependencies.map((d) => (d.id === from ? { ...d, id: to } : d))
})

const snapshot = (r: CellRecord) => ({ ...cellFields(r), ...lifecycleFields(r) })

/** Whether making `waiter` wait for `target` would close a cycle (the import then skips that change). */
const closesCycle = (tx: EventTx, waiter: string, target: string) =>
  checkNoCycle(tx.query, tx.project, waiter, target).pipe(
    Effect.as(false),
    Effect.catchTag("DependencyCycle", () => Effect.succeed(true))
  )

/** Parses the file (and the base) before any transaction: a bad line imports nothing. */
export const parseImport = (content: string, options: ImportOptions) =>
  Effect.gen(function*() {
    const theirs = yield* parseJsonl(content, options.file)
    // The base is our own earlier export; if it cannot be read, merge two-way.
    const base = options.base === undefined ? undefined : Either.getOrUndefined(parseJsonl(options.base, `${options.file} (base)`))
    return { theirs, base }
  })

export const applyImport = (
  tx: EventTx,
  incoming: ReadonlyArray<CellRecord>,
  baseRecords: ReadonlyArray<CellRecord> | undefined,
  options: ImportOptions
): Effect.Effect<ImportReport, StorageError> =>
  Effect.gen(function*() {
    const conflicts: Array<ImportConflict> = []
    const ours = new Map((yield* readRecords(tx.query, tx.project)).map((r) => [r.id, r]))
    const base = new Map((baseRecords ?? []).map((r) => [r.id, r]))
    let theirs = [...incoming]
    // A derived id is free unless a different cell holds it (the loser's own copy, from a clone
    // that resolved the collision first, does not count).
    const takenBy = (createdAt: number) => (id: string) =>
      [ours.get(id), theirs.find((r) => r.id === id)].some((r) => r !== undefined && r.created_at !== createdAt)
    let renamed = 0

    // 1. Id collisions: two different cells (different creation times) under one id.
    for (const t of [...theirs]) {
      const o = ours.get(t.id)
      if (o === undefined || o.created_at === t.created_at) continue
      const theirsLoses = t.created_at > o.created_at || (t.created_at === o.created_at && recordLine(t) > recordLine(o))
      const loser = theirsLoses ? t : o
      const to = collisionId(loser.id, loser.created_at, takenBy(loser.created_at))
      if (theirsLoses) {
        theirs = theirs.map((r) => repoint(r.id === t.id ? { ...r, id: to } : r, t.id, to))
        conflicts.push({ id: t.id, reason: `id collision: the incoming cell was imported as ${to}` })
      } else {
        yield* appendTo(tx, cellStream(to), CellRenamed.make({ from: o.id, to, at: tx.now }))
        ours.delete(o.id)
        for (const [id, r] of ours) ours.set(id, repoint(r, o.id, to))
        ours.set(to, repoint({ ...o, id: to }, o.id, to))
        renamed++
        conflicts.push({ id: t.id, reason: `id collision: the local cell moved to ${to}` })
      }
    }

    // 2. Cells: create or merge, in id order.
    const known = new Set([...ours.keys(), ...theirs.map((r) => r.id)])
    const plans: Array<{ readonly before: CellRecord | undefined; readonly after: CellRecord }> = []
    let created = 0
    let updated = 0
    let unchanged = 0
    for (const t of [...theirs].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const o = ours.get(t.id)
      const b = base.get(t.id)
      let after = t
      if (o !== undefined) {
        const result = mergeCell(b !== undefined && b.created_at === o.created_at ? b : undefined, o, t, tx.now, options.retentionMs)
        after = result.merged
        for (const reason of result.conflicts) conflicts.push({ id: t.id, reason })
        if (recordLine(after) === recordLine(o)) {
          unchanged++
          continue
        }
      }
      if (after.parent !== null && after.parent !== o?.parent) {
        const parent = after.parent
        const fallback = o?.parent ?? null
        let problem: string | undefined = known.has(parent) ? undefined : `parent ${parent} is unknown`
        if (problem === undefined && (yield* closesCycle(tx, t.id, parent))) problem = `parent ${parent} would close a cycle`
        if (problem !== undefined) {
          conflicts.push({ id: t.id, reason: `${problem}; kept ${fallback ?? "no parent"}` })
          after = { ...after, parent: fallback }
        }
      }
      const cellChanged = o === undefined || JSON.stringify(snapshot(after)) !== JSON.stringify(snapshot(o))
      if (cellChanged) {
        const event = o === undefined ? { id: t.id, cell: snapshot(after), fresh: true } : { id: t.id, cell: snapshot(after) }
        yield* appendTo(tx, cellStream(t.id), CellMerged.make(event))
      }
      const seen = new Set((o?.comments ?? []).map((c) => c.id))
      const comments: Array<EventInput> = after.comments.filter((c) => !seen.has(c.id)).map((c) =>
        CellCommented.make({ id: t.id, comment: c.id, author: c.author, body: c.body, at: c.created_at })
      )
      if (comments.length > 0) yield* appendTo(tx, cellStream(t.id), comments)
      plans.push({ before: o, after })
      if (o === undefined) created++
      else updated++
    }

    // 3. Links, once every cell exists: removals, then additions (blocks links checked for cycles).
    const key = (l: { id: string; kind: string }) => `${l.id}\u0001${l.kind}`
    for (const { before, after } of plans) {
      const old = new Map((before?.dependencies ?? []).map((l) => [key(l), l]))
      const next = new Map(after.dependencies.map((l) => [key(l), l]))
      for (const [k, l] of old) {
        if (!next.has(k)) {
          yield* appendTo(tx, cellStream(after.id), DependencyRemoved.make({ from: after.id, to: l.id, kind: l.kind, at: after.updated_at }))
        }
      }
      for (const [k, l] of next) {
        if (old.has(k)) continue
        if (!known.has(l.id)) {
          conflicts.push({ id: after.id, reason: `link to unknown cell ${l.id} skipped` })
          continue
        }
        if (l.kind === "blocks" && (yield* closesCycle(tx, after.id, l.id))) {
          conflicts.push({ id: after.id, reason: `blocks link to ${l.id} skipped: it would close a cycle` })
          continue
        }
        yield* appendTo(tx, cellStream(after.id), DependencyAdded.make({ from: after.id, to: l.id, kind: l.kind, at: l.created_at }))
      }
    }
    return {
      file: options.file,
      created,
      updated,
      unchanged,
      conflicts,
      dryRun: options.dryRun,
      changed: created + updated + renamed > 0
    }
  })

