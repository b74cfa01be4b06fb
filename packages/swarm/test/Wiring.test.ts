import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { backends } from "@waggle/test-support"
import { Swarm } from "@waggle/swarm"
import { epicWith, swarmLayer } from "./support/layers.js"

const TASK = "Refactor the settings module into smaller files"

describe.each(backends)("learning wiring on $name", (backend) => {
  it.scoped("three failed completions with one strategy: the next decomposition lists it as an anti-pattern and recommends another", () =>
    Effect.gen(function*() {
      const swarm = yield* Swarm
      const before = yield* swarm.decompose({ task: TASK })
      expect(before.anti_patterns).toEqual([])
      expect(before.prompt).toContain("- file-based: no outcomes yet")
      expect(before.prompt).toContain("Avoid (anti-patterns learned from past outcomes):\n(none)")

      const { subtasks } = yield* epicWith({
        title: "Split settings",
        labels: ["strategy:file-based"],
        subtasks: [
          { title: "Split settings/ui", files: ["src/settings/ui.ts"] },
          { title: "Split settings/store", files: ["src/settings/store.ts"] },
          { title: "Split settings/api", files: ["src/settings/api.ts"] }
        ]
      })
      for (const [i, s] of subtasks.entries()) {
        // The strategy comes from the epic's label: spawn records it, completion reports it to learning.
        const spawned = yield* swarm.spawnSubtask({ cell_id: s.id, agent_name: `w${i}` })
        expect(spawned.strategy).toBe("file-based")
        const done = yield* swarm.complete({
          cell_id: s.id,
          agent_name: `w${i}`,
          summary: `Splitting ${s.title} broke the imports of every caller`,
          success: false,
          failure_mode: "merge conflicts between the split files",
          error_count: 4
        })
        expect(done.outcome?.inversions).toEqual(i === 2 ? ["AVOID: file-based (100% failure rate)"] : [])
      }

      const after = yield* swarm.decompose({ task: TASK })
      expect(after.anti_patterns).toEqual(["AVOID: file-based (100% failure rate)"])
      expect(after.prompt).toContain("Avoid (anti-patterns learned from past outcomes):\n- AVOID: file-based (100% failure rate)")
      expect(after.prompt).toContain("- file-based: 0% success over 3 outcomes (AVOID: file-based (100% failure rate))")
      // file-based has its evidence; the others are still warming up, so one of them is recommended.
      expect(after.strategy.mode).toBe("warmup")
      expect(["feature-based", "risk-based"]).toContain(after.strategy.name)
      expect(after.prompt).toContain(`Recommended strategy: ${after.strategy.name}`)
      // The completions were stored in memory: they come back as precedent.
      expect(after.precedent.some((p) => p.summary.includes("failed (strategy file-based)"))).toBe(true)
      expect(after.prompt).toContain("failed (strategy file-based)")
      expect(after.prompt).not.toEqual(before.prompt)
    }).pipe(Effect.provide(swarmLayer(backend))))
})
