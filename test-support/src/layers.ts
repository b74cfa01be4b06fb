/** Layers for worker processes and ad-hoc programs: the primitives on one database URL and project. */
import { Layer } from "effect"
import { EventStore, Project, Storage } from "@waggle/primitives"
import type { StorageOptions } from "@waggle/primitives"

export interface PrimitivesTarget {
  readonly url: string
  readonly project: string
  readonly root?: string
  readonly options?: Partial<StorageOptions>
}

/** Storage + Project + EventStore for `target` (no other modules installed). */
export const primitivesLayer = (target: PrimitivesTarget) =>
  Layer.provideMerge(
    EventStore.layer,
    Layer.merge(
      Storage.layer({ url: target.url, ...target.options }),
      Project.layerOf({ key: target.project, root: target.root ?? process.cwd() })
    )
  )
