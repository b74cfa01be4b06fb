/**
 * JSON values: what a deferred can be resolved with. Checked up front, with the path of the first
 * offending part, because `JSON.stringify` would otherwise change the value silently (a `Date`
 * becomes a string, `undefined` disappears, `NaN` becomes `null`) and the awaiting process would
 * receive something else than what was sent.
 */
import { Schema } from "effect"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const MAX_DEPTH = 64
/** Largest value accepted, measured as JSON text. */
export const MAX_JSON_LENGTH = 1_000_000

const describe = (u: unknown): string =>
  u === undefined ? "undefined" : typeof u === "object" ? (u as object).constructor?.name ?? "object" : typeof u

const problemOf = (u: unknown, path: ReadonlyArray<PropertyKey>, depth: number): Schema.FilterIssue | undefined => {
  if (u === null || typeof u === "boolean" || typeof u === "string") return undefined
  if (typeof u === "number") {
    return Number.isFinite(u) ? undefined : { path, message: `${u} is not a JSON number` }
  }
  if (depth >= MAX_DEPTH) return { path, message: `nested deeper than ${MAX_DEPTH} levels` }
  if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) {
      const p = problemOf(u[i], [...path, i], depth + 1)
      if (p !== undefined) return p
    }
    return undefined
  }
  if (typeof u === "object") {
    const proto = Object.getPrototypeOf(u)
    if (proto !== Object.prototype && proto !== null) {
      return { path, message: `a ${describe(u)} is not a plain JSON object and would not round-trip` }
    }
    for (const [key, value] of Object.entries(u)) {
      const p = problemOf(value, [...path, key], depth + 1)
      if (p !== undefined) return p
    }
    return undefined
  }
  return { path, message: `${describe(u)} is not a JSON value` }
}

/** Any JSON value: null, booleans, finite numbers, strings, arrays and plain objects of them. */
export const JsonValue: Schema.Schema<unknown> = Schema.Unknown.pipe(
  Schema.filter((u) => problemOf(u, [], 0) ?? true, { identifier: "JsonValue" })
)

/** A JSON value of at most `MAX_JSON_LENGTH` characters as JSON text. */
export const BoundedJsonValue = JsonValue.pipe(
  Schema.filter((u) => JSON.stringify(u).length <= MAX_JSON_LENGTH || `larger than ${MAX_JSON_LENGTH} characters as JSON`)
)
