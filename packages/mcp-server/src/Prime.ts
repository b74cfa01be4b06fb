/**
 * `waggle prime`: the context block an agent starts from, within a token budget. Sections, most
 * important first: the agent's cells in progress, ready work, unread mail, live reservations,
 * anti-patterns to avoid, relevant memories. Each section keeps as many lines as fit; what does
 * not fit is counted ("+3 more").
 */
import { Effect } from "effect"
import { Hive } from "@waggle/hive"
import type { Cell } from "@waggle/hive"
import { Learning } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableMailbox, FileReservations, Project } from "@waggle/primitives"

export interface PrimeOptions {
  readonly agent: string | undefined
  /** Approximate tokens (4 bytes each) the block may use. */
  readonly budgetTokens: number
  /** What to recall memories about (default: the titles of the agent's cells). */
  readonly query?: string
}

export interface PrimeSection {
  readonly title: string
  readonly lines: ReadonlyArray<string>
}

const cellLine = (c: Cell) =>
  `${c.id} P${c.priority} ${c.type} ${c.status}${c.assignee === null ? "" : ` @${c.assignee}`}: ${c.title}`

const oneLine = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

/** The sections, each with every line it could show (fitting comes after). */
export const primeSections = (options: PrimeOptions) =>
  Effect.gen(function*() {
    const hive = yield* Hive
    const mail = yield* DurableMailbox
    const reservations = yield* FileReservations
    const learning = yield* Learning
    const memory = yield* Memory
    const project = yield* Project
    const agent = options.agent
    const sections: Array<PrimeSection> = []

    const mine = agent === undefined ? [] : yield* hive.query({ assignee: agent, status: ["in_progress", "blocked"], limit: 20 })
    if (agent !== undefined) sections.push({ title: `Your cells (${agent})`, lines: mine.map(cellLine) })

    const ready = [
      ...(agent === undefined ? [] : yield* hive.ready({ assignee: agent, limit: 10 })),
      ...(yield* hive.ready({ unassigned: true, limit: 10 }))
    ]
    sections.push({ title: "Ready work", lines: ready.map(cellLine) })

    if (agent !== undefined) {
      const unread = yield* mail.inbox(agent, { unreadOnly: true, limit: 20 })
      sections.push({
        title: "Unread mail",
        lines: unread.map((m) => `${m.id} from ${m.from}${m.importance === "normal" ? "" : ` [${m.importance}]`}: ${oneLine(m.subject)}`)
      })
    }

    const live = yield* reservations.list(agent === undefined ? {} : { agent })
    sections.push({
      title: agent === undefined ? "Reservations" : "Your reservations",
      lines: live.map((r) => `${r.pattern}${r.exclusive ? "" : " (shared)"} by ${r.agent} until ${new Date(r.expiresAt).toISOString()}`)
    })

    const avoid = yield* learning.patterns({ antiPatternsOnly: true, limit: 10 })
    sections.push({ title: "Avoid", lines: avoid.map((p) => p.antiPattern?.current ?? `AVOID: ${p.name}`) })

    const query = options.query ?? [...mine, ...ready].map((c) => c.title).join(" ").slice(0, 1000)
    if (query.trim() !== "") {
      const found = yield* memory.find(query, { limit: 5 }).pipe(Effect.orElseSucceed(() => ({ hits: [] as const })))
      sections.push({ title: "Relevant memories", lines: found.hits.map((h) => `${h.id}: ${oneLine(h.content)}`) })
    }
    return { project: project.key, sections }
  })

/** The block: a header, then sections with as many lines as the budget (4 characters a token) allows. */
export const renderPrime = (
  project: string,
  agent: string | undefined,
  sections: ReadonlyArray<PrimeSection>,
  budgetTokens: number
): string => {
  const budget = Math.max(200, budgetTokens * 4)
  const out: Array<string> = []
  let used = 0
  const add = (line: string, reserve = 0): boolean => {
    const cost = (out.length === 0 ? 0 : 1) + line.length
    if (used + cost + reserve > budget) return false
    out.push(line)
    used += cost
    return true
  }
  add(oneLine(`# Waggle context: ${project}${agent === undefined ? "" : ` as ${agent}`}`, budget))
  const MARKER = 12 // room for "\n+9999 more"
  for (const section of sections) {
    if (!add(`## ${section.title}`, MARKER)) break
    if (section.lines.length === 0) {
      add("(none)")
      continue
    }
    let shown = 0
    for (const line of section.lines) {
      if (!add(line, MARKER)) break
      shown++
    }
    if (shown < section.lines.length) add(`+${section.lines.length - shown} more`)
  }
  return out.join("\n")
}
