/**
 * The storage backends every contract suite runs against: the embedded file through the native
 * driver, the embedded file through `@libsql/client`, and a real libSQL server (sqld). Each test
 * gets its own database file, or, on the shared server, its own project key (which is also how one
 * Turso database serves many projects).
 */
import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import * as path from "node:path"
import { inject } from "vitest"
import { Project, Storage } from "@waggle/primitives"
import type { StorageOptions } from "@waggle/primitives"
import { tempDir } from "./tmp.js"

export interface Backend {
  readonly name: string
  /** Storage and Project for one test, released with the test's scope. */
  readonly layer: (options?: Partial<StorageOptions>) => Layer.Layer<Storage | Project, unknown>
}

const fileBackend = (name: string, driver: "native" | "client"): Backend => ({
  name,
  layer: (options = {}) =>
    Layer.unwrapScoped(Effect.map(tempDir(), (dir) => {
      const project = Project.layerOf({ key: `test-${randomUUID()}`, root: dir })
      const storage = Storage.layer({ url: `file:${path.join(dir, "waggle.db")}`, driver, ...options })
      return Layer.merge(storage, project)
    }))
})

const serverBackend: Backend = {
  name: "libSQL server (sqld)",
  layer: (options = {}) =>
    Layer.unwrapScoped(Effect.map(tempDir(), (dir) =>
      Layer.merge(
        Storage.layer({ url: inject("sqldUrl"), ...options }),
        Project.layerOf({ key: `test-${randomUUID()}`, root: dir })
      )))
}

export const embeddedNative = fileBackend("embedded file (native)", "native")
export const embeddedClient = fileBackend("embedded file (@libsql/client)", "client")
export const libsqlServer = serverBackend

/** Every backend, for contract suites. */
export const backends: ReadonlyArray<Backend> = [embeddedNative, embeddedClient, libsqlServer]
