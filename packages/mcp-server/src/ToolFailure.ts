/**
 * Failures mapped once, at the edge: a tool call that fails becomes `{ error: _tag, message,
 * ...fields }` (the MCP tool error's text and the CLI's JSON output) and a CLI exit code.
 */
import { Cause, Option, ParseResult } from "effect"
import { toErrorBody, ValidationError } from "@waggle/router"

export interface ToolFailure {
  readonly body: { readonly error: string; readonly message: string; readonly [field: string]: unknown }
  /** 1: the tool refused or failed as documented; 2: invalid arguments; 3: internal error. */
  readonly exitCode: 1 | 2 | 3
}

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const

const INVALID = new Set(["ValidationError", "InvalidInput", "UnknownTool", "AgentRequired", "ProjectMismatch"])
const INTERNAL = new Set(["InternalError", "StorageError", "DatabaseOpenError", "MigrationError"])

/** Messages echo bad values: a 1 MB string must not come back whole. */
const MAX_MESSAGE = 300
export const clip = (text: string, max = MAX_MESSAGE): string => (text.length <= max ? text : `${text.slice(0, max)}…`)

/** A ValidationError naming the tool and every bad field, with bounded messages. */
export const validationError = (tool: string, error: ParseResult.ParseError): ValidationError => {
  const full = ValidationError.fromParseError(tool, error)
  return new ValidationError({ route: tool, issues: full.issues.map((i) => ({ path: i.path, message: clip(i.message) })) })
}

export const failureOf = (error: unknown): ToolFailure => {
  const { _tag, message, ...fields } = toErrorBody(error)
  const body = { error: _tag, message: clip(message, 2000), ...fields }
  const exitCode = INVALID.has(_tag) ? 2 : INTERNAL.has(_tag) ? 3 : 1
  return { body, exitCode }
}

/** The failure of a cause: its first typed error, else an internal error (defects never leak). */
export const failureOfCause = (cause: Cause.Cause<unknown>): ToolFailure =>
  Option.match(Cause.failureOption(cause), {
    onSome: failureOf,
    onNone: () => ({
      body: { error: "InternalError", message: Cause.isInterruptedOnly(cause) ? "interrupted" : "internal error (see the server's log)" },
      exitCode: 3
    })
  })
