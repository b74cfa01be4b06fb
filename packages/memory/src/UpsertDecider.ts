/**
 * How `Memory.upsert` decides what a new piece of information does to what is already known:
 * ADD it, UPDATE (supersede) a memory with it, DELETE (supersede without replacement) a memory it
 * invalidates, or NOOP because it is already known. The memory gives the decider the most similar
 * current memories of the same collection; the decider answers; the memory applies the answer
 * non-destructively.
 *
 * - `UpsertDecider.layerRules` (default): exact or near duplicate → NOOP; a close memory that the
 *   new text adds to → UPDATE; nothing close → ADD. Never DELETE (contradiction needs judgement).
 * - `UpsertDecider.layerLlm(provider)`: asks any language model behind `LlmProvider`.
 */
import { Context, Effect, Layer } from "effect"
import type { DeciderError } from "./Errors.js"
import type { Memory } from "./Model.js"
import { llmDecider } from "./internal/llmDecider.js"
import { rulesDecider } from "./internal/rulesDecider.js"

import type { RuleThresholds } from "./internal/rulesDecider.js"

export type { RuleThresholds } from "./internal/rulesDecider.js"

export interface UpsertCandidate {
  readonly memory: Memory
  /** Cosine similarity to the new information. */
  readonly similarity: number
}

export interface UpsertQuestion {
  readonly information: string
  readonly collection: string
  /** The most similar current memories of the collection, most similar first (at most 5). */
  readonly candidates: ReadonlyArray<UpsertCandidate>
}

export type UpsertDecision =
  | { readonly action: "ADD"; readonly reason: string }
  | { readonly action: "NOOP"; readonly target: string; readonly reason: string }
  /** `content`: what the new memory says (default: the new information as given). */
  | { readonly action: "UPDATE"; readonly target: string; readonly reason: string; readonly content?: string }
  | { readonly action: "DELETE"; readonly target: string; readonly reason: string }

export interface UpsertDeciderService {
  readonly name: string
  readonly decide: (question: UpsertQuestion) => Effect.Effect<UpsertDecision, DeciderError>
}

/** A language model: a prompt in, its text answer out. Any provider fits behind it. */
export type LlmProvider = (prompt: string) => Effect.Effect<string, unknown>

export class UpsertDecider extends Context.Tag("@waggle/memory/UpsertDecider")<UpsertDecider, UpsertDeciderService>() {
  /** Rule-based decisions from similarity and word overlap. */
  static readonly layerRules: Layer.Layer<UpsertDecider> = Layer.sync(UpsertDecider, () => rulesDecider())

  /** The rules with other thresholds. */
  static readonly layerRulesWith = (thresholds: Partial<RuleThresholds>): Layer.Layer<UpsertDecider> =>
    Layer.sync(UpsertDecider, () => rulesDecider(thresholds))

  /** Decisions by a language model, answering in JSON (see the prompt in `internal/llmDecider.ts`). */
  static readonly layerLlm = (provider: LlmProvider, name = "llm"): Layer.Layer<UpsertDecider> =>
    Layer.succeed(UpsertDecider, llmDecider(provider, name))

  static readonly layerOf = (service: UpsertDeciderService): Layer.Layer<UpsertDecider> => Layer.succeed(UpsertDecider, service)
}
