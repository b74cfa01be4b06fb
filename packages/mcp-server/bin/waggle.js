#!/usr/bin/env node
// The `waggle` command. Runs the built CLI (dist/bin.js) when present; in the workspace, without a
// build, runs the TypeScript source through tsx with the `source` condition.
import { existsSync } from "node:fs"
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const built = join(root, "dist", "bin.js")

if (existsSync(built) && process.env.WAGGLE_FROM_SOURCE !== "1") {
  await import(pathToFileURL(built).href)
} else {
  const tsx = createRequire(join(root, "package.json")).resolve("tsx")
  const result = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", pathToFileURL(tsx).href, join(root, "src", "bin.ts"), ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  process.exit(result.status ?? 1)
}
