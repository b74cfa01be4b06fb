/**
 * Strategy insights: what the next decomposition is told. `Learning.insights(task)` builds them from
 * the evidence as of now; `format` turns them into the text handed to the decomposing agent (also
 * returned as `prompt`).
 */
import { Schema } from "effect"
import { BoundedText } from "@waggle/primitives"
import type { Maturity } from "./Maturity.js"
import type { SubjectKind } from "./Pattern.js"
import type { Precedent } from "./PrecedentSource.js"
import { num, pct } from "./internal/numbers.js"

export interface StrategyInsight {
  readonly name: string
  readonly description: string
  readonly builtin: boolean
  /** Posterior Beta(α, β) from decayed evidence (plus the keyword boost for this task). */
  readonly alpha: number
  readonly beta: number
  readonly mean: number
  readonly observations: number
  readonly successRate: number
  readonly maturity: Maturity
  /** Estimated probability of being the best strategy (share of joint posterior draws won). */
  readonly probabilityBest: number
  /** This choice's posterior sample (null when the strategy was not in the pool: warm-up). */
  readonly draw: number | null
  /** Keywords of the strategy found in the task. */
  readonly matchedKeywords: ReadonlyArray<string>
  /** The active anti-pattern text, if the strategy is one. */
  readonly antiPattern: string | null
}

export interface AvoidItem {
  readonly kind: SubjectKind
  readonly name: string
  /** "AVOID: <name> (N% failure rate)", with the current failure rate. */
  readonly text: string
  readonly failureRate: number
  readonly observations: number
  readonly invertedAt: number
}

export interface PatternAdvice {
  readonly name: string
  readonly maturity: Maturity
  readonly weight: number
  readonly successRate: number
  readonly observations: number
}

export interface RuleAdvice {
  readonly id: string
  readonly text: string
  readonly confidence: number
  readonly maturity: Maturity
  readonly evidence: number
}

export interface Insights {
  readonly task: string
  readonly strategy: string
  /** The recommended strategy's probability of being the best. */
  readonly confidence: number
  readonly reasoning: string
  /** warm-up: a strategy with too little evidence is tried first; thompson: sampled among all. */
  readonly mode: "warmup" | "thompson"
  readonly strategies: ReadonlyArray<StrategyInsight>
  /** Active anti-patterns (patterns and strategies), worst first. */
  readonly avoid: ReadonlyArray<AvoidItem>
  /** Patterns that work (established or proven, positive weight), strongest first. */
  readonly patterns: ReadonlyArray<PatternAdvice>
  /** Active playbook rules that are not deprecated, most confident first. */
  readonly rules: ReadonlyArray<RuleAdvice>
  readonly precedent: ReadonlyArray<Precedent>
  readonly notes: ReadonlyArray<string>
  /** `format` of the above: the text for the decomposition prompt. */
  readonly prompt: string
}

export const InsightsInput = Schema.Struct({
  task: BoundedText(10_000),
  /** How many precedents to ask for (default from the configuration). */
  precedentLimit: Schema.optional(Schema.Int.pipe(Schema.between(0, 100)))
})
export type InsightsInput = typeof InsightsInput.Encoded

/** The insights as prompt text (Markdown). */
export const format = (i: Omit<Insights, "prompt">): string => {
  const lines: Array<string> = []
  lines.push(`## Learned guidance for: ${i.task}`)
  lines.push("")
  lines.push(`Recommended strategy: **${i.strategy}** (confidence ${pct(i.confidence)})`)
  lines.push(i.reasoning)
  lines.push("")
  lines.push("Strategies so far:")
  for (const s of i.strategies) {
    const record = s.observations > 0
      ? `${pct(s.successRate)} success over ${num(s.observations)} decayed outcomes, ${s.maturity}`
      : "no outcomes yet"
    lines.push(`- ${s.name}: ${record}${s.antiPattern === null ? "" : ` — ${s.antiPattern}`}`)
  }
  if (i.avoid.length > 0) {
    lines.push("")
    lines.push("Avoid:")
    for (const a of i.avoid) lines.push(`- ${a.text}`)
  }
  if (i.patterns.length > 0) {
    lines.push("")
    lines.push("Patterns that work:")
    for (const p of i.patterns) {
      lines.push(`- ${p.name} (${p.maturity}, ${pct(p.successRate)} success over ${num(p.observations)} outcomes)`)
    }
  }
  if (i.rules.length > 0) {
    lines.push("")
    lines.push("Playbook rules:")
    for (const r of i.rules) lines.push(`- ${r.text} (confidence ${pct(r.confidence)}, ${r.maturity})`)
  }
  if (i.precedent.length > 0) {
    lines.push("")
    lines.push("Similar past tasks:")
    for (const p of i.precedent) lines.push(`- ${p.summary}`)
  }
  for (const n of i.notes) lines.push(`Note: ${n}`)
  return lines.join("\n")
}
