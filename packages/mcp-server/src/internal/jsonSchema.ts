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
const LIMITS = new Set(["minLength", "maxLength", "maxItems"])

const compact = (node: Json, defs: Record<string, Json>, output: boolean, depth: number): Json => {
  if (depth > 64) return node
  if (Array.isArray(node)) return node.map((n) => compact(n, defs, output, depth + 1))
  if (!isObject(node)) return node
  let source: Record<string, Json> = node
  const ref = source["$ref"]
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const target = defs[ref.slice("#/$defs/".length)]
    const { $ref: _, ...rest } = source
    source = isObject(target) ? { ...target, ...rest } : rest
  }
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(source)) {
    if (DROP.has(key) || LIMITS.has(key)) continue
    if (key === "additionalProperties" && value === false && depth > 0) continue
    if (key === "required" && Array.isArray(value) && value.length === 0) continue
    if (key === "properties" && isObject(value)) {
      if (Object.keys(value).length === 0) continue
      const props: Record<string, Json> = {}
      for (const [name, prop] of Object.entries(value)) props[name] = compact(prop, defs, output, depth + 1)
      out[key] = props
      continue
    }
    if (key === "additionalProperties" && value === false && output) continue
    // Outputs document what comes back; which fields are always there is the handler's business.
    if (key === "required" && output) continue
    out[key] = compact(value, defs, output, depth + 1)
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

/** The descriptions written on the top-level fields (`opt(schema, "...")` / `req(schema, "...")`). */
const fieldDescriptions = (ast: SchemaAST.AST): ReadonlyMap<string, string> => {
  const struct = topLevelStruct(ast)
  const docs = new Map<string, string>()
  for (const ps of struct?.propertySignatures ?? []) {
    const doc = ps.annotations[SchemaAST.DescriptionAnnotationId]
    if (typeof doc === "string" && typeof ps.name === "string") docs.set(ps.name, doc)
  }
  return docs
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
  const docs = fieldDescriptions(schema.ast)
  if (docs.size > 0 && isObject(result["properties"])) {
    const props: Record<string, Json> = {}
    for (const [name, prop] of Object.entries(result["properties"])) {
      const doc = docs.get(name)
      props[name] = doc !== undefined && isObject(prop) ? { description: doc, ...prop } : prop
    }
    result["properties"] = props
  }
  return result
}
