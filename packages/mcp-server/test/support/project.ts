/**
 * A throwaway project for the tests: a git clone of a local bare repository (so `hive_sync` can
 * push), a few source files, and the environment that points Waggle processes at its database.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
export const BIN_TS = path.join(PACKAGE_DIR, "src", "bin.ts")
export const TSX = createRequire(import.meta.url).resolve("tsx")

/** `node --conditions=source --import tsx src/bin.ts ...args`: the CLI from source. */
export const waggleArgs = (...args: ReadonlyArray<string>): Array<string> => [
  "--conditions=source",
  "--import",
  TSX,
  BIN_TS,
  ...args
]

export interface TestProject {
  /** The working tree (the project root). */
  readonly dir: string
  /** The bare repository it pushes to. */
  readonly remote: string
  readonly dbFile: string
  readonly dbUrl: string
  readonly key: string
  /** Environment for Waggle processes on this project. */
  readonly env: Record<string, string>
  readonly git: (...args: ReadonlyArray<string>) => string
  readonly remove: () => void
}

const run = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

export const makeProject = (name = "proj"): TestProject => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "waggle-mcp-")))
  const remote = path.join(base, "remote.git")
  const dir = path.join(base, name)
  run(base, "init", "-q", "--bare", "-b", "main", remote)
  run(base, "clone", "-q", remote, dir)
  run(dir, "config", "user.name", "Waggle Test")
  run(dir, "config", "user.email", "test@waggle.invalid")
  run(dir, "checkout", "-q", "-b", "main")
  fs.mkdirSync(path.join(dir, "src"), { recursive: true })
  fs.mkdirSync(path.join(dir, "test"), { recursive: true })
  fs.writeFileSync(path.join(dir, "src", "greet.ts"), "export const greet = (name: string) => `hi ${name}`\n")
  fs.writeFileSync(path.join(dir, "src", "index.ts"), "export * from './greet.js'\n")
  fs.writeFileSync(path.join(dir, "test", "greet.test.ts"), "// tests\n")
  fs.writeFileSync(path.join(dir, ".gitignore"), "*.db\n*.db-*\n")
  run(dir, "add", ".")
  run(dir, "commit", "-q", "-m", "initial")
  run(dir, "push", "-q", "-u", "origin", "main")
  const dbFile = path.join(base, "waggle.db")
  const dbUrl = `file:${dbFile}`
  const key = `test-${path.basename(base)}`
  return {
    dir,
    remote,
    dbFile,
    dbUrl,
    key,
    env: { WAGGLE_DB_URL: dbUrl, WAGGLE_PROJECT: key, WAGGLE_LOG_LEVEL: "warning", WAGGLE_AGENT: "" },
    git: (...args) => run(dir, ...args),
    remove: () => fs.rmSync(base, { recursive: true, force: true })
  }
}
