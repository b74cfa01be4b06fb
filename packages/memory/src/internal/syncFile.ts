/**
 * The `.hive/memories.jsonl` format: one memory per line, sorted by id, keys in a fixed order,
 * metadata keys sorted, no embeddings (each machine embeds with its own embedder on import).
 * The same state always gives the same bytes.
 */
import { Either, Schema } from "effect"
import { issuesOf, Name } from "@waggle/primitives"
import { Collection, Confidence, Content, MemoryId, MetadataInput, Tags, Timestamp } from "../Inputs.js"
import { LinkType } from "./events.js"

export const SYNC_FILE = ".hive/memories.jsonl"

export const LineLink = Schema.Struct({
  target: MemoryId,
  type: LinkType,
  strength: Schema.Number.pipe(Schema.between(0, 1))
})

export const Line = Schema.Struct({
  id: MemoryId,
  content: Content,
  collection: Collection,
  tags: Tags,
  confidence: Confidence,
  source: Schema.NullOr(Name(500)),
  metadata: MetadataInput,
  validFrom: Timestamp,
  validUntil: Schema.NullOr(Timestamp),
  supersededBy: Schema.NullOr(MemoryId),
  validatedAt: Schema.NullOr(Timestamp),
  links: Schema.Array(LineLink)
})
export type Line = typeof Line.Type

/** JSON with object keys sorted at every level. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/** One line, keys in the format's order. */
export const formatLine = (line: Line): string =>
  `{"id":${JSON.stringify(line.id)},"content":${JSON.stringify(line.content)},"collection":${JSON.stringify(line.collection)},` +
  `"tags":${JSON.stringify(line.tags)},"confidence":${JSON.stringify(line.confidence)},"source":${JSON.stringify(line.source)},` +
  `"metadata":${canonicalJson(line.metadata)},"validFrom":${line.validFrom},"validUntil":${JSON.stringify(line.validUntil)},` +
  `"supersededBy":${JSON.stringify(line.supersededBy)},"validatedAt":${JSON.stringify(line.validatedAt)},` +
  `"links":[${line.links.map((l) => `{"target":${JSON.stringify(l.target)},"type":"${l.type}","strength":${JSON.stringify(l.strength)}}`).join(",")}]}`

export const formatFile = (lines: ReadonlyArray<Line>): string =>
  [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((l) => formatLine(l) + "\n").join("")

export interface LineError {
  readonly line: number
  readonly message: string
}

const decodeLine = Schema.decodeUnknownEither(Line, { errors: "all", onExcessProperty: "error" })

/** Every memory of a file by id, or every bad line (1-based numbers; blank lines are skipped). */
export const parseFile = (content: string): Either.Either<ReadonlyMap<string, Line>, ReadonlyArray<LineError>> => {
  const lines = new Map<string, Line>()
  const errors: Array<LineError> = []
  content.split("\n").forEach((text, i) => {
    const line = i + 1
    if (text.trim() === "") return
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      errors.push({ line, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` })
      return
    }
    const decoded = decodeLine(json)
    if (Either.isLeft(decoded)) {
      const detail = issuesOf(decoded.left).map((issue) => `${issue.path === "" ? "(line)" : issue.path}: ${issue.message}`)
      errors.push({ line, message: detail.join("; ") })
      return
    }
    const m = decoded.right
    if (lines.has(m.id)) {
      errors.push({ line, message: `duplicate memory id ${m.id}` })
      return
    }
    const linkKeys = new Set(m.links.map((l) => `${l.target} ${l.type}`))
    if (linkKeys.size !== m.links.length) {
      errors.push({ line, message: "links: the same (target, type) twice" })
      return
    }
    lines.set(m.id, m)
  })
  return errors.length > 0 ? Either.left(errors) : Either.right(lines)
}

/** Whether two lines describe the same state (metadata compared canonically). */
export const sameLine = (a: Line, b: Line): boolean => formatLine(a) === formatLine(b)
