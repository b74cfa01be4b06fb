/**
 * Text schemas for inputs that end up in SQL columns. libSQL's binding cuts text at a NUL
 * character, so such text is refused at the boundary with a clear error instead of being truncated.
 */
import { Schema } from "effect"

const noNul = (s: string) => !s.includes("\u0000")

/** Any text without NUL characters. */
export const Text = Schema.String.pipe(
  Schema.filter(noNul, { message: () => "must not contain NUL (\\u0000) characters" })
)

/** Non-empty text without NUL characters, at most `max` characters. */
export const BoundedText = (max: number) =>
  Text.pipe(Schema.minLength(1), Schema.maxLength(max))

/** A name or identifier: 1..`max` characters, no NUL, not only whitespace. */
export const Name = (max = 200) =>
  BoundedText(max).pipe(Schema.filter((s) => s.trim().length > 0, { message: () => "must not be blank" }))
