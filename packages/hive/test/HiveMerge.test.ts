/** The field-wise merge rules, on records (pure: no database). */
import { describe, expect, it } from "vitest"
import { mergeCell } from "../src/internal/sync/merge.js"
import type { CellRecord } from "../src/internal/sync/records.js"

const T = Date.parse("2025-03-01T00:00:00.000Z")
const DAY = 24 * 60 * 60 * 1000
const RETENTION = 30 * DAY

const cell = (over: Partial<CellRecord> = {}): CellRecord => ({
  id: "hv-a1",
  title: "title",
  description: "",
  type: "task",
  status: "open",
  priority: 2,
  assignee: null,
  labels: ["base"],
  files: [],
  parent: null,
  dependencies: [],
  comments: [],
  created_at: T,
  updated_at: T,
  closed_at: null,
  closed_reason: null,
  result: null,
  deleted_at: null,
  ...over
})

const both = (base: CellRecord | undefined, ours: CellRecord, theirs: CellRecord, now = T + DAY) => {
  const ab = mergeCell(base, ours, theirs, now, RETENTION)
  const ba = mergeCell(base, theirs, ours, now, RETENTION)
  // every clone computes the same result
  expect(ba.merged).toEqual(ab.merged)
  return ab
}

describe("mergeCell", () => {
  it("a field changed on one side takes that side's value, whatever the timestamps", () => {
    const base = cell()
    const ours = cell({ title: "ours", updated_at: T + 10 })
    const theirs = cell({ description: "theirs", updated_at: T + 5 })
    const { merged, conflicts } = both(base, ours, theirs)
    expect(merged).toMatchObject({ title: "ours", description: "theirs", updated_at: T + 10 })
    expect(conflicts).toEqual([])
  })

  it("a field changed on both sides: the later updated_at wins, per field", () => {
    const base = cell()
    const ours = cell({ title: "ours", assignee: "a", updated_at: T + 10 })
    const theirs = cell({ title: "theirs", updated_at: T + 20 })
    const { merged, conflicts } = both(base, ours, theirs)
    expect(merged).toMatchObject({ title: "theirs", assignee: "a" })
    expect(conflicts).toEqual(["title: changed on both sides; the later update wins"])
  })

  it("closed beats open, with its closing fields; the invariant holds", () => {
    const base = cell()
    const closed = cell({ status: "closed", closed_at: T + 1, closed_reason: "done", result: "r", updated_at: T + 1 })
    const started = cell({ status: "in_progress", assignee: "b", updated_at: T + 50 })
    const { merged } = both(base, closed, started)
    expect(merged).toMatchObject({ status: "closed", closed_at: T + 1, closed_reason: "done", result: "r", assignee: "b" })
    // and with no base at all
    expect(both(undefined, closed, started).merged.status).toBe("closed")
  })

  it("a reopen on one side (unchanged on the other) stays open", () => {
    const base = cell({ status: "closed", closed_at: T, closed_reason: "x" })
    const reopened = cell({ updated_at: T + 5 })
    expect(both(base, reopened, base).merged).toMatchObject({ status: "open", closed_at: null })
  })

  it("the more urgent priority wins a conflict", () => {
    const base = cell()
    const { merged } = both(base, cell({ priority: 1, updated_at: T + 100 }), cell({ priority: 0, updated_at: T + 1 }))
    expect(merged.priority).toBe(0)
  })

  it("labels and links merge as sets: both sides' additions, one side's removals", () => {
    const link = (id: string, at = T) => ({ id, kind: "blocks" as const, created_at: at })
    const base = cell({ labels: ["keep", "drop"], dependencies: [link("hv-x")] })
    const ours = cell({ labels: ["keep", "ours"], dependencies: [link("hv-x"), link("hv-y")] })
    const theirs = cell({ labels: ["keep", "drop", "theirs"], dependencies: [link("hv-z")] })
    const { merged } = both(base, ours, theirs)
    expect(merged.labels).toEqual(["keep", "ours", "theirs"])
    expect(merged.dependencies.map((d) => d.id)).toEqual(["hv-y", "hv-z"])
    // without a base nothing can be told removed: the union
    expect(both(undefined, ours, theirs).merged.labels).toEqual(["drop", "keep", "ours", "theirs"])
  })

  it("comments are a union by id", () => {
    const c = (id: string, at: number) => ({ id, author: "a", body: id, created_at: at })
    const { merged } = both(cell(), cell({ comments: [c("c1", T + 1), c("c2", T + 3)] }), cell({ comments: [c("c1", T + 1), c("c3", T + 2)] }))
    expect(merged.comments.map((x) => x.id)).toEqual(["c1", "c3", "c2"])
  })

  it("a tombstone within the retention window beats a concurrent edit; an expired one does not", () => {
    const base = cell()
    const deleted = cell({ deleted_at: T + DAY, updated_at: T + DAY })
    const edited = cell({ title: "edited later", updated_at: T + 2 * DAY })
    expect(both(base, deleted, edited, T + 3 * DAY).merged.deleted_at).toBe(T + DAY)
    const expired = both(undefined, deleted, edited, T + 40 * DAY)
    expect(expired.merged.deleted_at).toBeNull()
    expect(expired.conflicts).toContain("deleted_at: changed on both sides; the tombstone expired; the later update wins")
  })

  it("ties on updated_at are broken the same way on every clone", () => {
    const { merged } = both(undefined, cell({ title: "a" }), cell({ title: "b" }))
    expect(merged.title).toBe("b")
  })
})
