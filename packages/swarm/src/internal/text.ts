/**
 * Deterministic text budgeting for prompts: agents read them with limited context, so every
 * variable part has a budget and says when it was cut.
 */

/** `text` cut to at most `max` characters (at a line or word break when one is near), with a marker saying how much was left out. */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text
  const marker = (omitted: number) => ` …[truncated: ${omitted} more characters]`
  const room = Math.max(0, max - marker(text.length).length)
  let cut = room
  const newline = text.lastIndexOf("\n", room)
  const space = text.lastIndexOf(" ", room)
  if (newline >= room * 0.8) cut = newline
  else if (space >= room * 0.8) cut = space
  const head = text.slice(0, cut).trimEnd()
  return head + marker(text.length - head.length)
}

/** One line: newlines and runs of whitespace become single spaces, then cut to `max`. */
export const oneLine = (text: string, max: number): string => truncate(text.replace(/\s+/g, " ").trim(), max)

/** At most `max` items, and a final line saying how many were left out. */
export const limitLines = (lines: ReadonlyArray<string>, max: number, what = "more"): Array<string> =>
  lines.length <= max ? [...lines] : [...lines.slice(0, max), `- …and ${lines.length - max} ${what}`]

/** A bullet list (`- item`), `(none)` when empty. */
export const bullets = (items: ReadonlyArray<string>, max: number, itemChars: number, what = "more"): string =>
  items.length === 0 ? "(none)" : limitLines(items.map((i) => `- ${oneLine(i, itemChars)}`), max, what).join("\n")

/** The last `maxLines` lines of `output` (and its first `headLines`), at most `maxChars` characters in all. */
export const summariseOutput = (output: string, options: { readonly headLines?: number; readonly maxLines?: number; readonly maxChars?: number } = {}): string => {
  const { headLines = 5, maxLines = 40, maxChars = 4000 } = options
  const lines = output.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n")
  let kept: Array<string>
  if (lines.length <= headLines + maxLines) kept = lines
  else {
    kept = [
      ...lines.slice(0, headLines),
      `…[${lines.length - headLines - maxLines} lines omitted]…`,
      ...lines.slice(lines.length - maxLines)
    ]
  }
  const text = kept.join("\n")
  if (text.length <= maxChars) return text
  const omitted = text.length - maxChars
  return `…[${omitted} characters omitted]…\n` + text.slice(text.length - maxChars)
}

/** Sections joined by a blank line, empty ones left out. */
export const sections = (parts: ReadonlyArray<string | null | undefined>): string =>
  parts.filter((p): p is string => p !== null && p !== undefined && p.trim() !== "").join("\n\n")

export const pct = (x: number): string => `${Math.round(x * 100)}%`
