/**
 * Validating a decomposition answer, purely (the file system is asked through `probe`):
 *
 * - shape: JSON, then the `DecompositionAnswer` schema (every bad field, with its path);
 * - titles: the epic's and each subtask's must not be blank; subtask titles must be unique
 *   (case and spacing ignored);
 * - dependencies: indices in range, not the subtask itself, no cycles (each reported once, as a
 *   path); a repeated index is a warning;
 * - files: every path normalised as file reservations normalise it (inside the project root);
 *   a plain path in `files` must exist as a file (a directory must be written `dir/`), a path in
 *   `new_files` is created by the subtask, so it may be missing (an existing one is a warning);
 *   a glob whose fixed directory prefix does not exist is a warning;
 * - conflicts: two subtasks whose patterns can match a common path (decided exactly by the
 *   reservations' glob overlap, with a witness path) conflict, unless one depends on the other
 *   (directly or not): then they never run at once and it is only a warning.
 *
 * The report is valid when there is no error. A valid report carries `epic_input`: the epic in
 * the shape `Hive.createEpic` takes (files and new files together, dependencies as `blockedBy`,
 * acceptance criteria appended to the description).
 */
import { Either, ParseResult, Schema } from "effect"
import { hasGlobSyntax, issuesOf, normalizePattern, overlapWitness } from "@waggle/primitives"
import type { NormalizedPattern } from "@waggle/primitives"
import type { DecompositionAnswer } from "./DecompositionResponse.js"
import { DecompositionAnswer as AnswerSchema, parseAnswerText } from "./DecompositionResponse.js"
import { cycles, reachability } from "./internal/graph.js"
import type { EpicInput, ValidationIssue, ValidationReport } from "./SwarmOutputs.js"

export type IssueCode = ValidationIssue["code"]

/** What is at a project-relative path. */
export type Probe = (relativePath: string) => "file" | "directory" | "missing"

export interface ValidateOptions {
  /** The project root: paths are normalised relative to it. */
  readonly root: string
  readonly probe: Probe
  /** The strategy the decomposition follows: labels the epic (`strategy:<name>`). */
  readonly strategy?: string | undefined
}

interface FileEntry {
  readonly subtask: number
  readonly path: string
  readonly pattern: NormalizedPattern
}

const decodeAnswer = Schema.decodeUnknownEither(AnswerSchema, { errors: "all", onExcessProperty: "ignore" })

const titleKey = (title: string) => title.trim().replace(/\s+/g, " ").toLowerCase()

const issue = (code: IssueCode, message: string, path: string, subtasks: ReadonlyArray<number> = []): ValidationIssue => ({
  code,
  message,
  path,
  subtasks: [...subtasks]
})

const emptyStats = { subtasks: 0, files: 0, total_complexity: 0, parallel_start: 0 }

const invalid = (errors: ReadonlyArray<ValidationIssue>): ValidationReport => ({
  valid: false,
  errors: [...errors],
  warnings: [],
  stats: emptyStats,
  epic_input: null
})

/** The fixed directory a glob starts from (`src/lib` for `src/lib/**\/*.ts`), or "" at the root. */
const globBase = (pattern: string): string => {
  const segments = pattern.split("/")
  const fixed: Array<string> = []
  for (const s of segments) {
    if (hasGlobSyntax(s)) break
    fixed.push(s)
  }
  return fixed.join("/")
}

/** Validates a decomposition answer (JSON text or a parsed value). */
export const validate = (response: unknown, options: ValidateOptions): ValidationReport => {
  let value = response
  if (typeof response === "string") {
    const parsed = parseAnswerText(response)
    if (Either.isLeft(parsed)) return invalid([issue("invalid_json", `the answer is not JSON: ${parsed.left}`, "")])
    value = parsed.right
  }
  const decoded = decodeAnswer(value)
  if (Either.isLeft(decoded)) {
    return invalid(issuesOf(decoded.left as ParseResult.ParseError).map((i) => issue("schema", i.message, i.path)))
  }
  return check(decoded.right, options)
}

const check = (answer: DecompositionAnswer, options: ValidateOptions): ValidationReport => {
  const errors: Array<ValidationIssue> = []
  const warnings: Array<ValidationIssue> = []
  const subtasks = answer.subtasks
  const n = subtasks.length

  // Titles.
  if (answer.epic.title.trim() === "") errors.push(issue("empty_title", "the epic needs a title", "epic.title"))
  if (n === 0) errors.push(issue("no_subtasks", "the epic needs at least one subtask", "subtasks"))
  const firstByTitle = new Map<string, number>()
  subtasks.forEach((s, i) => {
    if (s.title.trim() === "") {
      errors.push(issue("empty_title", `subtask ${i} needs a title`, `subtasks[${i}].title`, [i]))
      return
    }
    const key = titleKey(s.title)
    const first = firstByTitle.get(key)
    if (first === undefined) firstByTitle.set(key, i)
    else {
      errors.push(issue("duplicate_title", `subtasks ${first} and ${i} have the same title "${s.title.trim()}"`, `subtasks[${i}].title`, [first, i]))
    }
  })

  // Dependencies.
  const edges: Array<Array<number>> = subtasks.map(() => [])
  subtasks.forEach((s, i) => {
    const seen = new Set<number>()
    ;(s.dependencies ?? []).forEach((d, k) => {
      const path = `subtasks[${i}].dependencies[${k}]`
      if (d < 0 || d >= n) {
        errors.push(issue("dependency_out_of_range", `subtask ${i} depends on ${d}, but the indices are 0..${n - 1}`, path, [i]))
      } else if (d === i) {
        errors.push(issue("self_dependency", `subtask ${i} depends on itself`, path, [i]))
      } else if (seen.has(d)) {
        warnings.push(issue("duplicate_dependency", `subtask ${i} lists dependency ${d} twice`, path, [i, d]))
      } else {
        seen.add(d)
        edges[i]!.push(d)
      }
    })
  })
  for (const cycle of cycles(edges)) {
    errors.push(issue(
      "dependency_cycle",
      `dependency cycle: ${cycle.join(" → ")} (each depends on the next)`,
      `subtasks[${cycle[0]}].dependencies`,
      cycle.slice(0, -1)
    ))
  }

  // Files.
  const entries: Array<Array<FileEntry>> = subtasks.map(() => [])
  subtasks.forEach((s, i) => {
    const seen = new Set<string>()
    const lists = [["files", s.files], ["new_files", s.new_files ?? []]] as const
    for (const [field, paths] of lists) {
      paths.forEach((input, k) => {
        const path = `subtasks[${i}].${field}[${k}]`
        const normalized = normalizePattern(input, options.root)
        if (Either.isLeft(normalized)) {
          errors.push(issue("invalid_path", `${JSON.stringify(input)} ${normalized.left}`, path, [i]))
          return
        }
        const pattern = normalized.right.pattern
        const glob = hasGlobSyntax(pattern)
        if (field === "new_files" && glob) {
          errors.push(issue("invalid_path", `${JSON.stringify(input)} is a pattern; new_files are plain paths`, path, [i]))
          return
        }
        if (seen.has(pattern)) {
          warnings.push(issue("duplicate_file", `subtask ${i} lists ${pattern} twice`, path, [i]))
          return
        }
        seen.add(pattern)
        entries[i]!.push({ subtask: i, path, pattern: normalized.right })
        if (glob) {
          const base = globBase(pattern)
          if (base !== "" && options.probe(base) !== "directory") {
            warnings.push(issue("glob_base_missing", `${pattern}: the directory ${base} does not exist, so it matches nothing yet`, path, [i]))
          }
          return
        }
        const found = options.probe(pattern)
        if (found === "directory") {
          errors.push(issue("directory_path", `${pattern} is a directory: write ${pattern}/ (or ${pattern}/**) to mean its files`, path, [i]))
        } else if (field === "files" && found === "missing") {
          errors.push(issue("missing_file", `${pattern} does not exist; list it under new_files if subtask ${i} creates it`, path, [i]))
        } else if (field === "new_files" && found === "file") {
          warnings.push(issue("new_file_exists", `${pattern} exists already; list it under files`, path, [i]))
        }
      })
    }
    if (s.files.length + (s.new_files?.length ?? 0) === 0) {
      warnings.push(issue("no_files", `subtask ${i} names no files, so it reserves nothing`, `subtasks[${i}].files`, [i]))
    }
  })

  // Conflicts between subtasks that may run at the same time.
  const reach = reachability(edges)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const overlaps: Array<string> = []
      for (const a of entries[i]!) {
        for (const b of entries[j]!) {
          const witness = overlapWitness(a.pattern.glob, b.pattern.glob)
          if (witness === undefined) continue
          overlaps.push(a.pattern.pattern === b.pattern.pattern
            ? a.pattern.pattern
            : `${a.pattern.pattern} and ${b.pattern.pattern} (both match ${witness})`)
        }
      }
      if (overlaps.length === 0) continue
      const shown = overlaps.slice(0, 3).join("; ") + (overlaps.length > 3 ? `; and ${overlaps.length - 3} more` : "")
      if (reach[i]!.has(j) || reach[j]!.has(i)) {
        warnings.push(issue(
          "sequential_file_overlap",
          `subtasks ${i} and ${j} touch the same files but run one after the other: ${shown}`,
          `subtasks[${j}].files`,
          [i, j]
        ))
      } else {
        errors.push(issue("file_conflict", `subtasks ${i} and ${j} may run at once and both touch ${shown}`, `subtasks[${j}].files`, [i, j]))
      }
    }
  }

  const stats = {
    subtasks: n,
    files: new Set(entries.flat().map((e) => e.pattern.pattern)).size,
    total_complexity: subtasks.reduce((sum, s) => sum + s.estimated_complexity, 0),
    parallel_start: edges.filter((e) => e.length === 0).length
  }
  const valid = errors.length === 0
  return { valid, errors, warnings, stats, epic_input: valid ? epicInput(answer, entries, edges, options.strategy) : null }
}

const describeSubtask = (s: DecompositionAnswer["subtasks"][number]): string => {
  const parts: Array<string> = []
  if (s.description !== undefined && s.description.trim() !== "") parts.push(s.description.trim())
  const criteria = (s.acceptance_criteria ?? []).filter((c) => c.trim() !== "")
  if (criteria.length > 0) parts.push(`Acceptance criteria:\n${criteria.map((c) => `- ${c.trim()}`).join("\n")}`)
  parts.push(`Estimated complexity: ${s.estimated_complexity}/5`)
  return parts.join("\n\n")
}

const epicInput = (
  answer: DecompositionAnswer,
  entries: ReadonlyArray<ReadonlyArray<FileEntry>>,
  edges: ReadonlyArray<ReadonlyArray<number>>,
  strategy: string | undefined
): EpicInput => ({
  title: answer.epic.title.trim(),
  description: answer.epic.description?.trim() ?? "",
  labels: strategy === undefined ? ["swarm"] : ["swarm", `strategy:${strategy}`],
  subtasks: answer.subtasks.map((s, i) => ({
    title: s.title.trim(),
    description: describeSubtask(s),
    files: entries[i]!.map((e) => e.pattern.pattern),
    blockedBy: [...edges[i]!]
  }))
})
