/**
 * Workflows: steps with dependencies, run as a DAG.
 *
 *   const deploy = Workflow.make("deploy")
 *     .step("build", () => build())
 *     .step("test", { dependsOn: ["build"], timeout: "5m", retry: "fixed" }, ({ build }) => test(build))
 *     .step("ship", { dependsOn: ["build", "test"] }, ({ build }) => ship(build))
 *     .build()                       // Either: a cycle or missing dependency is rejected here
 *   yield* Workflow.run(yield* deploy, { concurrency: 4 })
 *
 * Steps run as soon as their dependencies completed, at most `concurrency` at a time;
 * the first failure interrupts the running steps and fails the run with StepFailed
 * naming the step. With a StepJournal in the context, completed steps are recorded
 * and a re-run with the same `runId` skips them.
 */
import { Deferred, Duration, Effect, Either, Option, Schema } from "effect"
import { type DurationLike, toDuration } from "./internal/duration.js"
import { fromResult } from "./internal/result.js"
import { compileRetry, type Retrier, type RetryOption } from "./internal/retry.js"
import { JournalError, StepJournal } from "./StepJournal.js"
import {
  DuplicateStep,
  MissingDependency,
  type StepFailure,
  StepFailed,
  StepTimeout,
  type WorkflowBuildError,
  WorkflowCycle
} from "./WorkflowError.js"

/** What a step receives besides its dependencies' outputs. */
export interface StepContext {
  readonly workflow: string
  readonly runId: string
  readonly step: string
  /** Aborted when the step is interrupted (timeout, a sibling failed). */
  readonly signal: AbortSignal
}

export interface StepOptions<Deps extends string> {
  /** Steps whose outputs this step needs; it starts once they all completed. */
  readonly dependsOn?: ReadonlyArray<Deps>
  /** Budget for the step, all attempts included. */
  readonly timeout?: DurationLike
  readonly retry?: RetryOption
  /** Encodes the output for the journal (and decodes it back on resume). */
  readonly output?: Schema.Schema<any, any, never>
}

/** A step as the executor sees it. */
export interface StepDefinition {
  readonly name: string
  readonly dependsOn: ReadonlyArray<string>
  readonly timeout: Duration.Duration | undefined
  readonly retry: Retrier | undefined
  readonly output: Schema.Schema<any, any, never> | undefined
  readonly run: (deps: Record<string, unknown>, context: StepContext) => unknown
}

export const WorkflowTypeId: unique symbol = Symbol.for("@waggle/router/Workflow")
export type WorkflowTypeId = typeof WorkflowTypeId

/** A validated workflow: `Steps` maps step names to outputs. */
export interface Workflow<Steps, E, R> {
  readonly [WorkflowTypeId]: { readonly _Steps: () => Steps; readonly _E: () => E; readonly _R: () => R }
  readonly name: string
  /** The steps in a topological order (every step after its dependencies). */
  readonly steps: ReadonlyArray<StepDefinition>
}

type ValueOf<Ret> = Ret extends Effect.Effect<infer A, any, any> ? A : Ret extends PromiseLike<infer A> ? A : Ret
type ErrorOf<Ret> = Ret extends Effect.Effect<any, infer E, any> ? E : Ret extends PromiseLike<any> ? unknown : never
type RequirementsOf<Ret> = Ret extends Effect.Effect<any, any, infer R> ? R : never
type DepsOf<Steps, Deps extends string> = { readonly [K in Deps]: K extends keyof Steps ? Steps[K] : unknown }
type Simplify<T> = { [K in keyof T]: T[K] } & {}

export interface WorkflowBuilder<Steps, E, R> {
  /** Adds a step with no dependencies. It may return a value, a Promise or an Effect. */
  step<const Name extends string, Ret>(
    name: Name,
    run: (deps: {}, context: StepContext) => Ret
  ): WorkflowBuilder<Steps & { readonly [K in Name]: ValueOf<Ret> }, E | ErrorOf<Ret>, R | RequirementsOf<Ret>>
  /** Adds a step with options; it receives the outputs of the steps in `dependsOn`. */
  step<const Name extends string, Ret, const Deps extends string = never>(
    name: Name,
    options: StepOptions<Deps>,
    run: (deps: DepsOf<Steps, Deps>, context: StepContext) => Ret
  ): WorkflowBuilder<Steps & { readonly [K in Name]: ValueOf<Ret> }, E | ErrorOf<Ret>, R | RequirementsOf<Ret>>
  /** Validates the graph: rejects duplicate names, missing dependencies and cycles. */
  build(): Either.Either<Workflow<Simplify<Steps>, E, R>, WorkflowBuildError>
}

const toDefinition = (name: string, options: StepOptions<string>, run: StepDefinition["run"]): StepDefinition => ({
  name,
  dependsOn: options.dependsOn ?? [],
  timeout: options.timeout === undefined ? undefined : toDuration(options.timeout),
  retry: compileRetry(options.retry),
  output: options.output,
  run
})

const variance = { _Steps: () => undefined as never, _E: () => undefined as never, _R: () => undefined as never }

/** Orders steps so each comes after its dependencies, otherwise in declaration order. */
const validate = (
  workflow: string,
  steps: ReadonlyArray<StepDefinition>
): Either.Either<ReadonlyArray<StepDefinition>, WorkflowBuildError> => {
  const byName = new Map<string, StepDefinition>()
  for (const step of steps) {
    if (byName.has(step.name)) return Either.left(new DuplicateStep({ workflow, step: step.name }))
    byName.set(step.name, step)
  }
  for (const step of steps) {
    for (const dependency of step.dependsOn) {
      if (!byName.has(dependency)) return Either.left(new MissingDependency({ workflow, step: step.name, dependency }))
    }
  }
  // Kahn's algorithm, taking ready steps in declaration order
  const order: Array<StepDefinition> = []
  const placed = new Set<string>()
  let remaining = steps
  while (remaining.length > 0) {
    const ready = remaining.filter((step) => step.dependsOn.every((dependency) => placed.has(dependency)))
    if (ready.length === 0) return Either.left(findCycle(workflow, remaining, byName))
    for (const step of ready) {
      order.push(step)
      placed.add(step.name)
    }
    remaining = remaining.filter((step) => !placed.has(step.name))
  }
  return Either.right(order)
}

/** A cycle among steps that could not be ordered, e.g. ["a", "c", "b", "a"]. */
const findCycle = (
  workflow: string,
  stuck: ReadonlyArray<StepDefinition>,
  byName: ReadonlyMap<string, StepDefinition>
): WorkflowCycle => {
  const path: Array<string> = []
  const onPath = new Set<string>()
  const visited = new Set<string>()
  const visit = (step: StepDefinition): Array<string> | undefined => {
    if (onPath.has(step.name)) return [...path.slice(path.indexOf(step.name)), step.name]
    if (visited.has(step.name)) return undefined
    visited.add(step.name)
    onPath.add(step.name)
    path.push(step.name)
    for (const dependency of step.dependsOn) {
      const cycle = visit(byName.get(dependency)!)
      if (cycle !== undefined) return cycle
    }
    path.pop()
    onPath.delete(step.name)
    return undefined
  }
  for (const step of stuck) {
    const cycle = visit(step)
    if (cycle !== undefined) return new WorkflowCycle({ workflow, cycle })
  }
  return new WorkflowCycle({ workflow, cycle: stuck.map((step) => step.name) })
}

const builder = (name: string, steps: ReadonlyArray<StepDefinition>): WorkflowBuilder<any, any, any> => ({
  step: (stepName: string, ...rest: Array<any>) => {
    const [options, run] = rest.length === 1 ? [{}, rest[0]] : [rest[0], rest[1]]
    return builder(name, [...steps, toDefinition(stepName, options, run)])
  },
  build: () => Either.map(validate(name, steps), (ordered) => ({ [WorkflowTypeId]: variance, name, steps: ordered }))
})

/** Starts a workflow definition. */
export const make = (name: string): WorkflowBuilder<{}, never, never> => builder(name, []) as WorkflowBuilder<{}, never, never>

/** Runs a step function whatever it returns; a throw or a rejection is the step's failure. */
const callStep = (
  step: StepDefinition,
  deps: Record<string, unknown>,
  base: Omit<StepContext, "signal">
): Effect.Effect<unknown, unknown, unknown> =>
  Effect.suspend(() => {
    let controller: AbortController | undefined
    const context: StepContext = {
      ...base,
      get signal() {
        return (controller ??= new AbortController()).signal
      }
    }
    let result: unknown
    try {
      result = step.run(deps, context)
    } catch (error) {
      return Effect.fail(error)
    }
    return Effect.onInterrupt(fromResult(result, Effect.fail), () => Effect.sync(() => controller?.abort()))
  })

const execute = (workflow: string, step: StepDefinition, deps: Record<string, unknown>, base: Omit<StepContext, "signal">) => {
  let effect = callStep(step, deps, base)
  if (step.retry !== undefined) effect = step.retry(effect)
  if (step.timeout !== undefined) {
    const duration = step.timeout
    effect = Effect.timeoutFail(effect, {
      duration,
      onTimeout: () => new StepTimeout({ workflow, step: step.name, timeout: Duration.format(duration) })
    })
  }
  return effect
}

export interface RunOptions {
  /** How many steps may run at the same time (default 4). */
  readonly concurrency?: number
  /** Identifies the run for the journal: re-running with the same id resumes it (default: a new UUID). */
  readonly runId?: string
}

const journalError = (message: string) => (cause: unknown) => new JournalError({ message, cause })

/** Runs a workflow; succeeds with every step's output by name. */
export const run = <Steps, E, R>(
  workflow: Workflow<Steps, E, R>,
  options: RunOptions = {}
): Effect.Effect<Steps, StepFailure<E> | JournalError, R> =>
  Effect.gen(function*() {
    const concurrency = options.concurrency ?? 4
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      return yield* Effect.dieMessage(`Workflow.run: concurrency must be a positive integer, got ${concurrency}`)
    }
    const journal = yield* Effect.serviceOption(StepJournal)
    const runId = options.runId ?? globalThis.crypto.randomUUID()
    const semaphore = yield* Effect.makeSemaphore(concurrency)
    const done = new Map<string, Deferred.Deferred<unknown>>()
    for (const step of workflow.steps) done.set(step.name, yield* Deferred.make<unknown>())
    const outputs: Record<string, unknown> = {}

    const runOne = (step: StepDefinition) =>
      Effect.gen(function*() {
        const deps: Record<string, unknown> = {}
        for (const dependency of step.dependsOn) deps[dependency] = yield* Deferred.await(done.get(dependency)!)
        const key = { workflow: workflow.name, runId, step: step.name }
        const recorded = Option.isSome(journal) ? yield* journal.value.lookup(key) : Option.none()
        let output: unknown
        if (Option.isSome(recorded)) {
          output = step.output === undefined
            ? recorded.value
            : yield* Effect.mapError(Schema.decodeUnknown(step.output)(recorded.value), journalError(`Cannot decode the recorded output of ${step.name}`))
        } else {
          output = yield* semaphore.withPermits(1)(execute(workflow.name, step, deps, key)).pipe(
            Effect.mapError((error) => new StepFailed({ workflow: workflow.name, runId, step: step.name, error }))
          )
          if (Option.isSome(journal)) {
            const encoded = step.output === undefined
              ? output
              : yield* Effect.mapError(Schema.encodeUnknown(step.output)(output), journalError(`Cannot encode the output of ${step.name}`))
            yield* journal.value.record(key, encoded)
          }
        }
        outputs[step.name] = output
        yield* Deferred.succeed(done.get(step.name)!, output)
      })

    yield* Effect.forEach(workflow.steps, runOne, { concurrency: "unbounded", discard: true }).pipe(
      // report the first failure alone, not the interruptions of the siblings it cancelled
      Effect.catchAll((error) => Effect.fail(error))
    )
    return outputs as Steps
  }) as Effect.Effect<Steps, StepFailure<E> | JournalError, R>
