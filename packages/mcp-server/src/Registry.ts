/**
 * The tool registry: every route of the app router with its published JSON Schemas, grouped into
 * profiles. The MCP server and the CLI both list tools and call them through here, so decoding,
 * errors and results are the same on every front.
 */
import { Effect, Either, Schema } from "effect"
import type { ParseResult } from "effect"
import { entries, invoke } from "@waggle/router"
import type { AnyUnaryRoute, RouteAnnotations, RouteEntry } from "@waggle/router"
import { appRouter } from "./AppRouter.js"
import type { ToolServices } from "./AppRouter.js"
import { toolJsonSchema } from "./internal/jsonSchema.js"
import type { JsonObject } from "./internal/jsonSchema.js"
import { PROFILES } from "./Profiles.js"
import type { Profile } from "./Profiles.js"
import type { ToolContext } from "./ToolContext.js"
import { UnknownTool } from "./ToolErrors.js"
import { validationError } from "./ToolFailure.js"

export interface ToolDefinition {
  readonly name: string
  readonly description: string
  readonly annotations: RouteAnnotations
  readonly inputSchema: JsonObject
  readonly outputSchema: JsonObject | undefined
  readonly entry: RouteEntry<AnyUnaryRoute>
  /** Strict decode: wrong types, missing and unknown fields are all errors. */
  readonly check: (input: unknown) => Either.Either<unknown, ParseResult.ParseError>
}

const define = (entry: RouteEntry<AnyUnaryRoute>): ToolDefinition => ({
  name: entry.name,
  description: entry.route.meta.description ?? entry.name,
  annotations: entry.route.meta.annotations ?? {},
  inputSchema: toolJsonSchema(entry.route.input, false),
  outputSchema: entry.route.output === undefined ? undefined : toolJsonSchema(entry.route.output, true),
  entry,
  check: Schema.decodeUnknownEither(entry.route.input as Schema.Schema<unknown, unknown, never>, {
    errors: "all",
    onExcessProperty: "error"
  })
})

let all: ReadonlyArray<ToolDefinition> | undefined

/** Every tool, in declaration order. */
export const allTools = (): ReadonlyArray<ToolDefinition> =>
  (all ??= (entries(appRouter) as ReadonlyArray<RouteEntry<AnyUnaryRoute>>).map(define))

/** The tools of a profile, in declaration order. */
export const toolsOf = (profile: Profile): ReadonlyArray<ToolDefinition> => {
  const names = PROFILES[profile]
  return names === "all" ? allTools() : allTools().filter((t) => names.includes(t.name))
}

export const findTool = (name: string, tools: ReadonlyArray<ToolDefinition> = allTools()): ToolDefinition | undefined =>
  tools.find((t) => t.name === name)

/**
 * Calls a tool: strict decode (malformed input never reaches the handler), then the route
 * (middleware, handler, timeout), then the output encoded for the wire (JSON-ready).
 */
export const callTool = (
  tool: ToolDefinition,
  input: unknown,
  ctx: ToolContext
): Effect.Effect<unknown, unknown, ToolServices> =>
  Effect.suspend(() => {
    const args = input === undefined || input === null ? {} : input
    const checked = tool.check(args)
    if (Either.isLeft(checked)) return Effect.fail(validationError(tool.name, checked.left))
    return invoke(tool.entry, args, ctx) as Effect.Effect<unknown, unknown, ToolServices>
  })

/** Calls a tool by name; an unknown (or out-of-profile) name is `UnknownTool`. */
export const callToolByName = (
  name: string,
  input: unknown,
  ctx: ToolContext,
  tools: ReadonlyArray<ToolDefinition> = allTools()
): Effect.Effect<unknown, unknown, ToolServices> => {
  const tool = findTool(name, tools)
  return tool === undefined ? Effect.fail(new UnknownTool({ tool: name })) : callTool(tool, input, ctx)
}

/** A tool as listed by MCP `tools/list`. */
export interface ListedTool {
  readonly name: string
  readonly description: string
  readonly inputSchema: JsonObject
  readonly outputSchema?: JsonObject
  readonly annotations?: RouteAnnotations
}

export const listed = (tool: ToolDefinition): ListedTool => ({
  name: tool.name,
  description: tool.description,
  inputSchema: tool.inputSchema,
  ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
  ...(Object.keys(tool.annotations).length === 0 ? {} : { annotations: tool.annotations })
})

export interface ListingSize {
  readonly tools: number
  /** Bytes of the `tools/list` result as JSON. */
  readonly bytes: number
  /** Approximate tokens (bytes / 4, the usual estimate for JSON). */
  readonly tokens: number
}

/** What a profile's tool list costs in an agent's context. */
export const listingSize = (tools: ReadonlyArray<ToolDefinition>): ListingSize => {
  const bytes = Buffer.byteLength(JSON.stringify({ tools: tools.map(listed) }), "utf8")
  return { tools: tools.length, bytes, tokens: Math.ceil(bytes / 4) }
}
