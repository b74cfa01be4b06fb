/**
 * `swarm_decompose`, `swarm_validate_decomposition` and `swarm_insights`: the planning side. The
 * decomposition prompt is built from `Learning.insights` (strategy, confidence, reasoning,
 * anti-patterns, patterns, rules, and precedent from the `PrecedentSource`, i.e. memory), so
 * every outcome recorded by `swarm_complete` changes what the next decomposition is told.
 */
import { Effect } from "effect"
import type { LearningInsights } from "@waggle/learning"
import type { InvalidInput, StorageError } from "@waggle/primitives"
import * as DecompositionPrompt from "./DecompositionPrompt.js"
import { responseJsonSchema } from "./DecompositionResponse.js"
import * as DecompositionValidator from "./DecompositionValidator.js"
import * as Inputs from "./SwarmInputs.js"
import type * as Outputs from "./SwarmOutputs.js"
import type { SwarmContext } from "./internal/context.js"
import { inputDecoder, probeFiles } from "./internal/context.js"
import { pct } from "./internal/text.js"

const strategyChoice = (i: LearningInsights): Outputs.Decompose["strategy"] => ({
  name: i.strategy,
  confidence: i.confidence,
  reasoning: i.reasoning,
  mode: i.mode
})

const strategySummaries = (i: LearningInsights): Outputs.Decompose["strategies"] =>
  i.strategies.map((s) => ({
    name: s.name,
    description: s.description,
    success_rate: s.successRate,
    observations: s.observations,
    maturity: s.maturity,
    anti_pattern: s.antiPattern
  }))

const patternLines = (i: LearningInsights) =>
  i.patterns.map((p) => `${p.name} (${p.maturity}, ${pct(p.successRate)} success over ${Math.round(p.observations * 10) / 10} outcomes)`)

const precedentItems = (i: LearningInsights) => i.precedent.map((p) => ({ id: p.id, summary: p.summary, score: p.score }))

/** The insights' parts as the prompt builder takes them. */
const promptParts = (i: LearningInsights) => ({
  strategy: strategyChoice(i),
  strategies: i.strategies.map((s) => ({
    name: s.name,
    description: s.description,
    successRate: s.successRate,
    observations: s.observations,
    antiPattern: s.antiPattern
  })),
  antiPatterns: i.avoid.map((a) => a.text),
  patterns: patternLines(i),
  rules: i.rules.map((r) => `${r.text} (confidence ${pct(r.confidence)})`),
  precedent: i.precedent
})

export type DecomposeError = InvalidInput | StorageError

export const decompose = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Decompose, "swarm_decompose")
  return (input: unknown): Effect.Effect<Outputs.Decompose, DecomposeError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const insights = yield* ctx.learning.insights(a.task, { precedentLimit: a.precedent_limit ?? ctx.config.precedentLimit })
      const parts = promptParts(insights)
      const prompt = DecompositionPrompt.build({
        task: a.task,
        context: a.context,
        maxSubtasks: a.max_subtasks,
        ...parts,
        tools: ctx.config.tools
      })
      const t = ctx.config.tools
      return {
        prompt,
        task: a.task,
        strategy: parts.strategy,
        strategies: strategySummaries(insights),
        anti_patterns: parts.antiPatterns,
        patterns: parts.patterns,
        precedent: precedentItems(insights),
        response_schema: responseJsonSchema,
        next_steps: [
          "Answer the prompt with the decomposition JSON",
          `${t.validate}(response, strategy: "${insights.strategy}") and fix every error`,
          `${t.createEpic} with the report's epic_input`,
          `${t.spawn}(cell_id, agent_name, strategy: "${insights.strategy}") for each ready subtask`
        ]
      }
    })
}

export const validateDecomposition = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.ValidateDecomposition, "swarm_validate_decomposition")
  const probe = probeFiles(ctx.project.root)
  return (input: unknown): Effect.Effect<Outputs.ValidationReport, InvalidInput> =>
    Effect.map(decode(input), (a) =>
      DecompositionValidator.validate(a.response, { root: ctx.project.root, probe, strategy: a.strategy }))
}

export const insights = (ctx: SwarmContext) => {
  const decode = inputDecoder(ctx, Inputs.Insights, "swarm_insights")
  return (input: unknown): Effect.Effect<Outputs.Insights, InvalidInput | StorageError> =>
    Effect.gen(function*() {
      const a = yield* decode(input)
      const i = yield* ctx.learning.insights(a.task, { precedentLimit: a.precedent_limit ?? ctx.config.precedentLimit })
      const parts = promptParts(i)
      return {
        task: i.task,
        strategy: parts.strategy,
        strategies: strategySummaries(i),
        anti_patterns: i.avoid.map((x) => ({
          kind: x.kind,
          name: x.name,
          text: x.text,
          failure_rate: x.failureRate,
          observations: x.observations
        })),
        patterns: i.patterns.map((p) => ({ name: p.name, maturity: p.maturity, success_rate: p.successRate, observations: p.observations })),
        rules: i.rules.map((r) => ({ id: r.id, text: r.text, confidence: r.confidence })),
        precedent: precedentItems(i),
        notes: [...i.notes],
        prompt: DecompositionPrompt.guidance(parts)
      }
    })
}
