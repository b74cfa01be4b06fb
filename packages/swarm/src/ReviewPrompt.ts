/**
 * The review prompt: what the coordinator (or a reviewer it spawns) reads to judge a completed
 * subtask: the epic's goal, the subtask, what the worker reported, the files and diff, the
 * acceptance criteria, earlier rejections, and the verdict's JSON shape. Pure and deterministic.
 */
import { JSONSchema, Schema } from "effect"
import { bullets, oneLine, sections, truncate } from "./internal/text.js"

export const BUDGET = { description: 4000, summary: 2000, diff: 12_000, files: 60, criteria: 15, issues: 10 } as const

/** General criteria, used when neither the call nor the cell's description names any. */
export const DEFAULT_CRITERIA: ReadonlyArray<string> = [
  "Does what the subtask asks, nothing left out",
  "Changes stay inside the subtask's files",
  "Types are sound and the code follows the project's patterns",
  "New behaviour is covered by tests, and the tests pass",
  "Nothing else broke (callers, exports, downstream subtasks)"
]

/** The bullets under an "Acceptance criteria" heading or line in a description, if any. */
export const criteriaFrom = (description: string): Array<string> => {
  const lines = description.split(/\r?\n/)
  const start = lines.findIndex((l) => /^\s*(#+\s*)?acceptance criteria\s*:?\s*$/i.test(l))
  if (start < 0) return []
  const out: Array<string> = []
  for (const line of lines.slice(start + 1)) {
    const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+?)\s*$/.exec(line)
    if (bullet?.[1] !== undefined) out.push(bullet[1])
    else if (line.trim() === "" && out.length === 0) continue
    else break
  }
  return out
}

export const Verdict = Schema.Struct({
  status: Schema.Literal("approved", "needs_changes"),
  summary: Schema.String,
  issues: Schema.Array(Schema.Struct({
    file: Schema.optional(Schema.String),
    line: Schema.optional(Schema.Number),
    issue: Schema.String,
    suggestion: Schema.optional(Schema.String)
  }))
})
export const verdictJsonSchema: unknown = JSONSchema.make(Verdict)

export interface ReviewPromptInput {
  readonly cellId: string
  readonly title: string
  readonly description: string
  readonly status: string
  readonly worker: string | null
  readonly epic: { readonly id: string; readonly title: string; readonly description: string } | null
  /** What the worker said when it completed (close reason), if it did. */
  readonly completion: string | null
  readonly files: ReadonlyArray<string>
  readonly diff: string | null
  readonly criteria: ReadonlyArray<string>
  /** Earlier rejections, oldest first: their issues as text. */
  readonly previous: ReadonlyArray<{ readonly attempt: number; readonly issues: ReadonlyArray<string> }>
  readonly attempt: number
  readonly limit: number
  readonly feedbackTool: string
}

export const build = (i: ReviewPromptInput): string =>
  sections([
    `Review subtask ${i.cellId}: ${oneLine(i.title, 300)} (status ${i.status}${i.worker === null ? "" : `, worker ${i.worker}`}). ` +
    `This is review ${i.attempt} of at most ${i.limit}: after ${i.limit} rejections the subtask is blocked.`,
    i.epic === null
      ? null
      : `## Epic ${i.epic.id}: ${oneLine(i.epic.title, 300)}` +
        (i.epic.description.trim() === "" ? "" : `\n${truncate(i.epic.description.trim(), 1500)}`),
    `## Subtask\n${i.description.trim() === "" ? "(no description)" : truncate(i.description.trim(), BUDGET.description)}`,
    `## Worker's summary\n${i.completion === null ? "(not completed yet)" : truncate(i.completion, BUDGET.summary)}`,
    `## Files\n${bullets(i.files, BUDGET.files, 200, "more files")}`,
    `## Changes\n${i.diff === null ? "(no diff available: read the files)" : `\`\`\`diff\n${truncate(i.diff, BUDGET.diff)}\n\`\`\``}`,
    `## Acceptance criteria\n${bullets(i.criteria, BUDGET.criteria, 300, "more criteria")}`,
    i.previous.length === 0
      ? null
      : `## Earlier rejections (check they are fixed)\n${
        i.previous.map((p) => `Review ${p.attempt}:\n${bullets(p.issues, BUDGET.issues, 300, "more issues")}`).join("\n")
      }`,
    "## Verdict\nCheck every criterion against the changes. Answer with JSON only:\n" +
    '{ "status": "approved" | "needs_changes", "summary": string, "issues": [{ "file"?: string, "line"?: number, "issue": string, "suggestion"?: string }] }\n' +
    `needs_changes requires at least one issue. Record it with ${i.feedbackTool}.`
  ])
