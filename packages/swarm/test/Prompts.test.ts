import { describe, expect, it } from "@effect/vitest"
import { DecompositionPrompt, defaultToolNames, ReviewPrompt, WorkerPrompt } from "@waggle/swarm"

const decompositionInput: DecompositionPrompt.DecompositionPromptInput = {
  task: "Add rate limiting to the public API",
  context: "Express app; middleware lives in src/middleware",
  maxSubtasks: 4,
  strategy: { name: "feature-based", confidence: 0.62, reasoning: "Thompson sampling chose it.", mode: "thompson" },
  strategies: [
    { name: "file-based", description: "Split by files.", successRate: 0, observations: 3, antiPattern: "AVOID: file-based (100% failure rate)" },
    { name: "feature-based", description: "Split by feature.", successRate: 0.75, observations: 4, antiPattern: null },
    { name: "risk-based", description: "Split by risk.", successRate: 0, observations: 0, antiPattern: null }
  ],
  antiPatterns: ["AVOID: file-based (100% failure rate)"],
  patterns: ["tests next to code (proven, 90% success over 10 outcomes)"],
  rules: ["Run the type checker before committing (confidence 80%)"],
  precedent: [{ summary: "Added request quotas to the admin API — feature-based, succeeded", score: 0.4 }],
  tools: defaultToolNames
}

describe("DecompositionPrompt", () => {
  it("states the task, context, learned guidance, rules and answer shape", () => {
    const prompt = DecompositionPrompt.build(decompositionInput)
    expect(prompt).toContain("## Task\nAdd rate limiting to the public API")
    expect(prompt).toContain("## Context\nExpress app; middleware lives in src/middleware")
    expect(prompt).toContain(
      "## Learned guidance\nRecommended strategy: feature-based (confidence 62%, Thompson sampling) — Split by feature.\nWhy: Thompson sampling chose it."
    )
    expect(prompt).toContain(
      "Strategies so far:\n- file-based: 0% success over 3 outcomes (AVOID: file-based (100% failure rate))\n" +
        "- feature-based: 75% success over 4 outcomes\n- risk-based: no outcomes yet"
    )
    expect(prompt).toContain("Avoid (anti-patterns learned from past outcomes):\n- AVOID: file-based (100% failure rate)")
    expect(prompt).toContain("Patterns that worked:\n- tests next to code (proven, 90% success over 10 outcomes)")
    expect(prompt).toContain("Playbook rules:\n- Run the type checker before committing (confidence 80%)")
    expect(prompt).toContain("Similar past tasks:\n- Added request quotas to the admin API — feature-based, succeeded (similarity 0.40)")
    expect(prompt).toContain("Use at most 4 subtasks.")
    expect(prompt).toContain('"new_files"?: string[]')
    expect(prompt).toContain('"estimated_complexity": 1 | 2 | 3 | 4 | 5')
    expect(prompt).toContain('Check the answer with swarm_validate_decomposition (pass strategy: "feature-based")')
  })

  it("is deterministic, says (none) for what is missing, and cuts long parts with a marker", () => {
    expect(DecompositionPrompt.build(decompositionInput)).toBe(DecompositionPrompt.build({ ...decompositionInput }))
    const bare = DecompositionPrompt.build({ ...decompositionInput, context: undefined, antiPatterns: [], precedent: [], patterns: [], rules: [] })
    expect(bare).toContain("## Context\n(none)")
    expect(bare).toContain("Avoid (anti-patterns learned from past outcomes):\n(none)")
    expect(bare).toContain("Similar past tasks:\n(none)")
    expect(bare).not.toContain("Patterns that worked")

    const huge = DecompositionPrompt.build({
      ...decompositionInput,
      task: "word ".repeat(5000),
      context: "x".repeat(100_000),
      antiPatterns: Array.from({ length: 40 }, (_, i) => `AVOID: pattern ${i} (70% failure rate)`),
      precedent: Array.from({ length: 20 }, (_, i) => ({ summary: `task ${i} ${"y".repeat(2000)}`, score: 0.5 }))
    })
    expect(huge.length).toBeLessThan(20_000)
    expect(huge).toMatch(/…\[truncated: \d+ more characters\]/)
    expect(huge).toContain("- …and 30 more anti-patterns")
    expect(huge).toContain("- …and 15 more past tasks")
  })

  it("stays under 20k characters when every part is at its worst", () => {
    const long = "z".repeat(5000)
    const worst = DecompositionPrompt.build({
      ...decompositionInput,
      task: long.repeat(2),
      context: long.repeat(20),
      strategy: { ...decompositionInput.strategy, reasoning: long },
      strategies: Array.from({ length: 30 }, (_, i) => ({ name: `s${i} ${long}`, description: long, successRate: 0.5, observations: 3, antiPattern: long })),
      antiPatterns: Array.from({ length: 50 }, () => long),
      patterns: Array.from({ length: 50 }, () => long),
      rules: Array.from({ length: 50 }, () => long),
      precedent: Array.from({ length: 50 }, () => ({ summary: long, score: 1 }))
    })
    expect(worst.length).toBeLessThan(20_000)
  })
})

const workerInput: WorkerPrompt.WorkerPromptInput = {
  worker: "worker-1",
  coordinator: "lead",
  cellId: "w-abc.2",
  title: "Limit login attempts",
  description: "Add a per-IP limiter to POST /login.",
  epic: { id: "w-abc", title: "Rate limiting", description: "Protect the public API." },
  files: ["src/routes/login.ts", "src/middleware/limit.ts"],
  sharedContext: "Use the existing Redis client.",
  antiPatterns: ["AVOID: file-based (100% failure rate)"],
  memories: ["Redis INCR with EXPIRE is atomic enough for per-IP counters"],
  reviewIssues: [],
  resume: { checkpoint: null, progress: null },
  reservationTtlMs: 3_600_000,
  tools: defaultToolNames
}

describe("WorkerPrompt", () => {
  it("gives identity, epic, subtask, files, reservation and mail protocol, and what was learned", () => {
    const prompt = WorkerPrompt.build(workerInput)
    expect(prompt.startsWith(
      "You are worker-1, a worker in a swarm. Your subtask is cell w-abc.2: Limit login attempts. " +
        'Your coordinator is lead; mail it in thread "w-abc".'
    )).toBe(true)
    expect(prompt).toContain("## Epic w-abc: Rate limiting\nProtect the public API.")
    expect(prompt).toContain("## Subtask\nAdd a per-IP limiter to POST /login.")
    expect(prompt).toContain("## Files\n- src/routes/login.ts\n- src/middleware/limit.ts")
    expect(prompt).toContain("## Shared context\nUse the existing Redis client.")
    expect(prompt).toContain(
      '1. Reserve before editing: files_reserve(agent: "worker-1", paths: ["src/routes/login.ts","src/middleware/limit.ts"], exclusive: true, reason: "w-abc.2") (reservations last 60 minutes'
    )
    expect(prompt).toContain('Ask lead with mail_send(to: ["lead"], thread: "w-abc")')
    expect(prompt).toContain('swarm_progress(agent_name: "worker-1", cell_id: "w-abc.2", status, progress_percent, message, files_touched)')
    expect(prompt).toContain('6. Done: swarm_complete(agent_name: "worker-1", cell_id: "w-abc.2", summary, files_touched, verification_commands, learnings)')
    expect(prompt).toContain("It runs the verification commands, releases your reservations, closes the cell and tells lead.")
    expect(prompt).toContain("## Avoid (learned from past outcomes)\n- AVOID: file-based (100% failure rate)")
    expect(prompt).toContain("## Relevant memories\n- Redis INCR with EXPIRE is atomic enough for per-IP counters")
    expect(prompt).not.toContain("## Resume")
    expect(prompt).toBe(WorkerPrompt.build({ ...workerInput }))
  })

  it("a takeover resumes from the checkpoint and progress; review issues come first", () => {
    const prompt = WorkerPrompt.build({
      ...workerInput,
      reviewIssues: ["src/routes/login.ts:12: the limit is per user, not per IP"],
      resume: {
        checkpoint: {
          id: 7,
          cell_id: "w-abc.2",
          epic_id: "w-abc",
          agent: "worker-0",
          kind: "milestone",
          milestone: 50,
          progress_percent: 55,
          files_touched: ["src/middleware/limit.ts"],
          notes: "limiter written, not wired",
          next_steps: ["wire it into the login route", "add a test"],
          error_context: null,
          created_at: 0
        },
        progress: {
          status: "in_progress",
          progress_percent: 60,
          message: "wiring",
          files_touched: [],
          blockers: [],
          agent: "worker-0",
          reported_at: 1000
        }
      }
    })
    expect(prompt).toContain("## Fix first: the last review asked for changes\n- src/routes/login.ts:12: the limit is per user, not per IP")
    expect(prompt).toContain(
      "## Resume where the last worker stopped\nLatest checkpoint (milestone at 50%, by worker-0, 1970-01-01T00:00:00.000Z):\n" +
        "- progress: 55%\n- files touched: src/middleware/limit.ts\n- notes: limiter written, not wired\n" +
        "- next steps:\n  - wire it into the login route\n  - add a test\n" +
        "Last progress report (1970-01-01T00:00:01.000Z, by worker-0): in_progress at 60% — wiring"
    )
  })

  it("stays under 20k characters when every part is at its worst; many files are referred to, not repeated", () => {
    const long = "q".repeat(5000)
    const files = Array.from({ length: 400 }, (_, i) => `src/${"d".repeat(300)}/${i}.ts`)
    const worst = WorkerPrompt.build({
      ...workerInput,
      title: long,
      description: long.repeat(4),
      epic: { id: "w-abc", title: long, description: long },
      files,
      sharedContext: long.repeat(4),
      antiPatterns: Array.from({ length: 50 }, () => long),
      memories: Array.from({ length: 50 }, () => long),
      reviewIssues: Array.from({ length: 50 }, () => long),
      resume: {
        checkpoint: {
          id: 1,
          cell_id: "w-abc.2",
          epic_id: "w-abc",
          agent: "w0",
          kind: "manual",
          milestone: null,
          progress_percent: 10,
          files_touched: files,
          notes: long,
          next_steps: Array.from({ length: 50 }, () => long),
          error_context: long,
          created_at: 0
        },
        progress: { status: "blocked", progress_percent: 10, message: long, files_touched: files, blockers: [long], agent: "w0", reported_at: 0 }
      }
    })
    expect(worst.length).toBeLessThan(20_000)
    expect(worst).toContain("paths: <every file listed under Files>")
    expect(worst).toContain("- …and 380 more files")
  })

  it("a recovery prompt says what is known and how to take over", () => {
    const prompt = WorkerPrompt.recovery({
      agent: "worker-2",
      cellId: "w-abc.2",
      title: "Limit login attempts",
      status: "in_progress",
      assignee: "worker-0",
      epicId: "w-abc",
      resume: { checkpoint: null, progress: null },
      reservations: [{ agent: "worker-0", pattern: "src/routes/login.ts" }],
      tools: defaultToolNames
    })
    expect(prompt).toContain("You (worker-2) take over cell w-abc.2: Limit login attempts (status in_progress, assigned to worker-0, epic w-abc).")
    expect(prompt).toContain("No checkpoint or progress was recorded")
    expect(prompt).toContain("## Still reserved by the previous holder\n- src/routes/login.ts (worker-0)")
  })
})

describe("ReviewPrompt", () => {
  it("reads acceptance criteria from a description", () => {
    expect(ReviewPrompt.criteriaFrom("Do it.\n\nAcceptance criteria:\n- returns 429\n* logs it\n1. [ ] documented\n\nEstimated complexity: 2/5"))
      .toEqual(["returns 429", "logs it", "documented"])
    expect(ReviewPrompt.criteriaFrom("## Acceptance Criteria\n\n- one")).toEqual(["one"])
    expect(ReviewPrompt.criteriaFrom("no criteria here")).toEqual([])
  })

  it("shows the epic, summary, files, diff, criteria, earlier rejections and the verdict shape", () => {
    const prompt = ReviewPrompt.build({
      cellId: "w-abc.2",
      title: "Limit login attempts",
      description: "Add a limiter.",
      status: "closed",
      worker: "worker-1",
      epic: { id: "w-abc", title: "Rate limiting", description: "" },
      completion: "Limiter added with tests",
      files: ["src/routes/login.ts"],
      diff: "+ limit(req.ip)",
      criteria: ["returns 429 after 5 attempts"],
      previous: [{ attempt: 1, issues: ["no test"] }],
      attempt: 2,
      limit: 3,
      feedbackTool: "swarm_review_feedback"
    })
    expect(prompt).toContain("Review subtask w-abc.2: Limit login attempts (status closed, worker worker-1). This is review 2 of at most 3")
    expect(prompt).toContain("## Worker's summary\nLimiter added with tests")
    expect(prompt).toContain("## Changes\n```diff\n+ limit(req.ip)\n```")
    expect(prompt).toContain("## Acceptance criteria\n- returns 429 after 5 attempts")
    expect(prompt).toContain("## Earlier rejections (check they are fixed)\nReview 1:\n- no test")
    expect(prompt).toContain('{ "status": "approved" | "needs_changes"')
  })
})
