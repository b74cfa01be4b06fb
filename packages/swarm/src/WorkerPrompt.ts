/**
 * The worker prompt (what `swarm_spawn_subtask` hands to a new worker) and the recovery prompt
 * (what `swarm_recover` hands to a replacement): identity, the subtask and its epic, the files
 * and how to reserve them, how to report to the coordinator, what was learned, and where a
 * previous worker stopped. Pure and deterministic; every variable part has a budget.
 */
import type { ToolNames } from "./SwarmConfig.js"
import type { CheckpointRecord, ProgressRecord } from "./SwarmOutputs.js"
import { bullets, oneLine, sections, truncate } from "./internal/text.js"

export const BUDGET = {
  description: 3500,
  epicDescription: 800,
  sharedContext: 2000,
  files: 20,
  fileChars: 150,
  /** Up to this many files are spelled out in the reservation call; more are referred to. */
  reserveInline: 8,
  antiPatterns: 6,
  antiPatternChars: 200,
  memories: 4,
  memoryChars: 250,
  notes: 1000,
  nextSteps: 8,
  stepChars: 150,
  issues: 6,
  issueChars: 250
} as const

export interface Resume {
  readonly checkpoint: CheckpointRecord | null
  readonly progress: ProgressRecord | null
}

export interface WorkerPromptInput {
  readonly worker: string
  readonly coordinator: string
  readonly cellId: string
  readonly title: string
  readonly description: string
  readonly epic: { readonly id: string; readonly title: string; readonly description: string } | null
  readonly files: ReadonlyArray<string>
  readonly sharedContext?: string | undefined
  readonly antiPatterns: ReadonlyArray<string>
  readonly memories: ReadonlyArray<string>
  /** Issues of the last rejected review, to fix first. */
  readonly reviewIssues: ReadonlyArray<string>
  readonly resume: Resume
  readonly reservationTtlMs: number
  readonly tools: ToolNames
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`

const when = (ms: number) => new Date(ms).toISOString()

/** Where the last worker stopped: the latest checkpoint and progress report (or nothing). */
export const resumeSection = (resume: Resume): string | null => {
  const { checkpoint: c, progress: p } = resume
  if (c === null && p === null) return null
  const lines: Array<string> = []
  if (c !== null) {
    lines.push(`Latest checkpoint (${c.kind}${c.milestone === null ? "" : ` at ${c.milestone}%`}, by ${c.agent}, ${when(c.created_at)}):`)
    if (c.progress_percent !== null) lines.push(`- progress: ${c.progress_percent}%`)
    lines.push(`- files touched: ${c.files_touched.length === 0 ? "(none)" : truncate(c.files_touched.join(", "), 500)}`)
    if (c.notes !== null) lines.push(`- notes: ${truncate(c.notes, BUDGET.notes)}`)
    if (c.next_steps.length > 0) lines.push("- next steps:", bullets(c.next_steps, BUDGET.nextSteps, BUDGET.stepChars, "more steps").replace(/^- /gm, "  - "))
    if (c.error_context !== null) lines.push(`- error being handled: ${truncate(c.error_context, 500)}`)
  }
  if (p !== null) {
    lines.push(
      `Last progress report (${when(p.reported_at)}, by ${p.agent}): ${p.status}` +
        `${p.progress_percent === null ? "" : ` at ${p.progress_percent}%`}${p.message === null ? "" : ` — ${oneLine(p.message, 300)}`}`
    )
    if (p.blockers.length > 0) lines.push(`- blockers: ${truncate(p.blockers.map((b) => oneLine(b, 200)).join("; "), 400)}`)
  }
  lines.push("Check the files' current state before you continue: work after the checkpoint may be partly done.")
  return `## Resume where the last worker stopped\n${lines.join("\n")}`
}

const protocol = (i: WorkerPromptInput, thread: string): string => {
  const t = i.tools
  const inline = JSON.stringify(i.files)
  const paths = i.files.length <= BUDGET.reserveInline && inline.length <= 600 ? inline : "<every file listed under Files>"
  return [
    `1. Reserve before editing: ${t.reserve}(agent: "${i.worker}", paths: ${paths}, exclusive: true, reason: "${i.cellId}") ` +
    `(reservations last ${minutes(i.reservationTtlMs)}; reserve again to renew). On a conflict do not edit: mail the coordinator.`,
    `2. Edit only reserved files. Need another file? Ask ${i.coordinator} with ${t.mailSend}(to: ["${i.coordinator}"], thread: "${thread}").`,
    `3. Report progress with ${t.progress}(agent_name: "${i.worker}", cell_id: "${i.cellId}", status, progress_percent, message, files_touched); ` +
    "reaching 25, 50 and 75% stores a checkpoint.",
    `4. Before a risky step, save ${t.checkpoint}(agent_name, cell_id, files_touched, notes, next_steps): a replacement worker resumes from it.`,
    `5. Blocked? ${t.progress} with status "blocked" and blockers, right away; do not spin.`,
    `6. Done: ${t.complete}(agent_name: "${i.worker}", cell_id: "${i.cellId}", summary, files_touched, verification_commands, learnings). ` +
    `It runs the verification commands, releases your reservations, closes the cell and tells ${i.coordinator}. ` +
    `Do not close the cell yourself. If it fails for good, call it with success: false and failure_mode.`,
    `7. Check ${t.mailInbox} for the coordinator's messages between steps.`
  ].join("\n")
}

/** The prompt for a worker starting (or taking over) a subtask. */
export const build = (i: WorkerPromptInput): string => {
  const thread = i.epic?.id ?? i.cellId
  const files = i.files.length === 0
    ? "(none listed: reserve what you edit before editing it)"
    : bullets(i.files, BUDGET.files, BUDGET.fileChars, "more files")
  return sections([
    `You are ${i.worker}, a worker in a swarm. Your subtask is cell ${i.cellId}: ${oneLine(i.title, 300)}. ` +
    `Your coordinator is ${i.coordinator}; mail it in thread "${thread}".`,
    i.epic === null
      ? null
      : `## Epic ${i.epic.id}: ${oneLine(i.epic.title, 300)}` +
        (i.epic.description.trim() === "" ? "" : `\n${truncate(i.epic.description.trim(), BUDGET.epicDescription)}`),
    `## Subtask\n${i.description.trim() === "" ? "(no description: the title says it)" : truncate(i.description.trim(), BUDGET.description)}`,
    `## Files\n${files}`,
    i.sharedContext === undefined || i.sharedContext.trim() === ""
      ? null
      : `## Shared context\n${truncate(i.sharedContext.trim(), BUDGET.sharedContext)}`,
    i.reviewIssues.length === 0
      ? null
      : `## Fix first: the last review asked for changes\n${bullets(i.reviewIssues, BUDGET.issues, BUDGET.issueChars, "more issues")}`,
    resumeSection(i.resume),
    `## Protocol\n${protocol(i, thread)}`,
    i.antiPatterns.length === 0 ? null : `## Avoid (learned from past outcomes)\n${bullets(i.antiPatterns, BUDGET.antiPatterns, BUDGET.antiPatternChars, "more")}`,
    i.memories.length === 0
      ? null
      : `## Relevant memories\n${bullets(i.memories, BUDGET.memories, BUDGET.memoryChars, "more memories")}\n` +
        `Search for more with ${i.tools.memoryFind} before you start.`
  ])
}

export interface RecoveryPromptInput {
  readonly agent: string | null
  readonly cellId: string
  readonly title: string
  readonly status: string
  readonly assignee: string | null
  readonly epicId: string | null
  readonly resume: Resume
  readonly reservations: ReadonlyArray<{ readonly agent: string; readonly pattern: string }>
  readonly tools: ToolNames
}

/** The prompt for a replacement worker: what is known of the previous worker's state, and how to take over. */
export const recovery = (i: RecoveryPromptInput): string =>
  sections([
    `${i.agent === null ? "A replacement worker" : `You (${i.agent})`} take${i.agent === null ? "s" : ""} over cell ${i.cellId}: ` +
    `${oneLine(i.title, 300)} (status ${i.status}${i.assignee === null ? "" : `, assigned to ${i.assignee}`}` +
    `${i.epicId === null ? "" : `, epic ${i.epicId}`}).`,
    resumeSection(i.resume) ?? "## Resume\nNo checkpoint or progress was recorded: start from the subtask's description.",
    i.reservations.length === 0
      ? null
      : `## Still reserved by the previous holder\n${bullets(i.reservations.map((r) => `${r.pattern} (${r.agent})`), 30, 240, "more")}\n` +
        `The coordinator releases them when it reassigns the cell (${i.tools.spawn} with reassign: true).`,
    `## Next\nAsk the coordinator to reassign the cell to you, reserve its files with ${i.tools.reserve}, ` +
    `then continue with the next steps above and report with ${i.tools.progress}.`
  ])
