import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Layer, TestClock } from "effect"
import { EventStore, Storage, sql } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Learning, Playbook, PrecedentSource, PrecedentUnavailable } from "@waggle/learning"
import type { HistoryEntry } from "@waggle/learning"
import { learningLayer, snapshot } from "./support/layers.js"
import { DAY, MINUTE, outcome } from "./support/outcomes.js"

const transitionsOf = (history: ReadonlyArray<HistoryEntry>) =>
  history.flatMap((h) => (h.type === "maturity_changed" ? [`${h.from}→${h.to}@${h.at}`] : []))

describe.each(backends)("Learning on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Learning | Playbook | EventStore | Storage>) =>
    Effect.provide(effect, learningLayer(backend))

  it.scoped("wiring: every recorded outcome changes what the next insights call tells the decomposer", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const playbook = yield* Playbook
      const task = "Add a dark mode toggle to the settings page"

      const before = yield* learning.insights(task)
      expect(before.mode).toBe("warmup")
      expect(before.strategies.map((s) => [s.name, s.observations])).toEqual([
        ["file-based", 0],
        ["feature-based", 0],
        ["risk-based", 0]
      ])
      expect(before.avoid).toEqual([])
      expect(before.precedent).toEqual([])
      expect(before.prompt).toContain("feature-based: no outcomes yet")

      const first = yield* learning.recordOutcome(outcome(true, {
        task: "Add a dark mode toggle to the profile page",
        strategy: "feature-based",
        patterns: ["one PR per vertical slice"],
        durationMs: 20 * MINUTE
      }))
      expect(first).toMatchObject({ score: 0.97, signal: "helpful", transitions: [], inversions: [] })

      const after = yield* learning.insights(task)
      const feature = after.strategies.find((s) => s.name === "feature-based")!
      expect(feature.observations).toBe(1)
      expect(feature.matchedKeywords).toEqual(["add", "page"])
      expect([feature.alpha, feature.beta]).toEqual([3, 1]) // prior 1 + 1 success + keyword boost 1
      expect(after.precedent.map((p) => p.id)).toEqual([`outcome:${first.position}`])
      expect(after.precedent[0]!.summary).toContain("dark mode toggle to the profile page — feature-based, succeeded")
      expect(after.prompt).toContain("feature-based: 100% success over 1 decayed outcomes, candidate")
      expect(after.prompt).not.toEqual(before.prompt)

      // Three failures of one pattern (and of its strategy) turn both into anti-patterns.
      for (let i = 0; i < 3; i++) {
        const r = yield* learning.recordOutcome(outcome(false, {
          strategy: "risk-based",
          patterns: ["rewrite the module in one go"],
          failureMode: "merge conflicts"
        }))
        expect(r.signal).toBe("harmful")
        expect(r.inversions.length).toBe(i === 2 ? 2 : 0)
      }
      const warned = yield* learning.insights(task)
      expect(warned.avoid.map((a) => a.text).sort()).toEqual([
        "AVOID: rewrite the module in one go (100% failure rate)",
        "AVOID: risk-based (100% failure rate)"
      ])
      expect(warned.prompt).toContain("- AVOID: rewrite the module in one go (100% failure rate)")
      expect(warned.strategies.find((s) => s.name === "risk-based")!.antiPattern).toBe("AVOID: risk-based (100% failure rate)")

      // Four more successes make the pattern proven; it is then advised.
      for (let i = 0; i < 4; i++) {
        yield* learning.recordOutcome(outcome(true, { strategy: "feature-based", patterns: ["one PR per vertical slice"] }))
      }
      const rule = yield* playbook.add({ text: "Run the type checker before committing", source: "cell-7 review" })
      yield* playbook.reinforce({ id: rule.id })
      const advised = yield* learning.insights(task)
      expect(advised.patterns).toEqual([
        { name: "one PR per vertical slice", maturity: "proven", weight: 1.5, successRate: 1, observations: 5 }
      ])
      expect(advised.rules).toEqual([
        { id: rule.id, text: "Run the type checker before committing", confidence: 2 / 3, maturity: "candidate", evidence: 1 }
      ])
      expect(advised.prompt).toContain("- one PR per vertical slice (proven, 100% success over 5 outcomes)")
      expect(advised.prompt).toContain("- Run the type checker before committing (confidence 67%, candidate)")
    })))

  it.scoped("bad input is InvalidInput naming every bad field, and nothing is stored", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const store = yield* EventStore
      const bad = yield* Effect.flip(learning.recordOutcome({
        cellId: "",
        durationMs: -1,
        success: "yes",
        errorCount: 1.5,
        retryCount: 0,
        filesTouched: ["a\u0000b"],
        colour: "blue"
      } as never))
      expect(bad._tag).toBe("InvalidInput")
      if (bad._tag === "InvalidInput") {
        expect(bad.operation).toBe("Learning.recordOutcome")
        expect(bad.issues.map((i) => i.path).sort()).toEqual(["cellId", "colour", "durationMs", "errorCount", "filesTouched[0]", "success"])
      }
      const unknown = yield* Effect.flip(learning.recordOutcome(outcome(true, { strategy: "vibes-based" })))
      expect(unknown).toMatchObject({ _tag: "UnknownStrategy", strategy: "vibes-based", known: ["file-based", "feature-based", "risk-based"] })
      expect((yield* Effect.flip(learning.insights("")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(learning.insights("x", { precedentLimit: 1000 })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(learning.patterns({ limit: 0 })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(learning.strategyStats({ windowMs: 0 })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(learning.registerStrategy({ name: "  ", description: "x" })))._tag).toBe("InvalidInput")
      expect(yield* Effect.flip(learning.pattern({ name: "never seen" }))).toMatchObject({ _tag: "PatternNotFound", kind: "pattern" })
      expect((yield* Effect.flip(learning.validatePattern({ name: "never seen" })))._tag).toBe("PatternNotFound")
      expect(yield* store.head).toBe(0)
      const tables = yield* snapshot
      expect(Object.values(tables).every((rows) => rows.length === 0)).toBe(true)
    })))

  it.scoped("maturity transitions are events with timestamps; the first promotion times are kept", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const p = { patterns: ["tests first"] }
      yield* TestClock.adjust(Duration.days(1))
      const day1 = []
      for (let i = 0; i < 3; i++) day1.push(yield* learning.recordOutcome(outcome(true, p)))
      expect(day1.map((r) => r.transitions)).toEqual([[], [], [{ kind: "pattern", name: "tests first", from: "candidate", to: "established" }]])

      // A day later the first three count 0.992 each: two more make 4.98 helpful, three more 5.98.
      yield* TestClock.adjust(Duration.days(1))
      yield* learning.recordOutcome(outcome(true, p))
      yield* learning.recordOutcome(outcome(true, p))
      expect((yield* learning.pattern({ name: "tests first" })).maturity).toBe("established")
      const promoted = yield* learning.recordOutcome(outcome(true, p))
      expect(promoted.transitions).toEqual([{ kind: "pattern", name: "tests first", from: "established", to: "proven" }])

      // Failures: success rate falls to ≤ 0.8 (established), then harmful passes 30% (deprecated).
      yield* TestClock.adjust(Duration.days(1))
      const failures = []
      for (let i = 0; i < 4; i++) failures.push(yield* learning.recordOutcome(outcome(false, p)))
      expect(failures.flatMap((r) => r.transitions.map((t) => `${t.from}→${t.to}`))).toEqual([
        "proven→established",
        "established→deprecated"
      ])

      const view = yield* learning.pattern({ name: "tests first" })
      expect(view).toMatchObject({
        maturity: "deprecated",
        recordedMaturity: "deprecated",
        weight: 0,
        evidenceCount: 10,
        firstSeenAt: 1 * DAY,
        firstEstablishedAt: 1 * DAY,
        firstProvenAt: 2 * DAY,
        maturityChangedAt: 3 * DAY
      })
      const history = yield* learning.patternHistory({ name: "tests first" })
      expect(transitionsOf(history)).toEqual([
        `candidate→established@${DAY}`,
        `established→proven@${2 * DAY}`,
        `proven→established@${3 * DAY}`,
        `established→deprecated@${3 * DAY}`
      ])
      expect(history.filter((h) => h.type === "evidence")).toHaveLength(10)
      expect(history.map((h) => h.position)).toEqual([...history.map((h) => h.position)].sort((a, b) => a - b))

      // 400 days later the evidence has nearly faded: the pattern reads as a candidate again, and the
      // next outcome records that transition.
      yield* TestClock.adjust(Duration.days(400))
      const aged = yield* learning.pattern({ name: "tests first" })
      expect(aged.observations).toBeLessThan(1)
      expect([aged.maturity, aged.recordedMaturity, aged.weight]).toEqual(["candidate", "deprecated", 0.5])
      const next = yield* learning.recordOutcome(outcome(true, p))
      expect(next.transitions).toEqual([{ kind: "pattern", name: "tests first", from: "deprecated", to: "candidate" }])
      expect(yield* learning.pattern({ name: "tests first" })).toMatchObject({ firstEstablishedAt: DAY, firstProvenAt: 2 * DAY })
    })))

  it.scoped("aged evidence lowers maturity; validating a pattern resets its clock", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const v = { patterns: ["small reviewed steps"] }
      for (let i = 0; i < 5; i++) yield* learning.recordOutcome(outcome(true, v))
      expect((yield* learning.pattern({ name: "small reviewed steps" })).maturity).toBe("proven")

      yield* TestClock.adjust(Duration.days(90))
      const aged = yield* learning.pattern({ name: "small reviewed steps" })
      expect([aged.observations, aged.maturity, aged.recordedMaturity]).toEqual([2.5, "candidate", "proven"])

      const validated = yield* learning.validatePattern({ name: "small reviewed steps" })
      expect(validated).toMatchObject({ observations: 5, maturity: "proven", validatedAt: 90 * DAY })

      yield* TestClock.adjust(Duration.days(90))
      expect((yield* learning.pattern({ name: "small reviewed steps" })).observations).toBe(2.5)
      // A failure now: 3.5 observations, success rate 0.71 → established (recorded).
      const failed = yield* learning.recordOutcome(outcome(false, v))
      expect(failed.transitions.map((t) => t.to)).toEqual(["established"])
      // Validation refreshes all six: helpful 5, success rate 5/6 → proven, recorded in the same transaction.
      const again = yield* learning.validatePattern({ name: "small reviewed steps" })
      expect(again).toMatchObject({ maturity: "proven", recordedMaturity: "proven", observations: 6 })
      const history = yield* learning.patternHistory({ name: "small reviewed steps", limit: 4 })
      expect(history.map((h) => h.type)).toEqual(["evidence", "maturity_changed", "validated", "maturity_changed"])
    })))

  it.scoped("anti-pattern inversion: once per pattern, linked to the original, never of an anti-pattern", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const p = { patterns: ["big bang merge"] }
      const results = []
      for (const success of [true, true, false, false, false]) results.push(yield* learning.recordOutcome(outcome(success, p)))
      expect(results.map((r) => r.inversions)).toEqual([
        [],
        [],
        [],
        [],
        [{ kind: "pattern", name: "big bang merge", antiPattern: "AVOID: big bang merge (60% failure rate)" }]
      ])
      const more = yield* learning.recordOutcome(outcome(false, p))
      expect(more.inversions).toEqual([])

      const original = yield* learning.pattern({ name: "big bang merge" })
      expect(original.evidenceCount).toBe(6)
      expect(original.antiPattern).toEqual({
        text: "AVOID: big bang merge (60% failure rate)",
        invertedAt: 0,
        failureRateAtInversion: 0.6,
        active: true,
        current: "AVOID: big bang merge (67% failure rate)"
      })
      expect((yield* learning.patterns({ antiPatternsOnly: true })).map((v) => v.name)).toEqual(["big bang merge"])
      expect((yield* learning.insights("merge the branches")).avoid.map((a) => a.text)).toEqual([
        "AVOID: big bang merge (67% failure rate)"
      ])

      // An anti-pattern's own text is never inverted ("AVOID: AVOID: ...").
      for (let i = 0; i < 4; i++) {
        const r = yield* learning.recordOutcome(outcome(false, { patterns: ["AVOID: big bang merge (60% failure rate)"] }))
        expect(r.inversions).toEqual([])
      }

      // Successes lift the flag (the record stays); failures bring it back without a second inversion.
      for (let i = 0; i < 6; i++) yield* learning.recordOutcome(outcome(true, p))
      expect((yield* learning.pattern({ name: "big bang merge" })).antiPattern?.active).toBe(false)
      expect((yield* learning.insights("merge the branches")).avoid).toEqual([])
      for (let i = 0; i < 10; i++) expect((yield* learning.recordOutcome(outcome(false, p))).inversions).toEqual([])
      expect((yield* learning.pattern({ name: "big bang merge" })).antiPattern?.active).toBe(true)
      const history = yield* learning.patternHistory({ name: "big bang merge" })
      expect(history.filter((h) => h.type === "inverted")).toHaveLength(1)
    })))

  it.scoped("concurrent outcomes for one pattern: every one is stored, one inversion, consistent transitions", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const results = yield* Effect.forEach(
        Array.from({ length: 12 }, () => outcome(false, { patterns: ["shared pattern"], strategy: "file-based" })),
        (o) => learning.recordOutcome(o),
        { concurrency: "unbounded" }
      )
      expect(results.flatMap((r) => r.inversions).map((i) => i.name).sort()).toEqual(["file-based", "shared pattern"])
      const history = yield* learning.patternHistory({ name: "shared pattern" })
      expect(history.filter((h) => h.type === "evidence")).toHaveLength(12)
      expect(transitionsOf(history)).toEqual(["candidate→deprecated@0"])
    })))

  it.scoped("per-strategy success rates over time windows", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      yield* learning.registerStrategy({ name: "test-first", description: "Write the failing tests first" })
      for (const success of [true, true, false]) yield* learning.recordOutcome(outcome(success, { strategy: "feature-based" }))
      yield* learning.recordOutcome(outcome(true, { strategy: "file-based" }))
      yield* TestClock.adjust(Duration.days(1))
      yield* learning.recordOutcome(outcome(true, { strategy: "feature-based" }))
      yield* TestClock.adjust(Duration.days(1))
      yield* learning.recordOutcome(outcome(false, { strategy: "risk-based" }))

      const stats = yield* learning.strategyStats({ windowMs: DAY, windows: 3 })
      const by = (name: string) => stats.find((s) => s.strategy === name)!
      expect(stats.map((s) => s.strategy)).toEqual(["file-based", "feature-based", "risk-based", "test-first"])
      expect(by("feature-based").windows).toEqual([
        { from: -DAY, to: 0, outcomes: 3, successes: 2, successRate: 2 / 3, meanScore: (0.985 * 2 + 0.385) / 3 },
        { from: 0, to: DAY, outcomes: 1, successes: 1, successRate: 1, meanScore: 0.985 },
        { from: DAY, to: 2 * DAY, outcomes: 0, successes: 0, successRate: null, meanScore: null }
      ])
      expect(by("feature-based").total).toEqual({ outcomes: 4, successes: 3, successRate: 0.75 })
      expect(by("feature-based").decayed.observations).toBeCloseTo(3 * Math.pow(0.5, 2 / 90) + Math.pow(0.5, 1 / 90), 12)
      expect(by("risk-based").windows.map((w) => w.successRate)).toEqual([null, null, 0])
      expect(by("test-first")).toMatchObject({ builtin: false, total: { outcomes: 0, successes: 0, successRate: null } })
      const weekly = yield* learning.strategyStats()
      expect(weekly[1]!.windows).toHaveLength(4)
      expect(weekly[1]!.windows[3]).toMatchObject({ outcomes: 4, successes: 3 })
    })))

  it.scoped("registered strategies can be named by outcomes and recommended; names are unique", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const store = yield* EventStore
      const input = { name: "test-first", description: "Write the failing tests first", keywords: ["tdd", "flaky tests"] }
      const registered = yield* learning.registerStrategy(input)
      expect(registered).toEqual({ ...input, builtin: false, registeredAt: 0 })
      const head = yield* store.head
      expect(yield* learning.registerStrategy(input)).toEqual(registered)
      expect(yield* store.head).toBe(head)
      expect(yield* Effect.flip(learning.registerStrategy({ ...input, description: "other" }))).toMatchObject({ _tag: "StrategyExists" })
      expect((yield* Effect.flip(learning.registerStrategy({ name: "risk-based", description: "mine" })))._tag).toBe("StrategyExists")
      expect((yield* learning.strategies).map((s) => s.name)).toEqual(["file-based", "feature-based", "risk-based", "test-first"])

      const insights = yield* learning.insights("Fix the flaky tests in CI")
      expect(insights.strategies.find((s) => s.name === "test-first")!.matchedKeywords).toEqual(["flaky tests"])
      expect(insights.strategies.find((s) => s.name === "risk-based")!.matchedKeywords).toEqual(["fix"])
      const r = yield* learning.recordOutcome(outcome(true, { strategy: "test-first" }))
      expect(r.signal).toBe("helpful")
    })))

  it.scoped("projections rebuild identically from the log", () =>
    run(Effect.gen(function*() {
      const learning = yield* Learning
      const playbook = yield* Playbook
      const store = yield* EventStore
      const storage = yield* Storage
      let seed = 2024
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      yield* learning.registerStrategy({ name: "test-first", description: "tests first", keywords: ["tdd"] })
      const strategies = ["file-based", "feature-based", "risk-based", "test-first"]
      const patterns = ["p0", "p1", "p2", "p3", "p4", "p5"]
      const rules: Array<string> = []
      for (let i = 0; i < 160; i++) {
        const roll = rand(20)
        if (roll < 13) {
          yield* learning.recordOutcome(outcome(rand(10) < 6, {
            strategy: strategies[rand(4)]!,
            patterns: [patterns[rand(6)]!, patterns[rand(6)]!],
            task: `task ${i} touching module ${rand(5)}`,
            durationMs: rand(90) * MINUTE,
            errorCount: rand(4),
            retryCount: rand(3),
            ...(rand(3) === 0 ? { epicId: `epic-${rand(3)}`, criteria: [{ criterion: "tests pass", met: rand(2) === 0 }] } : {})
          }))
        } else if (roll < 14) {
          yield* Effect.either(learning.validatePattern({ name: patterns[rand(6)]! }))
        } else if (roll < 16) {
          const r = yield* Effect.either(playbook.add({ text: `rule ${rand(8)}` }))
          if (Either.isRight(r)) rules.push(r.right.id)
        } else if (roll < 19 && rules.length > 0) {
          const id = rules[rand(rules.length)]!
          yield* Effect.either(rand(3) === 0 ? playbook.contradict({ id }) : playbook.reinforce({ id, note: "seen again" }))
        } else if (rules.length > 0) {
          yield* Effect.either(playbook.retire({ id: rules[rand(rules.length)]!, reason: "obsolete" }))
        }
        yield* TestClock.adjust(Duration.hours(rand(48)))
      }
      const before = yield* snapshot
      const viewsBefore = yield* learning.patterns()
      const statsBefore = yield* learning.strategyStats({ windowMs: 2 * DAY, windows: 5 })
      expect(before["learning_history"]!.length).toBeGreaterThan(5)
      // Wreck the tables, then rebuild.
      yield* storage.write((tx) =>
        tx.runAll([
          sql`DELETE FROM learning_evidence WHERE project = ${store.project} AND kind = 'pattern'`,
          sql`UPDATE learning_subjects SET maturity = 'proven', validated_at = NULL WHERE project = ${store.project}`,
          sql`DELETE FROM learning_outcomes WHERE project = ${store.project} AND success = 1`
        ])
      )
      expect(yield* snapshot).not.toEqual(before)
      const report = yield* store.rebuildProjections(["learning"])
      expect(report.events).toBe((yield* store.readAll({ limit: 100_000 })).length)
      expect(yield* snapshot).toEqual(before)
      expect(yield* learning.patterns()).toEqual(viewsBefore)
      expect(yield* learning.strategyStats({ windowMs: 2 * DAY, windows: 5 })).toEqual(statsBefore)
    })))

  it.scoped("a precedent source that fails degrades insights to a note", () =>
    Effect.gen(function*() {
      const failing = Layer.succeed(PrecedentSource, {
        similar: () => Effect.fail(new PrecedentUnavailable({ reason: "memory is offline" }))
      })
      const insights = yield* Effect.flatMap(Learning, (l) => l.insights("anything at all")).pipe(
        Effect.provide(learningLayer(backend, { precedent: failing }))
      )
      expect(insights.precedent).toEqual([])
      expect(insights.notes).toEqual(["precedent unavailable: memory is offline"])
      expect(insights.prompt).toContain("Note: precedent unavailable: memory is offline")
    }))

  it.scoped("recommendations are reproducible under a seed", () =>
    Effect.gen(function*() {
      const sequence = (seed: number) =>
        Effect.gen(function*() {
          const learning = yield* Learning
          for (const [strategy, success] of [["file-based", true], ["feature-based", false], ["risk-based", true]] as const) {
            for (let i = 0; i < 3; i++) yield* learning.recordOutcome(outcome(success, { strategy }))
          }
          const picks: Array<string> = []
          for (let i = 0; i < 20; i++) picks.push((yield* learning.insights(`task ${i}`)).strategy)
          return picks
        }).pipe(Effect.provide(learningLayer(backend, { seed, precedent: "none" })))
      const a = yield* sequence(11)
      expect(yield* sequence(11)).toEqual(a)
      expect(a.filter((s) => s === "feature-based").length).toBeLessThan(5)
    }))
})
