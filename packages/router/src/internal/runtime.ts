import type { Effect, Fiber, ManagedRuntime } from "effect"
import { Runtime } from "effect"

export type RunFork = <A, E>(effect: Effect.Effect<A, E, any>) => Fiber.RuntimeFiber<A, E>

/**
 * Makes a handler that runs effects on the given ManagedRuntime (built once, on
 * first use) or, without one, on the default runtime.
 */
export const withRuntime = <Args extends ReadonlyArray<unknown>, Out>(
  managed: ManagedRuntime.ManagedRuntime<any, unknown> | undefined,
  make: (runFork: RunFork) => (...args: Args) => Out
): (...args: Args) => Out | Promise<Out> => {
  if (managed === undefined) return make(Runtime.runFork(Runtime.defaultRuntime) as RunFork)
  let ready: ((...args: Args) => Out) | undefined
  let pending: Promise<(...args: Args) => Out> | undefined
  return (...args) => {
    if (ready !== undefined) return ready(...args)
    pending ??= managed.runtime().then((runtime) => (ready = make(Runtime.runFork(runtime) as RunFork)))
    return pending.then((handler) => handler(...args))
  }
}
