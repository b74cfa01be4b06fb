/**
 * The LLM-backed upsert decider: a prompt listing the new information and the closest memories,
 * answered with one JSON object. The answer is decoded strictly; anything else (no JSON, unknown
 * action, a target that was not offered, a provider failure) is a `DeciderError`.
 */
import { Effect, Either, Schema } from "effect"
import { DeciderError } from "../Errors.js"
import type { LlmProvider, UpsertDecision, UpsertDeciderService, UpsertQuestion } from "../UpsertDecider.js"

export const Answer = Schema.Struct({
  action: Schema.Literal("ADD", "UPDATE", "DELETE", "NOOP"),
  target: Schema.optional(Schema.NullOr(Schema.String)),
  content: Schema.optional(Schema.NullOr(Schema.String)),
  reason: Schema.String
})

export const promptFor = (question: UpsertQuestion): string => {
  const existing = question.candidates.length === 0
    ? "(none)"
    : question.candidates
      .map((c) => `[${c.memory.id}] (similarity ${c.similarity.toFixed(2)}) ${c.memory.content}`)
      .join("\n")
  return `You maintain an agent's long-term memory. Decide what to do with NEW information, given the
most similar EXISTING memories of the collection "${question.collection}".
Answer with one JSON object and nothing else:
{"action": "ADD" | "UPDATE" | "DELETE" | "NOOP", "target": "<id of an existing memory; for UPDATE, DELETE, NOOP>",
 "content": "<UPDATE only: the full, current statement>", "reason": "<one sentence>"}
- ADD: no existing memory covers the new information.
- UPDATE: it refines or corrects one existing memory; "content" merges them into what is true now.
- DELETE: it says an existing memory is no longer true and leaves nothing new to keep.
- NOOP: an existing memory already says it.

NEW: ${question.information}
EXISTING:
${existing}`
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error)

const decodeAnswer = Schema.decodeUnknownEither(Schema.parseJson(Answer))

export const parseAnswer = (question: UpsertQuestion, text: string): Either.Either<UpsertDecision, string> => {
  const start = text.indexOf("{")
  const end = text.lastIndexOf("}")
  if (start < 0 || end < start) return Either.left(`the answer contains no JSON object: ${text.slice(0, 200)}`)
  const decoded = decodeAnswer(text.slice(start, end + 1))
  if (Either.isLeft(decoded)) return Either.left(`the answer is not a valid decision: ${decoded.left.message.slice(0, 300)}`)
  const a = decoded.right
  if (a.action === "ADD") return Either.right({ action: "ADD", reason: a.reason })
  const target = a.target ?? undefined
  if (target === undefined || !question.candidates.some((c) => c.memory.id === target)) {
    return Either.left(`${a.action} needs a target among the memories offered, got ${JSON.stringify(a.target ?? null)}`)
  }
  if (a.action === "UPDATE") {
    const content = a.content?.trim()
    return Either.right(
      content === undefined || content === ""
        ? { action: "UPDATE", target, reason: a.reason }
        : { action: "UPDATE", target, reason: a.reason, content }
    )
  }
  return Either.right({ action: a.action, target, reason: a.reason })
}

export const llmDecider = (provider: LlmProvider, name: string): UpsertDeciderService => ({
  name,
  decide: (question) =>
    Effect.gen(function*() {
      const text = yield* provider(promptFor(question)).pipe(
        Effect.mapError((error) => new DeciderError({ decider: name, reason: `the provider failed: ${describe(error)}` }))
      )
      const parsed = parseAnswer(question, text)
      if (Either.isLeft(parsed)) return yield* new DeciderError({ decider: name, reason: parsed.left })
      return parsed.right
    })
})
