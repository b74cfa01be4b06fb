/**
 * JSON Schemas for the tool list, from the tools' `effect/Schema`s, made compact: the tool list is
 * in every agent's context, so generated titles and descriptions ("a string at most 500
 * character(s) long") are dropped, `$ref`s are inlined, and only the descriptions written on the
 * input's fields (property signature annotations) are kept.
 */
import { JSONSchema, SchemaAST } from "effect"
import type { Schema } from "effect"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
export type JsonObject = { readonly [key: string]: Json }

const isObject = (u: unknown): u is Record<string, Json> => typeof u === "object" && u !== null && !Array.isArray(u)

const DROP = new Set(["$schema", "$defs", "$id", "title", "description"])
/**
 * Size limits are enforced when a call is decoded (and named in the error); published, they cost
 * every agent context for little help. Counts that mean "at least one" stay (`minItems`).
 */
const LIMITS = new Set(["minLength", "maxLength", "maxItems", "pattern"])

/**
 * Marks an input field that is accepted but not listed (aliases and rarely used options kept for
 * compatibility): the tool list stays small, and calls that use the field still work.
 */
export const HiddenFieldId: unique symbol = Symbol.for("@waggle/mcp-server/HiddenField")

/**
 * Output schemas list the result's fields and their JSON types; nested objects are published as
 * `{ type: "object" }` and arrays as `{ type: "array" }` (their contents are in the result itself
 * and its text rendering), enumerations as their base type.
 */
const MAX_OUTPUT_OBJECT_LEVELS = 1

const compact = (node: Json, defs: Record<string, Json>, output: boolean, depth: number, level = 0): Json => {
  if (depth > 64) return node
  if (Array.isArray(node)) return node.map((n) => compact(n, defs, output, depth + 1, level))
  if (!isObject(node)) return node
  let source: Record<string, Json> = node
  const ref = source["$ref"]
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const target = defs[ref.slice("#/$defs/".length)]
    const { $ref: _, ...rest } = source
    source = isObject(target) ? { ...target, ...rest } : rest
  }
  const isObjectSchema = isObject(source["properties"])
  if (output && isObjectSchema && level >= MAX_OUTPUT_OBJECT_LEVELS) return { type: "object" }
  const inner = isObjectSchema ? level + 1 : level
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(source)) {
    if (DROP.has(key) || LIMITS.has(key)) continue
    // Unknown fields are refused when a call is decoded; not listing `additionalProperties: false`
    // keeps the list small and lets hidden (accepted, unlisted) fields exist.
    if (key === "additionalProperties" && value === false) continue
    if (key === "required" && Array.isArray(value) && value.length === 0) continue
    if (key === "properties" && isObject(value)) {
      if (Object.keys(value).length === 0) continue
      const props: Record<string, Json> = {}
      for (const [name, prop] of Object.entries(value)) props[name] = compact(prop, defs, output, depth + 1, inner)
      out[key] = props
      continue
    }
    if (key === "additionalProperties" && value === false && output) continue
    // Outputs document what comes back; which fields are always there is the handler's business.
    if (key === "required" && output) continue
    if (key === "enum" && output) continue
    if (key === "items" && output) continue
    out[key] = compact(value, defs, output, depth + 1, inner)
  }
  return simplify(out)
}

const isBareType = (u: Json): u is { readonly type: string } =>
  isObject(u) && Object.keys(u).length === 1 && typeof u["type"] === "string"

/** `anyOf` of bare types → a type list; a lone `allOf` member → merged into its parent. */
const simplify = (node: Record<string, Json>): Record<string, Json> => {
  const anyOf = node["anyOf"]
  if (Array.isArray(anyOf) && anyOf.length > 1 && anyOf.every(isBareType)) {
    const { anyOf: _, ...rest } = node
    return { ...rest, type: anyOf.map((member) => (member as { readonly type: string }).type) }
  }
  const allOf = node["allOf"]
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0])) {
    const { allOf: _, ...rest } = node
    return { ...allOf[0], ...rest }
  }
  return node
}

/** The struct at the top of a schema (through refinements, transformations and suspensions). */
const topLevelStruct = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast
    case "Refinement":
      return topLevelStruct(ast.from)
    case "Transformation":
      return topLevelStruct(ast.from)
    case "Suspend":
      return topLevelStruct(ast.f())
    default:
      return undefined
  }
}

/** The descriptions written on the top-level fields (`opt(schema, "...")` / `req(schema, "...")`), and the hidden ones. */
const fieldNotes = (ast: SchemaAST.AST) => {
  const struct = topLevelStruct(ast)
  const docs = new Map<string, string>()
  const hidden = new Set<string>()
  for (const ps of struct?.propertySignatures ?? []) {
    if (typeof ps.name !== "string") continue
    const doc = ps.annotations[SchemaAST.DescriptionAnnotationId]
    if (typeof doc === "string") docs.set(ps.name, doc)
    if (ps.annotations[HiddenFieldId] === true) hidden.add(ps.name)
  }
  return { docs, hidden }
}

/** The compact JSON Schema of a tool's input (`output: false`) or output (`output: true`). */
export const toolJsonSchema = (schema: Schema.Schema.All, output: boolean): JsonObject => {
  const struct = topLevelStruct(schema.ast)
  if (struct !== undefined && struct.propertySignatures.length === 0 && struct.indexSignatures.length === 0) {
    // Effect renders `{}` as "object or array"; a tool without arguments takes an empty object.
    return output ? { type: "object" } : { type: "object", additionalProperties: false }
  }
  const full = JSONSchema.make(schema as Schema.Schema<unknown, unknown, never>) as unknown as Record<string, Json>
  const defs = isObject(full["$defs"]) ? full["$defs"] : {}
  const result = compact(full, defs, output, 0) as Record<string, Json>
  if (result["type"] !== "object") {
    throw new TypeError(`a tool's ${output ? "output" : "input"} schema must be an object, got ${JSON.stringify(result)}`)
  }
  const { docs, hidden } = fieldNotes(schema.ast)
  if ((docs.size > 0 || hidden.size > 0) && isObject(result["properties"])) {
    const props: Record<string, Json> = {}
    for (const [name, prop] of Object.entries(result["properties"])) {
      if (hidden.has(name)) continue
      const doc = docs.get(name)
      props[name] = doc !== undefined && isObject(prop) ? { description: doc, ...prop } : prop
    }
    result["properties"] = props
    if (Array.isArray(result["required"])) result["required"] = result["required"].filter((n) => typeof n !== "string" || !hidden.has(n))
  }
  return result
}
