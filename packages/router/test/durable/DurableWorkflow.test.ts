import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer } from "effect"
import type { Duration } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableDeferred, EventStore, sql, Storage } from "@waggle/primitives"
import { Workflow } from "@waggle/router"
import { awaitDeferred, DurableJournal } from "@waggle/router/durable"
import { backends, primitivesLayer, runWorker, startWorker, tempDir } from "@waggle/test-support"

const worker = fileURLToPath(new URL("../workers/durableWorkflow.ts", import.meta.url))

const recordedSteps = (url: string, project: string, runId: string) =>
  Effect.gen(function*() {
    const storage = yield* Storage
    const rows = yield* storage.query<{ step: string }>(
      sql`SELECT step FROM workflow_steps WHERE workflow = 'pipeline' AND run_id = ${runId} ORDER BY position`
    )
    return rows.map((r) => r.step)
  }).pipe(Effect.provide(Layer.provideMerge(DurableJournal.layer, primitivesLayer({ url, project }))))

describe("durable workflows", () => {
  it.scopedLive("a workflow killed mid-run resumes after its last recorded step and ends as an uninterrupted run", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "w.db")}`
      const project = "durable"
      const effects = path.join(dir, "effects.log")
      const straight = path.join(dir, "straight.log")
      // create the schema first so that the worker's first write is not a migration
      yield* recordedSteps(url, project, "warmup")

      const reference = yield* Effect.promise(() => runWorker(worker, [url, project, "reference", straight, "10"]))
      const expected = (reference.messages.at(-1) as { done: unknown }).done

      const first = startWorker(worker, [url, project, "run-1", effects, "400"])
      // kill it as soon as step b is recorded (it is then inside step c)
      let recorded: ReadonlyArray<string> = []
      while (!recorded.includes("b")) {
        yield* Effect.sleep("20 millis")
        recorded = yield* recordedSteps(url, project, "run-1")
      }
      first.kill("SIGKILL")
      const killed = yield* Effect.promise(() => first.exited)
      expect(killed.signal).toBe("SIGKILL")
      expect(killed.messages).toEqual([]) // it never finished

      const resumed = yield* Effect.promise(() => runWorker(worker, [url, project, "run-1", effects, "10"]))
      expect((resumed.messages.at(-1) as { done: unknown }).done).toEqual(expected)

      const lines = fs.readFileSync(effects, "utf8").trim().split("\n").map((l) => l.split(" "))
      const count = (step: string) => lines.filter(([s]) => s === step).length
      expect(count("a")).toBe(1) // recorded before the kill: never repeated
      expect(count("b")).toBe(1)
      expect(count("d")).toBe(1)
      // c was in flight when the process died: at-least-once for the step that was running
      expect(count("c")).toBeGreaterThanOrEqual(1)
      expect(lines.filter(([s]) => s === "a" || s === "b").every(([, pid]) => pid === String(killed.code ?? first.child.pid))).toBe(true)
      expect(yield* recordedSteps(url, project, "run-1")).toEqual(["a", "b", "c", "d"])
    }), 120_000)
})

describe.each(backends)("a step waiting on a DurableDeferred on $name", (backend) => {
  const layer = () =>
    Layer.provideMerge(
      Layer.mergeAll(DurableJournal.layer, DurableDeferred.layer),
      Layer.provideMerge(EventStore.layer, backend.layer())
    )

  const approvalFlow = (timeout: Duration.DurationInput) =>
    Workflow.make("release")
      .step("ask", () => Effect.flatMap(DurableDeferred, (d) => d.create({ ttl: "1 hour" })))
      .step("approval", { dependsOn: ["ask"] }, ({ ask }) =>
        awaitDeferred<string, string, "no answer">(ask, { timeout, fallback: "no answer" }))
      .build()

  it.scopedLive("gets the answer resolved by someone else", () =>
    Effect.gen(function*() {
      const flow = yield* Either.match(approvalFlow("10 seconds"), { onLeft: Effect.die, onRight: Effect.succeed })
      const run = yield* Effect.fork(Workflow.run(flow, { runId: "r1" }))
      const storage = yield* Storage
      let token: string | undefined
      while (token === undefined) {
        yield* Effect.sleep("20 millis")
        const row = yield* storage.queryOne<{ output: string }>(sql`SELECT output FROM workflow_steps WHERE workflow = 'release' AND run_id = 'r1' AND step = 'ask'`)
        token = row === undefined ? undefined : JSON.parse(row.output)
      }
      yield* Effect.flatMap(DurableDeferred, (d) => d.resolve(token!, "approved by alice"))
      const outputs = yield* Fiber.join(run)
      expect(outputs.approval).toBe("approved by alice")
    }).pipe(Effect.provide(layer())))

  it.scopedLive("falls back when nobody answers in time", () =>
    Effect.gen(function*() {
      const flow = yield* Either.match(approvalFlow("200 millis"), { onLeft: Effect.die, onRight: Effect.succeed })
      const outputs = yield* Workflow.run(flow, { runId: "r2" })
      expect(outputs.approval).toBe("no answer")
    }).pipe(Effect.provide(layer())))
})
