import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, TestClock } from "effect"
import { EventStore } from "@waggle/primitives"
import { backends } from "@waggle/test-support"
import { Skills } from "@waggle/learning"
import { learningLayer } from "./support/layers.js"

describe.each(backends)("Skills on $name", (backend) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Skills | EventStore>) =>
    Effect.provide(effect, learningLayer(backend, { precedent: "none", seed: 3 }))

  it.scoped("a skill's uses give it Beta(α, β) statistics", () =>
    run(Effect.gen(function*() {
      const skills = yield* Skills
      const added = yield* skills.add({
        name: "bisect-regression",
        description: "Find the commit that broke a test",
        template: "Run git bisect between {{good}} and {{bad}} with {{test}}",
        tags: ["debugging", "git", "git"]
      })
      expect(added).toMatchObject({ alpha: 1, beta: 1, mean: 0.5, uses: 0, tags: ["debugging", "git"], lastUsedAt: null })
      for (const success of [true, true, true, false]) yield* skills.recordUse({ name: "bisect-regression", success })
      expect(yield* skills.get("bisect-regression")).toMatchObject({ alpha: 4, beta: 2, mean: 4 / 6, uses: 4, successes: 3, failures: 1 })
      yield* TestClock.adjust(Duration.days(90))
      expect(yield* skills.get("bisect-regression")).toMatchObject({ alpha: 2.5, beta: 1.5, uses: 4 })
    })))

  it.scoped("select samples among matching skills and favours the one that works", () =>
    run(Effect.gen(function*() {
      const skills = yield* Skills
      for (const name of ["works", "fails", "unused"]) {
        yield* skills.add({ name, description: name, template: `do it the ${name} way`, tags: name === "unused" ? ["other"] : ["fix"] })
      }
      for (let i = 0; i < 15; i++) {
        yield* skills.recordUse({ name: "works", success: i % 5 !== 0 })
        yield* skills.recordUse({ name: "fails", success: i % 5 === 0 })
      }
      const picks: Array<string> = []
      for (let i = 0; i < 100; i++) picks.push(Option.getOrThrow(yield* skills.select({ tags: ["fix"] })).skill.name)
      expect(picks.filter((p) => p === "works").length).toBeGreaterThanOrEqual(95)
      expect(picks.includes("unused")).toBe(false)
      const choice = Option.getOrThrow(yield* skills.select({ tags: ["other"] }))
      expect(choice.skill.name).toBe("unused")
      expect(choice.draws.map((d) => d.name)).toEqual(["unused"])
      expect(Option.isNone(yield* skills.select({ tags: ["nothing"] }))).toBe(true)
      expect((yield* skills.list).map((s) => s.name)).toEqual(["fails", "unused", "works"])
    })))

  it.scoped("names are unique; unknown skills and bad input are typed errors", () =>
    run(Effect.gen(function*() {
      const skills = yield* Skills
      const store = yield* EventStore
      expect((yield* Effect.flip(skills.add({ name: "", description: "d", template: "t" })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(skills.recordUse({ name: "ghost", success: true })))._tag).toBe("SkillNotFound")
      expect(yield* store.head).toBe(0)
      yield* skills.add({ name: "s", description: "d", template: "t" })
      expect(yield* Effect.flip(skills.add({ name: "s", description: "d2", template: "t2" }))).toMatchObject({ _tag: "SkillExists", name: "s" })
      expect((yield* Effect.flip(skills.recordUse({ name: "s", success: "yes" } as never)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(skills.get("ghost")))._tag).toBe("SkillNotFound")
    })))
})
