/** The learning services together: `Learning`, `Playbook` and `Skills` with their configuration and random source. */
import { Layer } from "effect"
import type { EventStore, MigrationError, Storage, StorageError } from "@waggle/primitives"
import { Learning } from "./Learning.js"
import { LearningConfig } from "./LearningConfig.js"
import type { LearningConfigInput } from "./LearningConfig.js"
import type { InvalidConfig } from "./LearningErrors.js"
import { Playbook } from "./Playbook.js"
import type { PrecedentSource } from "./PrecedentSource.js"
import { RandomSource } from "./RandomSource.js"
import { Skills } from "./Skills.js"

export interface LearningLayerOptions {
  /** Merged over the documented defaults. */
  readonly config?: LearningConfigInput
  /** A fixed seed for Thompson sampling (tests, simulations); otherwise seeded from Effect's `Random`. */
  readonly seed?: number
}

/**
 * Learning, Playbook and Skills (and the LearningConfig and RandomSource they share) on the event
 * store. The host provides the `PrecedentSource` (`PrecedentSource.layerNone` for none).
 */
export const layer = (
  options: LearningLayerOptions = {}
): Layer.Layer<
  Learning | Playbook | Skills | LearningConfig | RandomSource,
  InvalidConfig | MigrationError | StorageError,
  EventStore | Storage | PrecedentSource
> =>
  Layer.mergeAll(Learning.layer, Playbook.layer, Skills.layer).pipe(
    Layer.provideMerge(
      Layer.merge(
        LearningConfig.layer(options.config),
        options.seed === undefined ? RandomSource.layer : RandomSource.seeded(options.seed)
      )
    )
  )
