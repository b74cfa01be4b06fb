/** The swarm with every service it uses, on one test backend; helpers to set up epics and files. */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Hive } from "@waggle/hive"
import type { CreateEpicInput } from "@waggle/hive"
import { EventStore, Project } from "@waggle/primitives"
import type { Backend } from "@waggle/test-support"
import { layerStack } from "@waggle/swarm"
import type { StackOptions } from "@waggle/swarm"

export const swarmLayer = (backend: Backend, options: StackOptions = {}) =>
  layerStack({ hive: { prefix: "t" }, learning: { seed: 7 }, ...options }).pipe(Layer.provideMerge(backend.layer()))

/** Writes files (with some content) under the project root. */
export const writeFiles = (files: ReadonlyArray<string>) =>
  Effect.flatMap(Project, ({ root }) =>
    Effect.sync(() => {
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true })
        fs.writeFileSync(path.join(root, f), `// ${f}\n`)
      }
    }))

/** An epic with subtasks (their files written to disk first). */
export const epicWith = (input: CreateEpicInput) =>
  Effect.gen(function*() {
    yield* writeFiles([...(input.files ?? []), ...input.subtasks.flatMap((s) => s.files ?? [])])
    return yield* (yield* Hive).createEpic(input)
  })

/** The position of the project's latest event: unchanged means nothing was written. */
export const head = Effect.flatMap(EventStore, (store) => store.head)
