/**
 * The `waggle` command line, parsed by hand (no dependencies): `waggle <command> [positionals]
 * [--flag value | --flag=value | --switch]`. Repeatable flags collect every value.
 */

/** Flags that take a value. */
const VALUE_FLAGS = new Set([
  "profile",
  "agent",
  "host",
  "port",
  "token",
  "allowed-host",
  "allowed-origin",
  "dir",
  "command",
  "name",
  "budget",
  "query"
])

/** Flags without a value. */
const SWITCHES = new Set(["size", "json", "print", "help", "version", "pretty"])

export interface ParsedArgs {
  readonly command: string | undefined
  readonly positionals: ReadonlyArray<string>
  readonly values: ReadonlyMap<string, ReadonlyArray<string>>
  readonly switches: ReadonlySet<string>
}

export class UsageError extends Error {}

export const parseArgs = (argv: ReadonlyArray<string>): ParsedArgs => {
  const positionals: Array<string> = []
  const values = new Map<string, Array<string>>()
  const switches = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg === "-h") {
      switches.add("help")
      continue
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf("=")
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    if (SWITCHES.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`)
      switches.add(name)
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined) throw new UsageError(`--${name} needs a value`)
      values.set(name, [...(values.get(name) ?? []), value])
    } else {
      throw new UsageError(`unknown option --${name}`)
    }
  }
  const [command, ...rest] = positionals
  return { command, positionals: rest, values, switches }
}

/** The last value of a flag. */
export const valueOf = (args: ParsedArgs, name: string): string | undefined => args.values.get(name)?.at(-1)

export const valuesOf = (args: ParsedArgs, name: string): ReadonlyArray<string> => args.values.get(name) ?? []

export const has = (args: ParsedArgs, name: string): boolean => args.switches.has(name)
