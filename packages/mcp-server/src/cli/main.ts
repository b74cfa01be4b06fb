/** The `waggle` command: dispatches to the subcommands; usage errors exit with 2. */
import { VERSION } from "../Version.js"
import type { ParsedArgs } from "./args.js"
import { has, parseArgs, UsageError } from "./args.js"
import { err, out } from "./io.js"

export const HELP = `waggle ${VERSION}: every Waggle capability as a tool (MCP server and CLI)

usage: waggle <command> [options]

  mcp        [--profile P]                 MCP server on stdio (what clients launch)
  serve      [--host H] [--port N] [--token T] [--allowed-host H] [--allowed-origin O] [--profile P]
                                           MCP server over Streamable HTTP (default 127.0.0.1:7777/mcp)
  tools      [--profile P] [--size] [--json]   the tool list (and its size in an agent's context)
  call       <tool> ['<json>' | -] [--agent NAME] [--pretty]
                                           call one tool; JSON out; exit 0 ok, 1 failed, 2 invalid, 3 internal
  setup      claude|cursor|opencode [--dir D] [--profile P] [--command "waggle"] [--print]
                                           register the MCP server with a client
  prime      [--agent NAME] [--budget TOKENS] [--query TEXT] [--json]
                                           context block for an agent: work, mail, reservations, memories
  doctor     [--json]                      health checks (exit 1 when unhealthy)

profiles: minimal (a worker), core (coordinator and workers), full (default)
environment: WAGGLE_DB_URL, WAGGLE_PROJECT, WAGGLE_AGENT, WAGGLE_PROFILE, WAGGLE_TOKEN, WAGGLE_LOG_LEVEL`

const dispatch = async (args: ParsedArgs): Promise<number> => {
  if (has(args, "version")) {
    out(VERSION)
    return 0
  }
  if (args.command === undefined || args.command === "help" || has(args, "help")) {
    out(HELP)
    return args.command === undefined && !has(args, "help") ? 2 : 0
  }
  // Each command loads only what it needs (`setup` and `--help` start without the services).
  switch (args.command) {
    case "mcp": {
      if (args.positionals.length > 0) throw new UsageError("usage: waggle mcp [--profile P]")
      const [{ serveStdio }, { profileOf }] = await Promise.all([import("../mcp/stdio.js"), import("./tools.js")])
      return serveStdio({ profile: profileOf(args, "full") })
    }
    case "serve":
      return (await import("./serve.js")).runServe(args)
    case "tools":
      return (await import("./tools.js")).runTools(args)
    case "call":
      return (await import("./call.js")).runCall(args)
    case "setup":
      return (await import("./setup.js")).runSetup(args)
    case "prime":
      return (await import("./prime.js")).runPrime(args)
    case "doctor":
      return (await import("./doctor.js")).runDoctorCommand(args)
    default:
      throw new UsageError(`unknown command ${args.command} (see waggle --help)`)
  }
}

/** Runs the command line; resolves with the exit code. */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  try {
    return await dispatch(parseArgs(argv))
  } catch (error) {
    if (error instanceof UsageError) {
      err(`waggle: ${error.message}`)
      return 2
    }
    err(`waggle: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 3
  }
}
