/**
 * A unit of database work written as a generator of SQL steps:
 *
 * ```ts
 * const claim = (id: string, agent: string) =>
 *   function*() {
 *     const row = yield* SqlProgram.queryOne<{ holder: string | null }>(sql`SELECT holder FROM ... WHERE id = ${id}`)
 *     if (row?.holder != null) return yield* SqlProgram.fail(new Taken({ id, holder: row.holder }))
 *     yield* SqlProgram.run(sql`UPDATE ... SET holder = ${agent} WHERE id = ${id}`)
 *     return "claimed" as const
 *   }
 * ```
 *
 * A program says *what* to run and leaves *how* to the driver. The embedded driver runs it
 * synchronously, every step a direct call into SQLite, so a write transaction costs a few
 * microseconds more than its SQL; a server driver runs it step by step, one round trip each. The
 * same program therefore serves both, and the hot paths of the primitives (appends, leases, mail)
 * are programs. Any step can also be run from an Effect (`SqlProgram.toEffect`), inside `Storage.write`.
 *
 * Rules: a program does nothing but SQL steps and plain computation (no clock: take `now` as an
 * argument; no I/O); it may run more than once (a busy database retries the transaction).
 */
import { Effect, Exit } from "effect"
import type { StorageError } from "./Errors.js"
import type { Row, RunResult, Statement } from "./Sql.js"

export type Step =
  | { readonly op: "query"; readonly statement: Statement }
  | { readonly op: "queryOne"; readonly statement: Statement }
  | { readonly op: "run"; readonly statement: Statement }
  | { readonly op: "runBatch"; readonly statements: ReadonlyArray<Statement> }

/** A typed failure: ends the program; the transaction's unit fails with `error`. */
export interface Failure<E> {
  readonly op: "fail"
  readonly error: E
}

/** A program producing `A`, failing with `E`. */
export type SqlProgram<A, E = never> = Generator<Step | Failure<E>, A, unknown>

export function* query<R = Row>(statement: Statement): SqlProgram<ReadonlyArray<R>> {
  return (yield { op: "query", statement }) as ReadonlyArray<R>
}

export function* queryOne<R = Row>(statement: Statement): SqlProgram<R | undefined> {
  return (yield { op: "queryOne", statement }) as R | undefined
}

export function* run(statement: Statement): SqlProgram<RunResult> {
  return (yield { op: "run", statement }) as RunResult
}

/** Several statements in order, in one call (one round trip on a server). */
export function* runBatch(statements: ReadonlyArray<Statement>): SqlProgram<void> {
  if (statements.length > 0) yield { op: "runBatch", statements }
}

export function* fail<E>(error: E): SqlProgram<never, E> {
  yield { op: "fail", error }
  throw new Error("unreachable: a failed program is not resumed")
}

/** The same program, with its typed failures turned into defects (for failures that are bugs). */
export function* orDie<A, E>(program: SqlProgram<A, E>): SqlProgram<A> {
  let step = program.next()
  while (step.done !== true) {
    if (step.value.op === "fail") throw step.value.error
    step = program.next(yield step.value)
  }
  return step.value
}

/** What runs a program's steps: synchronous calls that throw a `StorageError` on failure. */
export interface SyncExecutor {
  readonly query: (statement: Statement) => ReadonlyArray<Row>
  readonly queryOne: (statement: Statement) => Row | undefined
  readonly run: (statement: Statement) => RunResult
  readonly runBatch: (statements: ReadonlyArray<Statement>) => void
}

/** What runs a program's steps as Effects (any driver). */
export interface EffectExecutor {
  readonly query: (statement: Statement) => Effect.Effect<ReadonlyArray<Row>, StorageError>
  readonly queryOne: (statement: Statement) => Effect.Effect<Row | undefined, StorageError>
  readonly run: (statement: Statement) => Effect.Effect<RunResult, StorageError>
  readonly runAll: (statements: ReadonlyArray<Statement>) => Effect.Effect<void, StorageError>
}

const isStorageError = (u: unknown): u is StorageError =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "StorageError"

/** Runs a program to completion synchronously (the embedded driver, inside its transaction). */
export const runSync = <A, E>(program: SqlProgram<A, E>, executor: SyncExecutor): Exit.Exit<A, E | StorageError> => {
  let input: unknown = undefined
  while (true) {
    let next: IteratorResult<Step | Failure<E>, A>
    try {
      next = program.next(input)
    } catch (defect) {
      return Exit.die(defect)
    }
    if (next.done === true) return Exit.succeed(next.value)
    const step = next.value
    try {
      switch (step.op) {
        case "fail":
          return Exit.fail(step.error)
        case "query":
          input = executor.query(step.statement)
          break
        case "queryOne":
          input = executor.queryOne(step.statement)
          break
        case "run":
          input = executor.run(step.statement)
          break
        case "runBatch":
          executor.runBatch(step.statements)
          input = undefined
      }
    } catch (error) {
      return isStorageError(error) ? Exit.fail(error) : Exit.die(error)
    }
  }
}

/** Runs a program as an Effect, step by step (any driver; one round trip per step on a server). */
export const toEffect = <A, E>(program: SqlProgram<A, E>, executor: EffectExecutor): Effect.Effect<A, E | StorageError> =>
  Effect.suspend(() => {
    const loop = (input: unknown): Effect.Effect<A, E | StorageError> => {
      let next: IteratorResult<Step | Failure<E>, A>
      try {
        next = program.next(input)
      } catch (defect) {
        return Effect.die(defect)
      }
      if (next.done === true) return Effect.succeed(next.value)
      const step = next.value
      switch (step.op) {
        case "fail":
          return Effect.fail(step.error)
        case "query":
          return Effect.flatMap(executor.query(step.statement), loop)
        case "queryOne":
          return Effect.flatMap(executor.queryOne(step.statement), loop)
        case "run":
          return Effect.flatMap(executor.run(step.statement), loop)
        case "runBatch":
          return Effect.flatMap(executor.runAll(step.statements), () => loop(undefined))
      }
    }
    return loop(undefined)
  })
