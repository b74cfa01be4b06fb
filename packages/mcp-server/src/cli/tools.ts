/** `waggle tools [--profile P] [--size] [--json]`: the tool list of a profile and what it costs. */
import { isProfile, Profiles } from "../Profiles.js"
import type { Profile } from "../Profiles.js"
import { listed, listingSize, toolsOf } from "../Registry.js"
import type { ParsedArgs } from "./args.js"
import { has, UsageError, valueOf } from "./args.js"
import { out } from "./io.js"

export const profileOf = (args: ParsedArgs, fallback: Profile): Profile => {
  const wanted = valueOf(args, "profile") ?? process.env["WAGGLE_PROFILE"] ?? fallback
  if (!isProfile(wanted)) throw new UsageError(`unknown profile ${wanted} (${Profiles.join(", ")})`)
  return wanted
}

export const runTools = (args: ParsedArgs): number => {
  const profile = profileOf(args, "full")
  const tools = toolsOf(profile)
  const size = listingSize(tools)
  const summary = `profile ${profile}: ${size.tools} tools, ${size.bytes} bytes, ~${size.tokens} tokens`
  if (has(args, "json")) {
    out(JSON.stringify(has(args, "size") ? { profile, ...size } : { tools: tools.map(listed) }, null, 2))
  } else if (has(args, "size")) {
    out(summary)
  } else {
    const width = Math.max(...tools.map((t) => t.name.length))
    for (const t of tools) out(`${t.name.padEnd(width)}  ${t.description}`)
    out(`\n${summary}`)
  }
  return 0
}
