import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Playbook, ruleIdOf } from "@waggle/learning"
import { learningLayer } from "./support/layers.js"

describe.each(backends)("Playbook on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Playbook | EventStore>) =>
    Effect.provide(effect, learningLayer(backend, { precedent: "none" }))

  it.scoped("a rule gains confidence and maturity with reinforcement and loses them with contradiction", () =>
    run(Effect.gen(function*() {
      const playbook = yield* Playbook
      const added = yield* playbook.add({ text: "  Run the type checker before committing ", source: "retro 12" })
      expect(added).toMatchObject({
        id: ruleIdOf("run the type checker before committing"),
        text: "Run the type checker before committing",
        source: "retro 12",
        status: "active",
        confidence: 0.5,
        maturity: "candidate",
        weight: 0.5,
        evidence: 0,
        addedAt: 0
      })
      let rule = added
      for (let i = 0; i < 3; i++) rule = yield* playbook.reinforce({ id: added.id, note: `cell-${i}` })
      expect(rule).toMatchObject({ confidence: 0.8, maturity: "established", evidence: 3, reinforcements: 3 })
      for (let i = 0; i < 2; i++) rule = yield* playbook.reinforce({ id: added.id })
      expect(rule).toMatchObject({ confidence: 6 / 7, maturity: "proven", weight: 1.5 })
      rule = yield* playbook.contradict({ id: added.id, note: "broke the build anyway" })
      expect(rule).toMatchObject({ confidence: 0.75, maturity: "proven", evidence: 6, contradictions: 1 })
      rule = yield* playbook.contradict({ id: added.id })
      expect(rule).toMatchObject({ confidence: 2 / 3, maturity: "established" })
      rule = yield* playbook.contradict({ id: added.id })
      expect(rule.maturity).toBe("deprecated") // 3 of 8 harmful
    })))

  it.scoped("rule evidence decays: confidence drifts back toward the prior", () =>
    run(Effect.gen(function*() {
      const playbook = yield* Playbook
      const { id } = yield* playbook.add({ text: "Prefer small commits" })
      for (let i = 0; i < 3; i++) yield* playbook.reinforce({ id })
      yield* TestClock.adjust(Duration.days(90))
      const aged = yield* playbook.get(id)
      expect(aged).toMatchObject({ decayedReinforcements: 1.5, confidence: 2.5 / 3.5, maturity: "candidate", evidence: 3 })
      expect(aged.lastEvidenceAt).toBe(0)
    })))

  it.scoped("retired rules keep their history, take no evidence, and are listed only on request", () =>
    run(Effect.gen(function*() {
      const playbook = yield* Playbook
      const a = yield* playbook.add({ text: "Rule A" })
      const b = yield* playbook.add({ text: "Rule B" })
      yield* playbook.reinforce({ id: b.id })
      yield* TestClock.adjust(Duration.hours(1))
      const retired = yield* playbook.retire({ id: a.id, reason: "superseded by B" })
      expect(retired).toMatchObject({ status: "retired", retiredAt: 3_600_000, retireReason: "superseded by B" })
      expect(yield* Effect.flip(playbook.reinforce({ id: a.id }))).toMatchObject({ _tag: "RuleRetired", id: a.id })
      expect((yield* Effect.flip(playbook.retire({ id: a.id })))._tag).toBe("RuleRetired")
      expect((yield* playbook.list()).map((r) => r.text)).toEqual(["Rule B"])
      expect((yield* playbook.list({ status: "all" })).map((r) => r.text)).toEqual(["Rule B", "Rule A"])
      expect((yield* playbook.list({ status: "retired" })).map((r) => r.text)).toEqual(["Rule A"])
      expect((yield* playbook.list({ minConfidence: 0.6 })).map((r) => r.text)).toEqual(["Rule B"])
    })))

  it.scoped("one rule per text; unknown ids and bad input are typed errors; nothing stored on failure", () =>
    run(Effect.gen(function*() {
      const playbook = yield* Playbook
      const store = yield* EventStore
      expect((yield* Effect.flip(playbook.add({ text: "   " })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(playbook.add({ text: "x\u0000y" })))._tag).toBe("InvalidInput")
      expect(yield* store.head).toBe(0)
      const rule = yield* playbook.add({ text: "Pin dependency versions" })
      expect(yield* Effect.flip(playbook.add({ text: "pin   DEPENDENCY versions" }))).toMatchObject({ _tag: "RuleExists", id: rule.id })
      expect(yield* Effect.flip(playbook.reinforce({ id: "rule-000000000000" }))).toMatchObject({ _tag: "RuleNotFound" })
      expect((yield* Effect.flip(playbook.get("rule-000000000000")))._tag).toBe("RuleNotFound")
      expect((yield* Effect.flip(playbook.list({ limit: -1 })))._tag).toBe("InvalidInput")
    })))
})
