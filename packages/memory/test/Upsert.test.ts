import { describe, expect, it } from "@effect/vitest"
import { Effect, Ref, TestClock } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import type { MemoryService, UpsertDeciderService } from "../src/index.js"
import { Embedder, Memory, UpsertDecider } from "../src/index.js"
import { runOn } from "./fixtures.js"

/** A deterministic "language model": answers from a script, records the prompts it saw. */
const scriptedProvider = (answers: Array<(prompt: string) => string>, prompts: Array<string>) => (prompt: string) =>
  Effect.sync(() => {
    prompts.push(prompt)
    const next = answers.shift()
    return next === undefined ? "no more answers" : next(prompt)
  })

const idOf = (prompt: string, text: string) => {
  const line = prompt.split("\n").find((l) => l.startsWith("[") && l.includes(text))
  return /\[([^\]]+)\]/.exec(line ?? "")?.[1] ?? "missing"
}

describe.each(backends)("Memory.upsert on $name", (backend) => {
  const run = runOn(backend)

  it.scoped("rules: nothing similar → ADD; the same text → NOOP; a close refinement → UPDATE", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const first = yield* memory.upsert("OAuth refresh tokens need a buffer before expiry", { tags: ["oauth"] })
      expect(first).toMatchObject({ action: "ADD", previous: null, reason: "no similar memory" })
      const again = yield* memory.upsert("oauth refresh tokens need a buffer before expiry!")
      expect(again).toMatchObject({ action: "NOOP", id: first.id, previous: null })
      const subset = yield* memory.upsert("OAuth refresh tokens need a buffer")
      expect(subset).toMatchObject({ action: "NOOP", id: first.id })
      expect(subset.reason).toMatch(/already says this/)
      const refined = yield* memory.upsert("OAuth refresh tokens need a 5-minute buffer before expiry", { tags: ["auth"] })
      expect(refined).toMatchObject({ action: "UPDATE", previous: first.id })
      expect(refined.reason).toMatch(/^refines /)
      const unrelated = yield* memory.upsert("The CI runner needs 8 GB of memory")
      expect(unrelated.action).toBe("ADD")
      const stats = yield* memory.stats
      expect(stats).toMatchObject({ total: 3, current: 2, superseded: 1 })
      const updated = yield* memory.get(refined.id)
      expect(updated).toMatchObject({ content: "OAuth refresh tokens need a 5-minute buffer before expiry", tags: ["auth", "oauth"] })
    })))

  it.scoped("UPDATE is non-destructive: the old memory is superseded (valid_until, superseded_by, a supersedes link)", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      yield* TestClock.setTime(10_000)
      const v1 = yield* memory.store("The CI runner needs 4 GB of memory for the e2e suite", { metadata: { owner: "ci" } })
      yield* TestClock.setTime(20_000)
      const v2 = yield* memory.upsert("The CI runner needs 8 GB of memory for the e2e suite")
      expect(v2).toMatchObject({ action: "UPDATE", previous: v1 })
      const old = yield* memory.get(v1)
      expect(old).toMatchObject({ validUntil: 20_000, supersededBy: v2.id, content: "The CI runner needs 4 GB of memory for the e2e suite" })
      expect((yield* memory.get(v2.id))).toMatchObject({ validFrom: 20_000, validUntil: null, metadata: { owner: "ci" } })
      const links = yield* memory.linked(v2.id, { direction: "out" })
      expect(links.map((l) => [l.type, l.memory.id, l.strength])).toEqual([["supersedes", v1, 1]])
    })))

  it.scoped("history(id) shows the whole supersession chain, oldest first, from any member", () =>
    run(Effect.gen(function*() {
      const memory = yield* Memory
      const texts = [
        "The billing API rate limit is 100 requests per minute",
        "The billing API rate limit is 100 requests per minute per tenant",
        "The billing API rate limit is 100 requests per minute per tenant, burst 20",
        "The billing API rate limit is 120 requests per minute per tenant, burst 20"
      ]
      const ids: Array<string> = []
      for (const [i, text] of texts.entries()) {
        yield* TestClock.setTime((i + 1) * 1_000)
        const r = yield* memory.upsert(text)
        expect(r.action).toBe(i === 0 ? "ADD" : "UPDATE")
        if (i > 0) expect(r.previous).toBe(ids[i - 1])
        ids.push(r.id)
      }
      for (const id of ids) {
        const chain = yield* memory.history(id)
        expect(chain.map((m) => m.id)).toEqual(ids)
        expect(chain.map((m) => m.validUntil)).toEqual([2_000, 3_000, 4_000, null])
      }
      const lone = yield* memory.store("Unrelated lone memory")
      expect((yield* memory.history(lone)).map((m) => m.id)).toEqual([lone])
      expect((yield* Effect.flip(memory.history("mem_nope")))._tag).toBe("MemoryNotFound")
      expect((yield* memory.find("billing api rate limit")).hits.map((h) => h.id)).toEqual([ids[3]])
    })))

  it.scoped("LLM decider: DELETE supersedes without a successor; UPDATE stores the merged content", () =>
    Effect.gen(function*() {
      const prompts: Array<string> = []
      const answers: Array<(prompt: string) => string> = [
        () => "{\"action\": \"ADD\", \"reason\": \"new fact\"}",
        (p) => `Sure! {"action": "DELETE", "target": "${idOf(p, "Fridays")}", "reason": "deploy freeze lifted"}`,
        () => "```json\n{\"action\": \"ADD\", \"reason\": \"new\"}\n```",
        (p) =>
          `{"action": "UPDATE", "target": "${idOf(p, "pnpm")}", "content": "Use pnpm 9, never npm or yarn", "reason": "version added"}`
      ]
      const llm = UpsertDecider.layerLlm(scriptedProvider(answers, prompts), "fake-llm")
      yield* runOn(backend, Embedder.layerHashed, llm)(Effect.gen(function*() {
        const memory = yield* Memory
        const freeze = yield* memory.upsert("Deploys are frozen on Fridays")
        expect(freeze.action).toBe("ADD")
        const lifted = yield* memory.upsert("The Friday deploy freeze was lifted")
        expect(lifted).toMatchObject({ action: "DELETE", id: freeze.id, previous: freeze.id, reason: "deploy freeze lifted" })
        expect(yield* memory.get(freeze.id)).toMatchObject({ supersededBy: null })
        expect((yield* memory.get(freeze.id)).validUntil).not.toBeNull()
        expect((yield* memory.find("deploys fridays")).hits).toEqual([])
        const pnpm = yield* memory.upsert("Use pnpm in this repository")
        const merged = yield* memory.upsert("pnpm 9 is required")
        expect(merged).toMatchObject({ action: "UPDATE", previous: pnpm.id })
        expect((yield* memory.get(merged.id)).content).toBe("Use pnpm 9, never npm or yarn")
        expect(prompts[1]).toContain("Deploys are frozen on Fridays")
        expect(prompts[1]).toContain("NEW: The Friday deploy freeze was lifted")
      }))
    }))

  it.scoped("an LLM answer that is not a valid decision is a DeciderError, and nothing changes", () =>
    Effect.gen(function*() {
      const bad: Array<(prompt: string) => string> = [
        () => "I think you should add it.",
        () => "{\"action\": \"MERGE\", \"reason\": \"?\"}",
        () => "{\"action\": \"UPDATE\", \"target\": \"mem_not_offered\", \"reason\": \"x\"}",
        () => "{\"action\": \"NOOP\", \"reason\": \"no target\"}"
      ]
      const llm = UpsertDecider.layerLlm(scriptedProvider(bad, []), "fake-llm")
      yield* runOn(backend, Embedder.layerHashed, llm)(Effect.gen(function*() {
        const memory = yield* Memory
        const events = yield* EventStore
        for (let i = 0; i < 4; i++) {
          const error = yield* Effect.flip(memory.upsert("Some fact"))
          expect(error).toMatchObject({ _tag: "DeciderError", decider: "fake-llm" })
        }
        expect(yield* events.head).toBe(0)
      }))
      const failing = UpsertDecider.layerLlm(() => Effect.fail("rate limited"), "down")
      yield* runOn(backend, Embedder.layerHashed, failing)(Effect.gen(function*() {
        const memory = yield* Memory
        const error = yield* Effect.flip(memory.upsert("Some fact"))
        expect(error).toMatchObject({ _tag: "DeciderError", reason: "the provider failed: rate limited" })
      }))
    }))

  it.scoped("a target superseded while the decider was thinking is decided again (compare-and-set)", () =>
    Effect.gen(function*() {
      const memoryRef = yield* Ref.make<MemoryService | undefined>(undefined)
      const calls = yield* Ref.make(0)
      const racing: UpsertDeciderService = {
        name: "racing",
        decide: (q) =>
          Effect.gen(function*() {
            const n = yield* Ref.getAndUpdate(calls, (c) => c + 1)
            const target = q.candidates[0]?.memory.id
            if (n === 0 && target !== undefined) {
              // Someone else removes the target before our decision is applied.
              const memory = (yield* Ref.get(memoryRef))!
              yield* Effect.orDie(memory.remove(target))
              return { action: "UPDATE" as const, target, reason: "stale decision" }
            }
            return target === undefined
              ? { action: "ADD" as const, reason: "no candidate left" }
              : { action: "UPDATE" as const, target, reason: "fresh decision" }
          })
      }
      yield* runOn(backend, Embedder.layerHashed, UpsertDecider.layerOf(racing))(Effect.gen(function*() {
        const memory = yield* Memory
        yield* Ref.set(memoryRef, memory)
        const original = yield* memory.store("Feature flags are evaluated per request")
        const result = yield* memory.upsert("Feature flags are evaluated per request by LaunchDarkly")
        expect(result).toMatchObject({ action: "ADD", previous: null, reason: "no candidate left" })
        expect(yield* Ref.get(calls)).toBe(2)
        expect((yield* Effect.flip(memory.get(original)))._tag).toBe("MemoryNotFound")
        expect((yield* memory.stats).current).toBe(1)
      }))
    }))
})
