/** DAG workflows on the TestClock: order, parallelism, build-time rejection, fail-fast, timeout, retry, journal. */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Either, Exit, Fiber, Layer, Schema, TestClock } from "effect"
import {
  DuplicateStep,
  makeMemoryJournal,
  MissingDependency,
  StepFailed,
  StepJournal,
  StepTimeout,
  Workflow,
  WorkflowCycle
} from "../src/index.js"

/** Records when each step starts and ends (TestClock millis) and how many run at once. */
const tracker = () => {
  const events: Array<{ step: string; at: number; what: "start" | "end" }> = []
  let running = 0
  let maxRunning = 0
  const step = <A>(name: string, seconds: number, value: A) =>
    Effect.gen(function*() {
      events.push({ step: name, at: yield* TestClock.currentTimeMillis, what: "start" })
      running++
      maxRunning = Math.max(maxRunning, running)
      yield* Effect.sleep(`${seconds} seconds`).pipe(Effect.ensuring(Effect.sync(() => running--)))
      events.push({ step: name, at: yield* TestClock.currentTimeMillis, what: "end" })
      return value
    })
  const at = (name: string, what: "start" | "end") => events.find((e) => e.step === name && e.what === what)?.at
  return { events, step, at, maxRunning: () => maxRunning }
}

const runFor = <A, E>(effect: Effect.Effect<A, E>, seconds: number) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(`${seconds} seconds`)
    return yield* Fiber.await(fiber)
  })

describe("Workflow", () => {
  it.effect("runs steps in topological order, independent ones in parallel, passing outputs along", () =>
    Effect.gen(function*() {
      const t = tracker()
      const workflow = yield* Workflow.make("report")
        .step("d", { dependsOn: ["b", "c"] }, ({ b, c }) => t.step("d", 1, `${b}+${c}`))
        .step("a", () => t.step("a", 10, 1))
        .step("b", () => t.step("b", 30, "b"))
        .step("c", { dependsOn: ["a"] }, ({ a }) => t.step("c", 5, (a as number) * 2))
        .build()
      expect(workflow.steps.map((s) => s.name)).toEqual(["a", "b", "c", "d"]) // each after its dependencies
      const exit = yield* runFor(Workflow.run(workflow, { concurrency: 4 }), 60)
      expect(exit).toStrictEqual(Exit.succeed({ d: "b+2", a: 1, b: "b", c: 2 }))
      expect([t.at("a", "start"), t.at("b", "start")]).toEqual([0, 0]) // parallel
      expect(t.at("c", "start")).toBe(t.at("a", "end")) // as soon as a is done
      expect(t.at("d", "start")).toBe(Math.max(t.at("b", "end")!, t.at("c", "end")!))
      expect(t.at("d", "end")).toBe(31_000)
    }))

  it.effect("types each step's dependencies and the run's result", () =>
    Effect.gen(function*() {
      const workflow = yield* Workflow.make("typed")
        .step("user", () => Effect.succeed({ id: "u1" }))
        .step("posts", { dependsOn: ["user"] }, async ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<{ id: string }>()
          return [`${user.id}:hello`]
        })
        .build()
      const result = yield* Workflow.run(workflow)
      expectTypeOf(result).toEqualTypeOf<{ readonly user: { id: string }; readonly posts: Array<string> }>()
      expect(result.posts).toEqual(["u1:hello"])
    }))

  it.effect("bounds parallelism by the concurrency limit", () =>
    Effect.gen(function*() {
      const t = tracker()
      let builder = Workflow.make("fanout") as Workflow.WorkflowBuilder<any, never, never>
      for (const name of ["s1", "s2", "s3", "s4", "s5", "s6"]) builder = builder.step(name, () => t.step(name, 10, name))
      const workflow = yield* builder.build()
      const exit = yield* runFor(Workflow.run(workflow, { concurrency: 2 }), 30)
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(t.maxRunning()).toBe(2)
      expect(t.at("s6", "end")).toBe(30_000)
    }))

  it("rejects a cycle, a missing dependency and a duplicate step when built", () => {
    const cycle = Workflow.make("loop")
      .step("start", () => 0)
      .step("a", { dependsOn: ["start", "c"] }, () => 1)
      .step("b", { dependsOn: ["a"] }, () => 2)
      .step("c", { dependsOn: ["b"] }, () => 3)
      .build()
    expect(cycle).toStrictEqual(Either.left(new WorkflowCycle({ workflow: "loop", cycle: ["a", "c", "b", "a"] })))
    const missing = Workflow.make("gap").step("a", { dependsOn: ["ghost"] }, () => 1).build()
    expect(missing).toStrictEqual(Either.left(new MissingDependency({ workflow: "gap", step: "a", dependency: "ghost" })))
    const twice = Workflow.make("twice").step("a", () => 1).step("a", () => 2).build()
    expect(twice).toStrictEqual(Either.left(new DuplicateStep({ workflow: "twice", step: "a" })))
    expect(Either.isLeft(cycle) && cycle.left.message).toBe("Workflow loop has a dependency cycle: a → c → b → a")
  })

  it.effect("cancels running siblings on the first failure and names the failing step", () =>
    Effect.gen(function*() {
      let siblingInterrupted = false
      let dependentStarted = false
      const workflow = yield* Workflow.make("deploy")
        .step("build", () => Effect.sleep("5 seconds").pipe(Effect.zipRight(Effect.fail("compiler error" as const))))
        .step("lint", () =>
          Effect.sleep("1 minute").pipe(Effect.onInterrupt(() => Effect.sync(() => (siblingInterrupted = true))))
        )
        .step("ship", { dependsOn: ["build"] }, () => Effect.sync(() => (dependentStarted = true)))
        .build()
      const exit = yield* runFor(Workflow.run(workflow, { runId: "r1" }), 5)
      expect(exit).toStrictEqual(
        Exit.fail(new StepFailed({ workflow: "deploy", runId: "r1", step: "build", error: "compiler error" }))
      )
      expect(siblingInterrupted).toBe(true)
      expect(dependentStarted).toBe(false)
    }))

  it.effect("reports a thrown error of an async step as that step's failure", () =>
    Effect.gen(function*() {
      const boom = new Error("disk full")
      const workflow = yield* Workflow.make("io")
        .step("write", async () => {
          throw boom
        })
        .build()
      const error = yield* Effect.flip(Workflow.run(workflow, { runId: "r" }))
      expect(error).toMatchObject({ _tag: "StepFailed", step: "write", error: boom })
    }))

  it.effect("applies each step's own timeout", () =>
    Effect.gen(function*() {
      const workflow = yield* Workflow.make("slow")
        .step("fast", { timeout: "10s" }, () => Effect.as(Effect.sleep("9 seconds"), "ok"))
        .step("stuck", { timeout: "20s" }, () => Effect.never)
        .build()
      const exit = yield* runFor(Workflow.run(workflow, { runId: "r" }), 20)
      expect(exit).toStrictEqual(
        Exit.fail(
          new StepFailed({
            workflow: "slow",
            runId: "r",
            step: "stuck",
            error: new StepTimeout({ workflow: "slow", step: "stuck", timeout: "20s" })
          })
        )
      )
    }))

  it.effect("applies each step's own retry policy", () =>
    Effect.gen(function*() {
      const attempts: Array<number> = []
      const workflow = yield* Workflow.make("flaky")
        .step("fetch", { retry: { schedule: "exponential", delay: "1s", maxAttempts: 4 } }, () =>
          Effect.gen(function*() {
            attempts.push(yield* TestClock.currentTimeMillis)
            if (attempts.length < 3) return yield* Effect.fail("503" as const)
            return "payload"
          }))
        .build()
      const exit = yield* runFor(Workflow.run(workflow), 10)
      expect(exit).toStrictEqual(Exit.succeed({ fetch: "payload" }))
      expect(attempts).toEqual([0, 1000, 3000])
    }))

  it.effect("resumes from the journal without repeating completed steps", () =>
    Effect.gen(function*() {
      const journal = makeMemoryJournal()
      const runs: Record<string, number> = { fetch: 0, parse: 0, store: 0 }
      let storeFails = true
      const workflow = yield* Workflow.make("ingest")
        .step("fetch", { output: Schema.Date }, () => Effect.sync(() => (runs.fetch!++, new Date(86_400_000))))
        .step("parse", { dependsOn: ["fetch"] }, ({ fetch }) => Effect.sync(() => (runs.parse!++, fetch.getTime())))
        .step("store", { dependsOn: ["parse"] }, ({ parse }) =>
          Effect.suspend(() => {
            runs.store!++
            return storeFails ? Effect.fail("db down" as const) : Effect.succeed(`stored ${parse}`)
          }))
        .build()
      const run = Workflow.run(workflow, { runId: "job-7" }).pipe(Effect.provide(Layer.succeed(StepJournal, journal)))

      const first = yield* Effect.flip(run)
      expect(first).toMatchObject({ _tag: "StepFailed", step: "store" })
      expect([...journal.entries().values()]).toEqual(["1970-01-02T00:00:00.000Z", 86_400_000]) // encoded by the step's schema

      storeFails = false
      const second = yield* run
      expect(second).toEqual({ fetch: new Date(86_400_000), parse: 86_400_000, store: "stored 86400000" })
      expect(runs).toEqual({ fetch: 1, parse: 1, store: 2 })
    }))

  it.effect("refuses a concurrency below 1 (a programming error, not a hang)", () =>
    Effect.gen(function*() {
      const workflow = yield* Workflow.make("w").step("a", () => 1).build()
      const exit = yield* Effect.exit(Workflow.run(workflow, { concurrency: 0 }))
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
    }))

  it.effect("records nothing without a journal", () =>
    Effect.gen(function*() {
      let count = 0
      const workflow = yield* Workflow.make("plain").step("once", () => Effect.sync(() => ++count)).build()
      yield* Workflow.run(workflow, { runId: "same" })
      yield* Workflow.run(workflow, { runId: "same" })
      expect(count).toBe(2)
    }))

  it.effect("StepJournal.layerMemory resumes within the layer's lifetime", () =>
    Effect.gen(function*() {
      let count = 0
      const workflow = yield* Workflow.make("memo").step("once", () => Effect.sync(() => ++count)).build()
      yield* Workflow.run(workflow, { runId: "same" })
      yield* Workflow.run(workflow, { runId: "same" })
      yield* Workflow.run(workflow, { runId: "other" })
      expect(count).toBe(2)
    }).pipe(Effect.provide(StepJournal.layerMemory)))
})
