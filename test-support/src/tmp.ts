import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"

/** A fresh temporary directory, removed when the scope closes. */
export const tempDir = (prefix = "waggle-test-") =>
  Effect.acquireRelease(
    Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), prefix))),
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

/** A temporary directory for code outside Effect; call the returned function to remove it. */
export const makeTempDir = (prefix = "waggle-test-"): { readonly dir: string; readonly remove: () => void } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}
