/**
 * The project every record belongs to. One database (a local file or one Turso database) can serve
 * many projects; every table carries the project key and every query filters on it.
 */
import { Context, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"

export interface ProjectInfo {
  /** The key stored with every record: `WAGGLE_PROJECT` if set, else the project root's real path. */
  readonly key: string
  /** The project root: the parent of the git common directory, or the working directory outside git. */
  readonly root: string
}

const readGitdirFile = (file: string): string | undefined => {
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(file, "utf8"))
  return match?.[1] === undefined ? undefined : path.resolve(path.dirname(file), match[1])
}

/**
 * The project root for a directory: all worktrees of one repository share the root of its main
 * worktree (the parent of the git common directory). Outside a repository, the directory itself.
 */
export const findProjectRoot = (from: string): string => {
  const start = fs.realpathSync(path.resolve(from))
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, ".git")
    const stat = fs.statSync(dotGit, { throwIfNoEntry: false })
    if (stat?.isDirectory()) return dir
    if (stat?.isFile()) {
      const gitdir = readGitdirFile(dotGit)
      if (gitdir === undefined) return dir
      const commondirFile = path.join(gitdir, "commondir")
      if (!fs.existsSync(commondirFile)) return dir // a submodule: its own root
      const commonDir = path.resolve(gitdir, fs.readFileSync(commondirFile, "utf8").trim())
      return path.dirname(commonDir)
    }
    if (path.dirname(dir) === dir) return start
  }
}

/** Resolves the project once for this process. */
export const resolveProject = (options: { readonly cwd?: string; readonly key?: string } = {}): ProjectInfo => {
  const root = findProjectRoot(options.cwd ?? process.cwd())
  const key = options.key ?? process.env["WAGGLE_PROJECT"] ?? root
  return { key, root }
}

export class Project extends Context.Tag("@waggle/primitives/Project")<Project, ProjectInfo>() {
  /** The project of the current working directory (and `WAGGLE_PROJECT`), resolved once. */
  static readonly layer: Layer.Layer<Project> = Layer.sync(Project, () => resolveProject())

  /** The project of another directory, optionally with an explicit key. */
  static readonly layerAt = (cwd: string, key?: string): Layer.Layer<Project> =>
    Layer.sync(Project, () => resolveProject(key === undefined ? { cwd } : { cwd, key }))

  /** An explicit project, for tests and for hosts that know their project already. */
  static readonly layerOf = (info: ProjectInfo): Layer.Layer<Project> => Layer.succeed(Project, info)
}
