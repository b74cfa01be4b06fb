/**
 * The field-wise three-way merge of one cell: `base` is the cell as of the last sync (absent on a
 * first sync: then every difference counts as changed on both sides), `ours` the database,
 * `theirs` the incoming file. A field changed on one side only takes that side's value. A field
 * changed on both sides is a conflict, resolved by rule (and reported):
 *
 * - status (with closed_at, closed_reason, result): closed beats not closed; else later updated_at;
 * - priority: the more urgent (lower) value;
 * - deleted_at: a tombstone younger than the retention window wins; an older one is an ordinary
 *   value (later updated_at wins); two tombstones keep the earlier deletion;
 * - anything else: the side with the later updated_at (ties: the larger JSON value, so that every
 *   clone picks the same).
 *
 * Labels and links merge as sets (additions of both sides kept; a removal kept unless the other
 * side added the item again), comments as a union by id. created_at: the earlier; updated_at: the
 * later. The result is symmetric: merging (ours, theirs) and (theirs, ours) gives the same cell.
 */
import type { CellRecord, CommentRecord, LinkRecord } from "./records.js"

export interface MergeResult {
  readonly merged: CellRecord
  /** Fields changed on both sides, with the rule that decided. */
  readonly conflicts: ReadonlyArray<string>
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

const laterSide = <A>(ours: CellRecord, theirs: CellRecord, a: A, b: A): A => {
  if (ours.updated_at !== theirs.updated_at) return ours.updated_at > theirs.updated_at ? a : b
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b
}

/** A set's three-way merge: both sides' additions, minus items one side removed and the other kept. */
const mergeSet = <A>(base: ReadonlyArray<A> | undefined, ours: ReadonlyArray<A>, theirs: ReadonlyArray<A>, key: (a: A) => string) => {
  const b = new Set((base ?? []).map(key))
  const o = new Map(ours.map((a) => [key(a), a]))
  const t = new Map(theirs.map((a) => [key(a), a]))
  const out = new Map<string, A>()
  for (const [k, a] of o) if (t.has(k) || !b.has(k)) out.set(k, a)
  for (const [k, a] of t) if (!out.has(k) && (o.has(k) || !b.has(k))) out.set(k, a)
  return [...out.keys()].sort().map((k) => out.get(k)!)
}

const linkKey = (l: LinkRecord) => `${l.id}\u0001${l.kind}`

export const mergeCell = (
  base: CellRecord | undefined,
  ours: CellRecord,
  theirs: CellRecord,
  now: number,
  retentionMs: number
): MergeResult => {
  const conflicts: Array<string> = []
  const pick = <A>(field: string, get: (r: CellRecord) => A, resolve: (o: A, t: A) => [A, string]): A => {
    const o = get(ours)
    const t = get(theirs)
    if (same(o, t)) return o
    if (base !== undefined) {
      const b = get(base)
      if (same(o, b)) return t
      if (same(t, b)) return o
    }
    const [value, rule] = resolve(o, t)
    conflicts.push(`${field}: changed on both sides; ${rule}`)
    return value
  }
  const later = <A>(o: A, t: A): [A, string] => [laterSide(ours, theirs, o, t), "the later update wins"]

  const title = pick("title", (r) => r.title, later)
  const description = pick("description", (r) => r.description, later)
  const type = pick("type", (r) => r.type, later)
  const assignee = pick("assignee", (r) => r.assignee, later)
  const files = pick("files", (r) => r.files, later)
  const parent = pick("parent", (r) => r.parent, later)
  const priority = pick("priority", (r) => r.priority, (o, t) => [Math.min(o, t), "the more urgent priority wins"])
  const closure = pick(
    "status",
    (r) => ({ status: r.status, closed_at: r.closed_at, closed_reason: r.closed_reason, result: r.result }),
    (o, t) =>
      o.status === "closed" && t.status !== "closed"
        ? [o, "closed beats open"]
        : t.status === "closed" && o.status !== "closed"
        ? [t, "closed beats open"]
        : later(o, t)
  )
  const deletedAt = pick("deleted_at", (r) => r.deleted_at, (o, t) => {
    if (o !== null && t !== null) return [Math.min(o, t), "the earlier deletion stands"]
    const tombstone = (o ?? t)!
    if (now - tombstone < retentionMs) return [tombstone, "the tombstone wins (within the retention window)"]
    return [laterSide(ours, theirs, o, t), "the tombstone expired; the later update wins"]
  })

  const merged: CellRecord = {
    id: ours.id,
    title,
    description,
    type,
    status: closure.status,
    priority,
    assignee,
    labels: mergeSet(base?.labels, ours.labels, theirs.labels, (l) => l),
    files,
    parent,
    dependencies: mergeSet(base?.dependencies, ours.dependencies, theirs.dependencies, linkKey).map((l) => {
      const other = [...ours.dependencies, ...theirs.dependencies].filter((x) => linkKey(x) === linkKey(l))
      return { ...l, created_at: Math.min(...other.map((x) => x.created_at)) }
    }),
    comments: union(ours.comments, theirs.comments),
    created_at: Math.min(ours.created_at, theirs.created_at),
    updated_at: Math.max(ours.updated_at, theirs.updated_at),
    closed_at: closure.closed_at,
    closed_reason: closure.closed_reason,
    result: closure.result,
    deleted_at: deletedAt
  }
  return { merged, conflicts }
}

const union = (ours: ReadonlyArray<CommentRecord>, theirs: ReadonlyArray<CommentRecord>): Array<CommentRecord> => {
  const byId = new Map<string, CommentRecord>()
  for (const c of [...ours, ...theirs]) {
    const existing = byId.get(c.id)
    // the same id on both sides is the same comment; pick deterministically if it ever differs
    if (existing === undefined || JSON.stringify(c) > JSON.stringify(existing)) byId.set(c.id, c)
  }
  return [...byId.values()].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
