/**
 * `waggle call <tool> '<json>'`: one tool call, exactly as over MCP (same decoding, same errors).
 * The result (or `{ error, message, ...fields }`) is JSON on stdout; the exit code says how it
 * went: 0 ok, 1 the tool failed or refused, 2 invalid arguments or usage, 3 internal error.
 */
import { Exit } from "effect"
import { callTool, findTool } from "../Registry.js"
import { makeSession } from "../ToolContext.js"
import { EXIT, failureOfCause } from "../ToolFailure.js"
import type { ParsedArgs } from "./args.js"
import { has, UsageError, valueOf } from "./args.js"
import { out, readStdin, stderrProgress } from "./io.js"
import { withRuntime } from "./runtime.js"

const json = (value: unknown, pretty: boolean) => JSON.stringify(value, null, pretty ? 2 : undefined)

export const runCall = async (args: ParsedArgs): Promise<number> => {
  const [name, text, ...extra] = args.positionals
  if (name === undefined || extra.length > 0) throw new UsageError("usage: waggle call <tool> ['<json>' | -]")
  const pretty = has(args, "pretty")
  const tool = findTool(name)
  if (tool === undefined) {
    out(json({ error: "UnknownTool", message: `unknown tool ${name} (see \`waggle tools\`)`, tool: name }, pretty))
    return EXIT.usage
  }
  let input: unknown = {}
  const source = text === "-" ? await readStdin() : text
  if (source !== undefined && source.trim() !== "") {
    try {
      input = JSON.parse(source)
    } catch (error) {
      out(json({ error: "InvalidJson", message: `the arguments are not JSON: ${(error as Error).message}` }, pretty))
      return EXIT.usage
    }
  }
  return withRuntime("call", async (runtime) => {
    const session = makeSession("cli", { agent: valueOf(args, "agent"), progress: stderrProgress })
    const exit = await runtime.runPromiseExit(callTool(tool, input, { session }))
    if (Exit.isSuccess(exit)) {
      out(json(exit.value, pretty))
      return EXIT.ok
    }
    const failure = failureOfCause(exit.cause)
    out(json(failure.body, pretty))
    return failure.exitCode
  })
}
