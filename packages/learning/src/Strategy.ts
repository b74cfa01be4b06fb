/**
 * Decomposition strategies: the three built in, and any a project registers. A strategy's keywords
 * (whole words, case-insensitive) that occur in a task give it a small prior boost for that task.
 */
import { Schema } from "effect"
import { BoundedText, Name } from "@waggle/primitives"
import { tokens } from "./internal/similarity.js"

export interface StrategyInfo {
  readonly name: string
  readonly description: string
  readonly keywords: ReadonlyArray<string>
  readonly builtin: boolean
  /** When it was registered (null for built-in strategies). */
  readonly registeredAt: number | null
}

export const builtinStrategies: ReadonlyArray<StrategyInfo> = [
  {
    name: "file-based",
    description: "Split by files or directories: each subtask owns a disjoint set of paths.",
    keywords: ["refactor", "rename", "migrate", "migration", "upgrade", "lint", "format", "cleanup", "codemod", "move", "files"],
    builtin: true,
    registeredAt: null
  },
  {
    name: "feature-based",
    description: "Split by user-visible feature or vertical slice: each subtask delivers one working capability.",
    keywords: ["feature", "add", "implement", "build", "new", "endpoint", "page", "component", "support", "create"],
    builtin: true,
    registeredAt: null
  },
  {
    name: "risk-based",
    description: "Split by risk: isolate the riskiest change first, with tests around it, then the rest.",
    keywords: ["fix", "bug", "security", "vulnerability", "crash", "regression", "hotfix", "critical", "auth", "payment", "data"],
    builtin: true,
    registeredAt: null
  }
]

export const StrategyName = Name(100)

export const RegisterStrategyInput = Schema.Struct({
  name: StrategyName,
  description: BoundedText(2000),
  keywords: Schema.optional(Schema.Array(Name(50)).pipe(Schema.maxItems(50)))
})
export type RegisterStrategyInput = typeof RegisterStrategyInput.Encoded

/** Lower-case words separated by single spaces, padded with a space on each side. */
const normalise = (text: string): string => ` ${tokens(text).join(" ")} `

/** The strategy's keywords (or key phrases) that occur in `task` as whole words. */
export const matchedKeywords = (strategy: Pick<StrategyInfo, "keywords">, task: string): ReadonlyArray<string> => {
  const text = normalise(task)
  return strategy.keywords.filter((k) => {
    const key = normalise(k)
    return key.trim() !== "" && text.includes(key)
  })
}
