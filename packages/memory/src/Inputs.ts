/**
 * The inputs of the memory's operations, decoded at the boundary (`decoderFor`): a bad field is an
 * `InvalidInput` naming its path, and nothing is stored.
 *
 * Limits: content 1..32 KiB of UTF-8, not blank; at most 20 tags, each a lowercase slug of 1..50
 * characters (`a-z`, `0-9`, `.`, `_`, `-`, starting with a letter or digit); a collection is a slug
 * of up to 100 characters (default `default`); metadata is a JSON object of at most 16 KiB;
 * confidence is in 0..1 (default 0.7).
 */
import { Schema } from "effect"
import { Name, Text } from "@waggle/primitives"
import { LinkType } from "./internal/events.js"

export { LinkType } from "./internal/events.js"

export const MAX_CONTENT_BYTES = 32 * 1024
export const MAX_TAGS = 20
export const MAX_METADATA_BYTES = 16 * 1024
export const DEFAULT_COLLECTION = "default"
export const DEFAULT_CONFIDENCE = 0.7

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8")

const slug = (max: number, what: string) =>
  Schema.String.pipe(
    Schema.minLength(1, { message: () => `a ${what} must not be empty` }),
    Schema.maxLength(max, { message: () => `a ${what} has at most ${max} characters` }),
    Schema.pattern(/^[a-z0-9][a-z0-9._-]*$/, {
      message: () => `a ${what} is a lowercase slug: a-z, 0-9, '.', '_', '-', starting with a letter or digit`
    })
  )

export const Tag = slug(50, "tag")
export const Collection = slug(100, "collection")

/** What a memory says: non-blank text without NUL, at most 32 KiB of UTF-8. */
export const Content = Text.pipe(
  Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty or blank" }),
  Schema.filter((s) => utf8Length(s) <= MAX_CONTENT_BYTES, {
    message: (issue) => `must be at most ${MAX_CONTENT_BYTES} bytes of UTF-8 (got ${utf8Length(String(issue.actual))})`
  })
)

const jsonSize = (value: unknown): number | undefined => {
  try {
    const text = JSON.stringify(value)
    return text === undefined ? undefined : utf8Length(text)
  } catch {
    return undefined
  }
}

export const MetadataInput = Schema.Record({ key: Schema.String, value: Schema.Unknown }).pipe(
  Schema.filter((m) => {
    const size = jsonSize(m)
    if (size === undefined) return "must be JSON-serialisable"
    return size <= MAX_METADATA_BYTES || `must be at most ${MAX_METADATA_BYTES} bytes as JSON`
  })
)

export const Confidence = Schema.Number.pipe(
  Schema.finite(),
  Schema.between(0, 1, { message: () => "confidence is a number between 0 and 1" })
)

export const Tags = Schema.Array(Tag).pipe(Schema.maxItems(MAX_TAGS, { message: () => `at most ${MAX_TAGS} tags` }))

export const StoreOptions = Schema.Struct({
  tags: Schema.optional(Tags),
  collection: Schema.optional(Collection),
  metadata: Schema.optional(MetadataInput),
  confidence: Schema.optional(Confidence),
  /** Where the learning came from: an agent, a file, a URL. */
  source: Schema.optional(Name(500))
})
export type StoreOptions = typeof StoreOptions.Encoded

export const StoreInput = Schema.Struct({ information: Content, options: StoreOptions })

export const FindMode = Schema.Literal("hybrid", "vector", "fulltext")
export type FindMode = typeof FindMode.Type

export const Timestamp = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

export const FindOptions = Schema.Struct({
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 100))),
  collection: Schema.optional(Collection),
  /** Only memories carrying every one of these tags. */
  tags: Schema.optional(Tags),
  /** Drop hits whose final score is below this (0..1). */
  minScore: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** Whole contents instead of the first 300 characters. */
  expand: Schema.optional(Schema.Boolean),
  mode: Schema.optional(FindMode),
  /** Answer as of this time (ms since the epoch): memories valid then, decayed to then. */
  asOf: Schema.optional(Timestamp),
  /** Include memories that are no longer valid (superseded or deleted by an upsert). */
  includeSuperseded: Schema.optional(Schema.Boolean)
})
export type FindOptions = typeof FindOptions.Encoded

export const FindInput = Schema.Struct({
  query: Text.pipe(
    Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty or blank" }),
    Schema.maxLength(4096)
  ),
  options: FindOptions
})

export const ListOptions = Schema.Struct({
  collection: Schema.optional(Collection),
  tags: Schema.optional(Tags),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  includeSuperseded: Schema.optional(Schema.Boolean)
})
export type ListOptions = typeof ListOptions.Encoded

export const MemoryId = Name(100)

export const LinkOptions = Schema.Struct({
  type: LinkType,
  /** How strong the link is, 0..1 (default 1). */
  strength: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
})
export type LinkOptions = typeof LinkOptions.Encoded

export const LinkInput = Schema.Struct({ source: MemoryId, target: MemoryId, options: LinkOptions })

export const LinkedOptions = Schema.Struct({
  type: Schema.optional(LinkType),
  /** `out`: links from this memory; `in`: links to it; `both` (default). */
  direction: Schema.optional(Schema.Literal("out", "in", "both"))
})
export type LinkedOptions = typeof LinkedOptions.Encoded

export const ValidateOptions = Schema.Struct({ confidence: Schema.optional(Confidence) })
export type ValidateOptions = typeof ValidateOptions.Encoded

export const ImportInput = Schema.Struct({
  content: Schema.String,
  options: Schema.Struct({
    dryRun: Schema.optional(Schema.Boolean),
    /** The file as it was at the last sync, for three-way merges. */
    base: Schema.optional(Schema.UndefinedOr(Schema.String))
  })
})

export const ReembedOptions = Schema.Struct({
  collection: Schema.optional(Collection),
  /** Re-embed memories already embedded by the current embedder too. */
  force: Schema.optional(Schema.Boolean)
})
export type ReembedOptions = typeof ReembedOptions.Encoded
