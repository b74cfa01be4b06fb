/**
 * The decomposition prompt: the task, what learning says about it (the recommended strategy with
 * its confidence and reasoning, the strategies' records, anti-patterns, patterns and rules that
 * work, similar past tasks), the rules of a good split, and the JSON shape to answer with.
 *
 * Pure and deterministic (same input, same text). Every variable part has a budget; what is cut
 * says so. The whole prompt stays under 20k characters whatever the input (a few k usually).
 */
import { RESPONSE_FORMAT } from "./DecompositionResponse.js"
import type { ToolNames } from "./SwarmConfig.js"
import { bullets, oneLine, pct, sections, truncate } from "./internal/text.js"

export interface StrategyLine {
  readonly name: string
  readonly description: string
  readonly successRate: number
  readonly observations: number
  readonly antiPattern: string | null
}

export interface DecompositionPromptInput {
  readonly task: string
  readonly context?: string | undefined
  readonly maxSubtasks?: number | undefined
  readonly strategy: {
    readonly name: string
    readonly confidence: number
    readonly reasoning: string
    readonly mode: "warmup" | "thompson"
  }
  readonly strategies: ReadonlyArray<StrategyLine>
  /** `AVOID: ...` texts, worst first. */
  readonly antiPatterns: ReadonlyArray<string>
  /** Patterns that work, already phrased. */
  readonly patterns: ReadonlyArray<string>
  readonly rules: ReadonlyArray<string>
  readonly precedent: ReadonlyArray<{ readonly summary: string; readonly score: number }>
  readonly tools: Pick<ToolNames, "validate" | "createEpic" | "spawn">
}

export const BUDGET = {
  task: 3000,
  context: 5000,
  reasoning: 800,
  line: 200,
  antiPatterns: 10,
  patterns: 8,
  rules: 8,
  precedent: 5,
  precedentChars: 320
} as const

const observations = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

const strategyRecord = (s: StrategyLine): string => {
  const record = s.observations > 0
    ? `${pct(s.successRate)} success over ${observations(s.observations)} outcomes`
    : "no outcomes yet"
  return `${s.name}: ${record}${s.antiPattern === null ? "" : ` (${s.antiPattern})`}`
}

/** The guidance section alone (also what `swarm_insights` shows). */
export const guidance = (input: Omit<DecompositionPromptInput, "task" | "context" | "maxSubtasks" | "tools">): string => {
  const chosen = input.strategies.find((s) => s.name === input.strategy.name)
  const lines = [
    `Recommended strategy: ${input.strategy.name} (confidence ${pct(input.strategy.confidence)}, ${input.strategy.mode === "warmup" ? "warm-up" : "Thompson sampling"})` +
    (chosen === undefined ? "" : ` — ${oneLine(chosen.description, BUDGET.line)}`),
    `Why: ${oneLine(input.strategy.reasoning, BUDGET.reasoning)}`,
    "",
    "Strategies so far:",
    bullets(input.strategies.map(strategyRecord), 8, BUDGET.line, "more strategies"),
    "",
    "Avoid (anti-patterns learned from past outcomes):",
    bullets(input.antiPatterns, BUDGET.antiPatterns, BUDGET.line, "more anti-patterns")
  ]
  if (input.patterns.length > 0) lines.push("", "Patterns that worked:", bullets(input.patterns, BUDGET.patterns, BUDGET.line, "more patterns"))
  if (input.rules.length > 0) lines.push("", "Playbook rules:", bullets(input.rules, BUDGET.rules, BUDGET.line, "more rules"))
  lines.push(
    "",
    "Similar past tasks:",
    bullets(
      input.precedent.map((p) => `${oneLine(p.summary, BUDGET.precedentChars)} (similarity ${p.score.toFixed(2)})`),
      BUDGET.precedent,
      BUDGET.precedentChars + 24,
      "more past tasks"
    )
  )
  return lines.join("\n")
}

const rules = (maxSubtasks: number | undefined): string =>
  [
    "1. Follow the recommended strategy unless the task clearly needs another; never repeat an approach listed under Avoid.",
    "2. Each subtask lists the existing files it edits in `files` (globs allowed; `dir/` means everything under dir) and the files it creates in `new_files`.",
    "3. Subtasks that can run at the same time must not share a file or overlapping globs: every file is reserved exclusively. If two must touch one file, make one depend on the other.",
    "4. `dependencies` are the indices (from 0) of subtasks that must finish first; no cycles.",
    "5. Keep tests with the code they test; do shared types and interfaces first.",
    `6. Prefer small subtasks (complexity 1-3); split anything you would rate 5.${maxSubtasks === undefined ? "" : ` Use at most ${maxSubtasks} subtasks.`}`,
    "7. Titles are unique and say what the subtask delivers; acceptance criteria say how a reviewer checks it."
  ].join("\n")

/** The prompt. */
export const build = (input: DecompositionPromptInput): string =>
  sections([
    "You are the coordinator of a swarm of coding agents. Split the task below into subtasks that workers can do in parallel without editing the same files.",
    `## Task\n${truncate(input.task.trim(), BUDGET.task)}`,
    `## Context\n${input.context === undefined || input.context.trim() === "" ? "(none)" : truncate(input.context.trim(), BUDGET.context)}`,
    `## Learned guidance\n${guidance(input)}`,
    `## Rules\n${rules(input.maxSubtasks)}`,
    `## Answer\nAnswer with JSON only, in this shape:\n\`\`\`\n${RESPONSE_FORMAT}\n\`\`\``,
    `## Next\nCheck the answer with ${input.tools.validate} (pass strategy: "${input.strategy.name}"), fix every error it reports, ` +
    `create the epic from its epic_input with ${input.tools.createEpic}, then start each ready subtask with ${input.tools.spawn} (pass the same strategy).`
  ])
