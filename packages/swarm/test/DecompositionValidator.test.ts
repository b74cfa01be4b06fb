import { describe, expect, it } from "@effect/vitest"
import { DecompositionValidator } from "@waggle/swarm"
import type { SwarmOutputs } from "@waggle/swarm"

const ROOT = "/repo"
const FILES = new Set(["src/a.ts", "src/b.ts", "src/c.ts", "README.md", "lib/x.ts"])
const DIRS = new Set(["src", "lib", "docs"])
const probe: DecompositionValidator.Probe = (p) => (FILES.has(p) ? "file" : DIRS.has(p) ? "directory" : "missing")
const check = (response: unknown, strategy?: string) => DecompositionValidator.validate(response, { root: ROOT, probe, strategy })

interface Sub {
  title?: string
  files?: Array<string>
  new_files?: Array<string>
  dependencies?: Array<number>
  estimated_complexity?: number
  description?: string
  acceptance_criteria?: Array<string>
}
const sub = (title: string, files: Array<string>, extra: Sub = {}): Sub => ({
  title,
  files,
  dependencies: [],
  estimated_complexity: 2,
  ...extra
})
const answer = (...subtasks: Array<Sub>) => ({ epic: { title: "Epic", description: "goal" }, subtasks })
const codes = (issues: ReadonlyArray<SwarmOutputs.ValidationIssue>) => issues.map((i) => i.code)

describe("DecompositionValidator", () => {
  it("a clean answer is valid and becomes an epic input (files + new files, blockedBy, criteria, strategy label)", () => {
    const report = check(
      answer(
        sub("Types", ["src/a.ts"], { acceptance_criteria: ["exports the new type"], description: "Add the type" }),
        sub("Use them", ["./src/b.ts", "src//c.ts"], { dependencies: [0], new_files: ["src/d.ts"] })
      ),
      "file-based"
    )
    expect(report).toMatchObject({ valid: true, errors: [], warnings: [] })
    expect(report.stats).toEqual({ subtasks: 2, files: 4, total_complexity: 4, parallel_start: 1 })
    expect(report.epic_input).toEqual({
      title: "Epic",
      description: "goal",
      labels: ["swarm", "strategy:file-based"],
      subtasks: [
        {
          title: "Types",
          description: "Add the type\n\nAcceptance criteria:\n- exports the new type\n\nEstimated complexity: 2/5",
          files: ["src/a.ts"],
          blockedBy: []
        },
        { title: "Use them", description: "Estimated complexity: 2/5", files: ["src/b.ts", "src/c.ts", "src/d.ts"], blockedBy: [0] }
      ]
    })
  })

  it("JSON text is accepted bare, in a code fence, or with prose around it; anything else is invalid_json", () => {
    const json = JSON.stringify(answer(sub("A", ["src/a.ts"])))
    expect(check(json).valid).toBe(true)
    expect(check("Here it is:\n```json\n" + json + "\n```\nDone.").valid).toBe(true)
    expect(check(`Plan: ${json} (end)`).valid).toBe(true)
    const bad = check("{ not json")
    expect(bad.valid).toBe(false)
    expect(codes(bad.errors)).toEqual(["invalid_json"])
    expect(bad.epic_input).toBeNull()
  })

  it("shape errors name every bad field", () => {
    const report = check({ epic: {}, subtasks: [{ title: 3, files: "src/a.ts", estimated_complexity: 9 }] })
    expect(report.valid).toBe(false)
    expect(report.errors.every((e) => e.code === "schema")).toBe(true)
    expect(report.errors.map((e) => e.path).sort()).toEqual(
      ["epic.title", "subtasks[0].estimated_complexity", "subtasks[0].files", "subtasks[0].title"].sort()
    )
  })

  it("titles: blank epic or subtask titles, duplicates ignoring case and spacing, and no subtasks are errors", () => {
    const report = check({
      epic: { title: "  " },
      subtasks: [sub("Add API", ["src/a.ts"]), sub(" ", ["src/b.ts"]), sub("add  api", ["src/c.ts"])]
    })
    expect(report.errors.map((e) => [e.code, e.path, e.subtasks])).toEqual([
      ["empty_title", "epic.title", []],
      ["empty_title", "subtasks[1].title", [1]],
      ["duplicate_title", "subtasks[2].title", [0, 2]]
    ])
    expect(codes(check({ epic: { title: "E" }, subtasks: [] }).errors)).toEqual(["no_subtasks"])
  })

  it("dependencies: out of range and self are errors, a repeat is a warning", () => {
    const report = check(answer(
      sub("A", ["src/a.ts"], { dependencies: [3, -1] }),
      sub("B", ["src/b.ts"], { dependencies: [1, 0, 0] })
    ))
    expect(report.errors.map((e) => [e.code, e.path])).toEqual([
      ["dependency_out_of_range", "subtasks[0].dependencies[0]"],
      ["dependency_out_of_range", "subtasks[0].dependencies[1]"],
      ["self_dependency", "subtasks[1].dependencies[0]"]
    ])
    expect(report.errors[0]!.message).toBe("subtask 0 depends on 3, but the indices are 0..1")
    expect(report.warnings.map((w) => [w.code, w.path, w.subtasks])).toEqual([["duplicate_dependency", "subtasks[1].dependencies[2]", [1, 0]]])
  })

  it("cycles are reported once each, as a path from their lowest index", () => {
    const report = check(answer(
      sub("A", ["src/a.ts"], { dependencies: [2] }),
      sub("B", ["src/b.ts"], { dependencies: [0] }),
      sub("C", ["src/c.ts"], { dependencies: [1] }),
      sub("D", ["README.md"], { dependencies: [4] }),
      sub("E", ["lib/x.ts"], { dependencies: [3] })
    ))
    expect(report.errors.map((e) => [e.code, e.message, e.subtasks])).toEqual([
      ["dependency_cycle", "dependency cycle: 0 → 2 → 1 → 0 (each depends on the next)", [0, 2, 1]],
      ["dependency_cycle", "dependency cycle: 3 → 4 → 3 (each depends on the next)", [3, 4]]
    ])
  })

  it("the same file in two parallel subtasks is a conflict; in dependent subtasks only a warning", () => {
    const parallel = check(answer(sub("A", ["src/a.ts"]), sub("B", ["src/a.ts", "src/b.ts"])))
    expect(parallel.errors.map((e) => [e.code, e.message, e.subtasks])).toEqual([
      ["file_conflict", "subtasks 0 and 1 may run at once and both touch src/a.ts", [0, 1]]
    ])
    const chained = check(answer(
      sub("A", ["src/a.ts"]),
      sub("B", ["src/b.ts"], { dependencies: [0] }),
      sub("C", ["src/a.ts"], { dependencies: [1] })
    ))
    expect(chained.valid).toBe(true)
    expect(chained.warnings.map((w) => [w.code, w.subtasks])).toEqual([["sequential_file_overlap", [0, 2]]])
  })

  it("overlapping globs conflict (with a witness path); disjoint ones do not", () => {
    const report = check(answer(sub("A", ["src/**"]), sub("B", ["src/*.ts"]), sub("C", ["lib/*.ts"]), sub("D", ["docs/"])))
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([
      ["file_conflict", "subtasks 0 and 1 may run at once and both touch src/** and src/*.ts (both match src/.ts)"]
    ])
    // `*` never crosses `/`, so *.ts at the root and src/a.ts are disjoint.
    expect(check(answer(sub("A", ["*.ts"]), sub("B", ["src/a.ts"]))).valid).toBe(true)
    // Braces expand: {src,lib}/x.ts overlaps lib/x.ts.
    expect(codes(check(answer(sub("A", ["{src,lib}/x.ts"]), sub("B", ["lib/x.ts"]))).errors)).toEqual(["file_conflict"])
  })

  it("files to edit must exist; new files may be missing; directories need a trailing slash", () => {
    const report = check(answer(
      sub("A", ["src/missing.ts", "src", "src/a.ts"], { new_files: ["src/new.ts", "src/b.ts"] }),
      sub("B", ["nowhere/**"], { new_files: ["docs"] })
    ))
    expect(report.errors.map((e) => [e.code, e.path])).toEqual([
      ["missing_file", "subtasks[0].files[0]"],
      ["directory_path", "subtasks[0].files[1]"],
      ["directory_path", "subtasks[1].new_files[0]"]
    ])
    expect(report.errors[0]!.message).toBe("src/missing.ts does not exist; list it under new_files if subtask 0 creates it")
    expect(report.warnings.map((w) => [w.code, w.path])).toEqual([
      ["new_file_exists", "subtasks[0].new_files[1]"],
      ["glob_base_missing", "subtasks[1].files[0]"]
    ])
  })

  it("paths outside the root, empty paths and globbed new files are invalid; repeats and empty file lists are warnings", () => {
    const report = check(answer(
      sub("A", ["../etc/passwd", "/elsewhere/x.ts", "", "/repo/src/a.ts", "src/a.ts"]),
      sub("B", [], { new_files: ["src/*.gen.ts"] }),
      sub("C", [])
    ))
    expect(report.errors.map((e) => [e.code, e.path])).toEqual([
      ["invalid_path", "subtasks[0].files[0]"],
      ["invalid_path", "subtasks[0].files[1]"],
      ["invalid_path", "subtasks[0].files[2]"],
      ["invalid_path", "subtasks[1].new_files[0]"]
    ])
    expect(report.errors[0]!.message).toBe('"../etc/passwd" escapes the project root')
    expect(report.warnings.map((w) => [w.code, w.path])).toEqual([
      ["duplicate_file", "subtasks[0].files[4]"],
      ["no_files", "subtasks[2].files"]
    ])
  })

  it("every issue reports where it is and which subtasks it involves; the report is deterministic", () => {
    const input = answer(sub("A", ["src/a.ts"]), sub("A", ["src/a.ts"], { dependencies: [5] }))
    const first = check(input)
    expect(first).toEqual(check(JSON.parse(JSON.stringify(input))))
    expect(first.errors.map((e) => e.code)).toEqual(["duplicate_title", "dependency_out_of_range", "file_conflict"])
    for (const e of first.errors) expect(e.subtasks.length).toBeGreaterThan(0)
  })
})
