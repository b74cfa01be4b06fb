/** `waggle prime [--agent NAME] [--budget TOKENS] [--query TEXT] [--json]`: the agent's context block. */
import { Exit } from "effect"
import { primeSections, renderPrime } from "../Prime.js"
import { failureOfCause } from "../ToolFailure.js"
import type { ParsedArgs } from "./args.js"
import { has, UsageError, valueOf } from "./args.js"
import { err, out } from "./io.js"
import { withRuntime } from "./runtime.js"

export const runPrime = (args: ParsedArgs): Promise<number> => {
  const agent = valueOf(args, "agent") ?? (process.env["WAGGLE_AGENT"] || undefined)
  const budgetText = valueOf(args, "budget") ?? "1000"
  const budget = Number(budgetText)
  if (!Number.isInteger(budget) || budget < 50 || budget > 100_000) throw new UsageError("--budget is a number of tokens, 50..100000")
  const query = valueOf(args, "query")
  return withRuntime("prime", async (runtime) => {
    const exit = await runtime.runPromiseExit(primeSections(query === undefined ? { agent, budgetTokens: budget } : { agent, budgetTokens: budget, query }))
    if (Exit.isFailure(exit)) {
      const failure = failureOfCause(exit.cause)
      err(`waggle prime: ${failure.body.message}`)
      return failure.exitCode
    }
    const text = renderPrime(exit.value.project, agent, exit.value.sections, budget)
    out(has(args, "json") ? JSON.stringify({ project: exit.value.project, agent: agent ?? null, text }) : text)
    return 0
  })
}
