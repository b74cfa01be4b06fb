/**
 * Bench data: a project of N cells as an import file (the quickest way in that still goes through
 * events and projections): half closed, a tenth in progress, the rest open; every eighth open cell
 * blocked by an earlier open one; priorities 0..3.
 */
export interface Shape {
  readonly ready: number
}

const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()

export const idOf = (i: number) => `bench-${i.toString(36).padStart(5, "0")}`

export const generateJsonl = (n: number, now = Date.now()): { readonly content: string; readonly shape: Shape } => {
  const lines: Array<string> = []
  let ready = 0
  let lastOpen: number | undefined
  for (let i = 0; i < n; i++) {
    const created = now - 90 * DAY + Math.floor((i / n) * 89 * DAY)
    const kind = i % 10
    const status = kind < 5 ? "closed" : kind === 5 ? "in_progress" : "open"
    const blockedBy = status === "open" && lastOpen !== undefined && i % 8 === 0 ? lastOpen : undefined
    if (status === "open") {
      if (blockedBy === undefined) ready++
      lastOpen = i
    }
    lines.push(JSON.stringify({
      id: idOf(i),
      title: `Cell ${i}: a typical title for a unit of work`,
      description: "Some description of what to do, where and why; a few sentences long in practice.",
      type: i % 7 === 0 ? "bug" : "task",
      status,
      priority: (i * 7) % 4,
      assignee: status === "in_progress" ? `agent-${i % 5}` : null,
      labels: i % 3 === 0 ? ["backend"] : [],
      files: [],
      parent: null,
      dependencies: blockedBy === undefined ? [] : [{ id: idOf(blockedBy), kind: "blocks", created_at: iso(created) }],
      comments: [],
      created_at: iso(created),
      updated_at: iso(created),
      closed_at: status === "closed" ? iso(created + 1000) : null,
      closed_reason: status === "closed" ? "done" : null,
      result: null,
      deleted_at: null
    }))
  }
  return { content: [...lines].sort().map((l) => l + "\n").join(""), shape: { ready } }
}
