/**
 * Malformed arguments for a tool, derived from its published input schema: a wrong type, missing
 * required fields, an unknown field, and a huge string.
 */
type JsonSchema = { readonly type?: string | ReadonlyArray<string>; readonly anyOf?: ReadonlyArray<JsonSchema>; readonly [k: string]: unknown }

const typesOf = (s: JsonSchema): ReadonlyArray<string> =>
  s.anyOf !== undefined ? s.anyOf.flatMap(typesOf) : s.type === undefined ? [] : typeof s.type === "string" ? [s.type] : s.type

/** A value of none of the schema's types. */
const wrongValue = (s: JsonSchema): unknown => {
  const types = typesOf(s)
  if (!types.includes("number") && !types.includes("integer")) return 12345
  if (!types.includes("string")) return "not the right type"
  return { not: "right" }
}

export const HUGE = "x".repeat(1_500_000)

export interface Malformed {
  readonly label: string
  readonly args: Record<string, unknown>
}

export const malformedArgs = (input: JsonSchema, valid: Record<string, unknown>): ReadonlyArray<Malformed> => {
  const properties = (input["properties"] ?? {}) as Record<string, JsonSchema>
  const required = (input["required"] ?? []) as ReadonlyArray<string>
  const names = Object.keys(properties)
  const cases: Array<Malformed> = [{ label: "unknown field", args: { ...valid, bogus_field: true } }]
  const target = required[0] ?? names[0]
  if (target !== undefined) {
    cases.push({ label: `wrong type for ${target}`, args: { ...valid, [target]: wrongValue(properties[target]!) } })
  }
  if (required.length > 0) {
    const missing = { ...valid }
    for (const r of required) delete missing[r]
    cases.push({ label: `missing ${required.join(", ")}`, args: missing })
  }
  const stringField = [...required, ...names].find((n) => typesOf(properties[n]!).includes("string"))
  if (stringField !== undefined) cases.push({ label: `huge ${stringField}`, args: { ...valid, [stringField]: HUGE } })
  return cases
}
