/**
 * Randomness as a service, so that Thompson sampling is reproducible: tests seed it, production
 * seeds it from Effect's `Random` service (itself seedable with `Effect.withRandom(Random.make(s))`).
 */
import { Context, Effect, Layer, Random } from "effect"
import * as Prng from "./Prng.js"

export interface RandomSourceService {
  /** Runs `f` with the source's uniform generator; every draw advances the shared state. */
  readonly use: <A>(f: (uniform: Prng.Uniform) => A) => Effect.Effect<A>
}

const fromSeed = (seed: number): RandomSourceService => {
  const uniform = Prng.make(seed)
  return { use: (f) => Effect.sync(() => f(uniform)) }
}

export class RandomSource extends Context.Tag("@waggle/learning/RandomSource")<RandomSource, RandomSourceService>() {
  /** A generator with a fixed seed: the same calls give the same draws. */
  static readonly seeded = (seed: number): Layer.Layer<RandomSource> => Layer.sync(RandomSource, () => fromSeed(seed))

  /** A generator seeded from Effect's `Random` service when the layer is built. */
  static readonly layer: Layer.Layer<RandomSource> = Layer.effect(
    RandomSource,
    Effect.map(Random.nextIntBetween(0, 2 ** 31 - 1), fromSeed)
  )
}
