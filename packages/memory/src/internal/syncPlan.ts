/** What an import of a memories file will do, decided from the file, `base` and the local state (pure). */
import type { EventInput } from "@waggle/primitives"
import { MemoryLinked, MemorySuperseded, MemoryUnlinked, MemoryValidated } from "./events.js"
import type { Line } from "./syncFile.js"
import { canonicalJson, sameLine } from "./syncFile.js"

export interface ImportPlan {
  /** Memories to create (re-embedded), with their validation and supersession. */
  readonly creates: ReadonlyArray<Line>
  /** Links of created memories, appended after every creation (targets may be created too). */
  readonly createdLinks: ReadonlyArray<readonly [string, ReadonlyArray<EventInput>]>
  /** Events per existing memory. */
  readonly updates: ReadonlyMap<string, ReadonlyArray<EventInput>>
  /** Ids of memories removed elsewhere (in `base`, not in the file, unchanged here). */
  readonly removals: ReadonlyArray<string>
  readonly unchanged: number
  readonly conflicts: ReadonlyArray<{ readonly id: string; readonly reason: string }>
}

const immutable = (l: Line) =>
  canonicalJson([l.content, l.collection, l.tags, l.metadata, l.source, l.validFrom])

type Link = Line["links"][number]
const linkKey = (l: Link) => `${l.target}\u0001${l.type}`

export const planImport = (
  incoming: ReadonlyMap<string, Line>,
  base: ReadonlyMap<string, Line> | undefined,
  local: ReadonlyMap<string, Line>
): ImportPlan => {
  const creates: Array<Line> = []
  const createdLinks: Array<readonly [string, ReadonlyArray<EventInput>]> = []
  const updates = new Map<string, ReadonlyArray<EventInput>>()
  const removals: Array<string> = []
  const conflicts: Array<{ id: string; reason: string }> = []
  let unchanged = 0

  const willExist = (id: string) => local.has(id) || (incoming.has(id) && !base?.has(id))

  for (const [id, f] of incoming) {
    const l = local.get(id)
    if (l === undefined) {
      if (base?.has(id) === true) {
        unchanged++ // removed here since the last sync: it stays removed
        continue
      }
      creates.push(f)
      const links = f.links.filter((k) => willExist(k.target))
      for (const k of f.links) if (!willExist(k.target)) conflicts.push({ id, reason: `link target ${k.target} does not exist` })
      if (links.length > 0) {
        createdLinks.push([id, links.map((k) => MemoryLinked.make({ source: id, target: k.target, type: k.type, strength: k.strength }))])
      }
      continue
    }
    if (immutable(f) !== immutable(l)) {
      conflicts.push({ id, reason: "content, tags, collection, metadata, source or validFrom differ; kept the local memory" })
      continue
    }
    const events: Array<EventInput> = []
    if (f.validatedAt !== null && (l.validatedAt === null || f.validatedAt > l.validatedAt)) {
      events.push(MemoryValidated.make({ id, at: f.validatedAt, confidence: f.confidence === l.confidence ? null : f.confidence }))
    } else if (f.confidence !== l.confidence && f.validatedAt === l.validatedAt) {
      conflicts.push({ id, reason: `confidence ${f.confidence} in the file, ${l.confidence} here; kept ${l.confidence}` })
    }
    if (f.validUntil !== null && l.validUntil === null) {
      events.push(MemorySuperseded.make({ id, by: f.supersededBy, reason: "imported", at: f.validUntil }))
    } else if (f.validUntil !== null && (f.validUntil !== l.validUntil || f.supersededBy !== l.supersededBy)) {
      conflicts.push({ id, reason: "superseded differently here and in the file; kept the local supersession" })
    }
    const fileLinks = new Map(f.links.map((k) => [linkKey(k), k]))
    const localLinks = new Map(l.links.map((k) => [linkKey(k), k]))
    const baseLinks = new Map((base?.get(id)?.links ?? []).map((k) => [linkKey(k), k]))
    for (const [key, k] of fileLinks) {
      const mine = localLinks.get(key)
      const before = baseLinks.get(key)
      if (mine === undefined) {
        if (before !== undefined) continue // unlinked here since the last sync
        if (!willExist(k.target)) {
          conflicts.push({ id, reason: `link target ${k.target} does not exist` })
          continue
        }
        events.push(MemoryLinked.make({ source: id, target: k.target, type: k.type, strength: k.strength }))
      } else if (mine.strength !== k.strength) {
        if (before?.strength === mine.strength) {
          events.push(MemoryLinked.make({ source: id, target: k.target, type: k.type, strength: k.strength }))
        } else if (before?.strength !== k.strength) {
          conflicts.push({ id, reason: `link ${k.type} → ${k.target} has strength ${k.strength} in the file, ${mine.strength} here` })
        }
      }
    }
    for (const [key, k] of localLinks) {
      if (!fileLinks.has(key) && baseLinks.has(key)) {
        events.push(MemoryUnlinked.make({ source: id, target: k.target, type: k.type }))
      }
    }
    if (events.length > 0) updates.set(id, events)
    else unchanged++
  }

  for (const [id, b] of base ?? []) {
    if (incoming.has(id)) continue
    const l = local.get(id)
    if (l === undefined) continue
    if (sameLine(l, b)) removals.push(id)
    else conflicts.push({ id, reason: "removed elsewhere but changed here since the last sync; kept" })
  }
  return { creates, createdLinks, updates, removals, unchanged, conflicts }
}
