/**
 * What the coordinator answers a decomposition prompt with: the epic and its subtasks, each with
 * the files it edits (`files`: must exist; globs allowed), the files it creates (`new_files`: plain
 * paths that need not exist), its dependencies (indices of other subtasks) and an estimated
 * complexity (1..5). Parsing is lenient about the wrapping (code fences, prose around the JSON).
 */
import { Either, JSONSchema, Schema } from "effect"
import { Text } from "@waggle/primitives"

const Title = Text.pipe(Schema.maxLength(500))
const Description = Text.pipe(Schema.maxLength(100_000))
const Path = Text.pipe(Schema.maxLength(1024))
const Paths = Schema.Array(Path).pipe(Schema.maxItems(500))

export const SubtaskAnswer = Schema.Struct({
  title: Title,
  description: Schema.optional(Description),
  files: Paths,
  new_files: Schema.optional(Paths),
  dependencies: Schema.optional(Schema.Array(Schema.Int).pipe(Schema.maxItems(100))),
  estimated_complexity: Schema.Int.pipe(Schema.between(1, 5)),
  acceptance_criteria: Schema.optional(Schema.Array(Text.pipe(Schema.maxLength(1000))).pipe(Schema.maxItems(30)))
})
export type SubtaskAnswer = typeof SubtaskAnswer.Type

export const DecompositionAnswer = Schema.Struct({
  epic: Schema.Struct({ title: Title, description: Schema.optional(Description) }),
  subtasks: Schema.Array(SubtaskAnswer).pipe(Schema.maxItems(100))
})
export type DecompositionAnswer = typeof DecompositionAnswer.Type

/** The answer's JSON Schema (published with the prompt so that clients can check answers themselves). */
export const responseJsonSchema: unknown = JSONSchema.make(DecompositionAnswer)

/** The answer's shape as the prompt shows it. */
export const RESPONSE_FORMAT = `{
  "epic": { "title": string, "description"?: string },
  "subtasks": [
    {
      "title": string,                  // unique, says what the subtask delivers
      "description"?: string,           // instructions for the worker
      "files": string[],                // existing files it edits (globs allowed, "dir/" = everything under dir)
      "new_files"?: string[],           // files it creates (plain paths)
      "dependencies": number[],         // indices of subtasks that must finish first
      "estimated_complexity": 1 | 2 | 3 | 4 | 5,
      "acceptance_criteria"?: string[]  // how a reviewer checks it
    }
  ]
}`

/**
 * The JSON value in an answer: the whole text, else the body of a code fence, else the span from
 * the first `{` to the last `}`. Left: why it is not JSON.
 */
export const parseAnswerText = (text: string): Either.Either<unknown, string> => {
  const attempts: Array<string> = [text.trim()]
  const fence = /```(?:json|JSON)?\s*\n([\s\S]*?)```/.exec(text)
  if (fence?.[1] !== undefined) attempts.push(fence[1].trim())
  const first = text.indexOf("{")
  const last = text.lastIndexOf("}")
  if (first >= 0 && last > first) attempts.push(text.slice(first, last + 1))
  let reason = "empty answer"
  for (const candidate of attempts) {
    if (candidate === "") continue
    try {
      return Either.right(JSON.parse(candidate))
    } catch (error) {
      reason = (error as Error).message
    }
  }
  return Either.left(reason)
}
