/**
 * The export format: one JSON object per cell and line, sorted by id, keys in a fixed order,
 * timestamps as ISO-8601 UTC, links, labels and comments embedded. Same state, same bytes.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { BoundedText, issuesOf, sql, Text } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import { CellStatus, CellType, Description, Files, Labels, Priority, Title } from "../../Cell.js"
import { ImportParseError } from "../../HiveErrors.js"
import { ID_PATTERN } from "../ids.js"
import { CELL_COLUMNS } from "../rows.js"
import type { CellRow, Query } from "../rows.js"

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/

/** An ISO-8601 UTC timestamp in the file, milliseconds in memory. */
const Timestamp = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (s, _, ast) => {
    const ms = ISO_UTC.test(s) ? Date.parse(s) : Number.NaN
    return Number.isFinite(ms) ? ParseResult.succeed(ms) : ParseResult.fail(new ParseResult.Type(ast, s, "an ISO-8601 UTC timestamp"))
  },
  encode: (ms) => ParseResult.succeed(new Date(ms).toISOString())
})

const Id = Schema.String.pipe(Schema.pattern(ID_PATTERN, { message: () => "a cell id (letters, digits, . _ ~ -)" }))

const LinkRecord = Schema.Struct({
  id: Id,
  kind: Schema.Literal("blocks", "related", "discovered-from"),
  created_at: Timestamp
})

const CommentRecord = Schema.Struct({
  id: BoundedText(200),
  author: BoundedText(200),
  body: Text.pipe(Schema.maxLength(100_000)),
  created_at: Timestamp
})

export const CellRecordSchema = Schema.Struct({
  id: Id,
  title: Title,
  description: Description,
  type: CellType,
  status: CellStatus,
  priority: Priority,
  assignee: Schema.NullOr(BoundedText(200)),
  labels: Labels,
  files: Files,
  parent: Schema.NullOr(Id),
  dependencies: Schema.Array(LinkRecord),
  comments: Schema.Array(CommentRecord),
  created_at: Timestamp,
  updated_at: Timestamp,
  closed_at: Schema.NullOr(Timestamp),
  closed_reason: Schema.NullOr(Text.pipe(Schema.maxLength(2000))),
  result: Schema.NullOr(Text.pipe(Schema.maxLength(100_000))),
  deleted_at: Schema.NullOr(Timestamp)
}).pipe(
  Schema.filter((r) => (r.status === "closed") === (r.closed_at !== null) || "closed_at must be set exactly when the status is closed")
)
/** A cell as exported: timestamps in milliseconds. */
export type CellRecord = typeof CellRecordSchema.Type
export type LinkRecord = typeof LinkRecord.Type
export type CommentRecord = typeof CommentRecord.Type

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const sortLinks = (links: ReadonlyArray<LinkRecord>) => [...links].sort((a, b) => cmp(a.id, b.id) || cmp(a.kind, b.kind))
export const sortComments = (comments: ReadonlyArray<CommentRecord>) =>
  [...comments].sort((a, b) => a.created_at - b.created_at || cmp(a.id, b.id))

/** The cell's own fields from `title` to `parent`, in the file's key order, labels sorted. */
export const cellFields = (r: CellRecord) => ({
  title: r.title,
  description: r.description,
  type: r.type,
  status: r.status,
  priority: r.priority,
  assignee: r.assignee,
  labels: [...r.labels].sort(),
  files: [...r.files],
  parent: r.parent
})

type Lifecycle = Pick<CellRecord, "created_at" | "updated_at" | "closed_at" | "closed_reason" | "result" | "deleted_at">

/** The cell's timestamps (milliseconds), close reason and result: the same in a row, a record and a snapshot. */
export const lifecycleFields = (r: Lifecycle): Lifecycle => ({
  created_at: r.created_at,
  updated_at: r.updated_at,
  closed_at: r.closed_at,
  closed_reason: r.closed_reason,
  result: r.result,
  deleted_at: r.deleted_at
})

/** The record's line, without the newline. Keys in a fixed order; lists sorted. */
export const recordLine = (r: CellRecord): string =>
  JSON.stringify({
    id: r.id,
    ...cellFields(r),
    dependencies: sortLinks(r.dependencies).map((d) => ({ id: d.id, kind: d.kind, created_at: iso(d.created_at) })),
    comments: sortComments(r.comments).map((c) => ({ id: c.id, author: c.author, body: c.body, created_at: iso(c.created_at) })),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    closed_at: isoOrNull(r.closed_at),
    closed_reason: r.closed_reason,
    result: r.result,
    deleted_at: isoOrNull(r.deleted_at)
  })

/** The file: records sorted by id, every line ending in `\n`. */
export const toJsonl = (records: ReadonlyArray<CellRecord>): string =>
  [...records].sort((a, b) => cmp(a.id, b.id)).map((r) => recordLine(r) + "\n").join("")

const decodeRecord = Schema.decodeUnknownEither(CellRecordSchema, { errors: "all" })

/** Parses a whole file; the first bad line (or a duplicate id) is an `ImportParseError`. */
export const parseJsonl = (content: string, file: string): Either.Either<Array<CellRecord>, ImportParseError> => {
  const records: Array<CellRecord> = []
  const seen = new Map<string, number>()
  const lines = content.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!
    if (text.trim() === "") continue
    const line = i + 1
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return Either.left(new ImportParseError({ file, line, reason: `not JSON: ${(error as Error).message}` }))
    }
    const decoded = decodeRecord(json)
    if (Either.isLeft(decoded)) {
      const reason = issuesOf(decoded.left).map((i) => `${i.path === "" ? "(record)" : i.path}: ${i.message}`).join("; ")
      return Either.left(new ImportParseError({ file, line, reason }))
    }
    const first = seen.get(decoded.right.id)
    if (first !== undefined) {
      return Either.left(new ImportParseError({ file, line, reason: `duplicate id ${decoded.right.id} (first on line ${first})` }))
    }
    seen.set(decoded.right.id, line)
    records.push(decoded.right)
  }
  return Either.right(records)
}

/** Every cell of the project (tombstones included) as records, sorted by id: four range reads. */
export const readRecords = (query: Query, project: string): Effect.Effect<Array<CellRecord>, StorageError> =>
  Effect.gen(function*() {
    const rows = yield* query<CellRow>({
      sql: `SELECT ${CELL_COLUMNS} FROM hive_cells WHERE project = ? ORDER BY id`,
      args: [project]
    })
    const labels = yield* query<{ cell_id: string; label: string }>(
      sql`SELECT cell_id, label FROM hive_labels WHERE project = ${project} ORDER BY cell_id, label`
    )
    const deps = yield* query<{ from_id: string; to_id: string; kind: LinkRecord["kind"]; created_at: number }>(
      sql`SELECT from_id, to_id, kind, created_at FROM hive_deps WHERE project = ${project} ORDER BY from_id, kind, to_id`
    )
    const comments = yield* query<{ cell_id: string; comment_id: string; author: string; body: string; created_at: number }>(
      sql`SELECT cell_id, comment_id, author, body, created_at FROM hive_comments WHERE project = ${project}
          ORDER BY cell_id, comment_id`
    )
    const group = <R extends { readonly [k: string]: unknown }, V>(list: ReadonlyArray<R>, key: (r: R) => string, value: (r: R) => V) => {
      const map = new Map<string, Array<V>>()
      for (const r of list) {
        const k = key(r)
        const bucket = map.get(k)
        if (bucket === undefined) map.set(k, [value(r)])
        else bucket.push(value(r))
      }
      return map
    }
    const labelsOf = group(labels, (r) => r.cell_id, (r) => r.label)
    const depsOf = group(deps, (r) => r.from_id, (r): LinkRecord => ({ id: r.to_id, kind: r.kind, created_at: r.created_at }))
    const commentsOf = group(
      comments,
      (r) => r.cell_id,
      (r): CommentRecord => ({ id: r.comment_id, author: r.author, body: r.body, created_at: r.created_at })
    )
    return rows.map((r): CellRecord => ({
      id: r.id,
      title: r.title,
      description: r.description,
      type: r.type as CellRecord["type"],
      status: r.status as CellRecord["status"],
      priority: r.priority,
      assignee: r.assignee,
      labels: labelsOf.get(r.id) ?? [],
      files: JSON.parse(r.files) as Array<string>,
      parent: r.parent,
      dependencies: depsOf.get(r.id) ?? [],
      comments: commentsOf.get(r.id) ?? [],
      ...lifecycleFields(r)
    }))
  })
