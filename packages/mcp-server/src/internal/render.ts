/**
 * The compact text rendering of a tool result (MCP `content`, next to `structuredContent`): one
 * `key: value` line per field, arrays of objects as one `- k=v k=v` line per item. Meant for
 * agents whose client shows only text; the exact data is in `structuredContent`.
 */

const scalar = (value: unknown): string => {
  if (value === null || value === undefined) return "-"
  if (typeof value === "string") return /^[^\s"=,{}[\]]+$/.test(value) ? value : JSON.stringify(value)
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return JSON.stringify(value)
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** `k=v k=v` for a flat object; nested values in compact JSON. */
const inline = (item: Record<string, unknown>): string =>
  Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) && v.every((x) => !isPlainObject(x)) ? v.map(scalar).join(",") : scalar(v)}`)
    .join(" ")

const field = (key: string, value: unknown): Array<string> => {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${key}: (none)`]
    if (value.every((v) => !isPlainObject(v) && !Array.isArray(v))) return [`${key}: ${value.map(scalar).join(", ")}`]
    return [`${key}:`, ...value.map((v) => `- ${isPlainObject(v) ? inline(v) : scalar(v)}`)]
  }
  if (isPlainObject(value)) return [`${key}: ${inline(value)}`]
  if (typeof value === "string" && value.includes("\n")) return [`${key}: |`, ...value.split("\n").map((l) => `  ${l}`)]
  return [`${key}: ${scalar(value)}`]
}

export const renderText = (value: unknown): string => {
  if (!isPlainObject(value)) return scalar(value)
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => field(k, v))
    .join("\n")
}
