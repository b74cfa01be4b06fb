/**
 * How a tool is declared: a router route with the tool context, terse metadata and MCP annotations.
 * The route's path in the app router gives the tool's name (`hive.create_epic` → `hive_create_epic`).
 */
import type { DurationLike, RouteAnnotations } from "@waggle/router"
import { route } from "@waggle/router"
import { Schema } from "effect"
import type { ToolContext } from "../ToolContext.js"
import { HiddenFieldId } from "./jsonSchema.js"

// MCP's defaults are readOnlyHint false, destructiveHint true, idempotentHint false: only the
// hints that differ are listed (the tool list is in every agent's context).

/** Reads only. */
export const READ: RouteAnnotations = { readOnlyHint: true }
/** Adds or changes state; calling twice does more than once. */
export const WRITE: RouteAnnotations = { destructiveHint: false }
/** Changes state; calling twice with the same input ends in the same state. */
export const IDEMPOTENT: RouteAnnotations = { destructiveHint: false, idempotentHint: true }
/** May remove or override what others rely on. */
export const DESTRUCTIVE: RouteAnnotations = { destructiveHint: true, idempotentHint: true }

/** Starts a tool: `tool("Creates a cell", WRITE).input(...).output(...).handler(...)`. */
export const tool = (description: string, annotations: RouteAnnotations, timeout: DurationLike = "60s") =>
  route({ description, annotations, timeout }).context<ToolContext>()

/** An optional input field with a short description for the tool list. */
export const opt = <S extends Schema.Schema.Any>(schema: S, description?: string) =>
  description === undefined
    ? Schema.optionalWith(schema, { exact: true })
    : Schema.optionalWith(schema, { exact: true }).annotations({ description })

/** A required input field with a short description for the tool list. */
export const req = <S extends Schema.Schema.Any>(schema: S, description: string) =>
  Schema.propertySignature(schema).annotations({ description })

/** `T` with its possibly-undefined fields made optional (and never undefined). */
export type Defined<T> =
  & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] }
  & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> }

/** Copies the defined entries of `fields` only (exactOptionalPropertyTypes-friendly). */
export const defined = <T extends Record<string, unknown>>(fields: T): Defined<T> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v
  return out as Defined<T>
}

/** An optional input field that is accepted but not listed (an alias, a rarely used option). */
export const hidden = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { exact: true }).annotations({ [HiddenFieldId]: true })

/**
 * The input of a tool without arguments: an empty object. (`Schema.Struct({})` is TypeScript's `{}`,
 * which accepts any object; this one names an unknown field as such.)
 */
export const NoInput = Schema.Struct({}).pipe(
  Schema.filter((input) => {
    const extra = Object.keys(input)[0]
    return extra === undefined || { path: [extra], message: "is unexpected: this tool takes no arguments" }
  })
)
