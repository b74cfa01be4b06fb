import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as os from "node:os"
import { Verification } from "@waggle/swarm"

const cwd = os.tmpdir()

describe("Verification commands", () => {
  it.live("a passing command passes with its output", () =>
    Effect.gen(function*() {
      const step = yield* Verification.runCommand(`node -e "console.log('all 3 tests passed')"`, cwd, 20_000)
      expect(step).toMatchObject({ exit_code: 0, timed_out: false, passed: true, output: "all 3 tests passed" })
    }))

  it.live("a failing command fails with its exit code and both output streams", () =>
    Effect.gen(function*() {
      const step = yield* Verification.runCommand(
        `node -e "console.log('running'); console.error('1 test failed'); process.exit(3)"`,
        cwd,
        20_000
      )
      expect(step).toMatchObject({ exit_code: 3, timed_out: false, passed: false })
      expect(step.output).toContain("running")
      expect(step.output).toContain("1 test failed")
    }))

  it.live("a command past its timeout is killed and fails as timed out", () =>
    Effect.gen(function*() {
      // generous enough for node to start on a loaded machine; the command itself never ends
      const step = yield* Verification.runCommand(`node -e "console.log('waiting'); setTimeout(() => {}, 600000)"`, cwd, 5_000)
      expect(step).toMatchObject({ exit_code: null, timed_out: true, passed: false })
      expect(step.output).toContain("waiting")
      expect(step.output).toContain("[killed after 5000 ms]")
    }))

  it.live("runAll stops at the first failure; commands run in the given directory", () =>
    Effect.gen(function*() {
      const steps = yield* Verification.runAll(
        [`node -e "process.stdout.write(process.cwd())"`, `node -e "process.exit(1)"`, `node -e "0"`],
        cwd,
        20_000
      )
      expect(steps.map((s) => s.passed)).toEqual([true, false])
      expect(steps[0]!.output).toBe(cwd)
    }))

  it.live("long output is summarised to its first and last lines", () =>
    Effect.gen(function*() {
      const step = yield* Verification.runCommand(`node -e "for (let i = 1; i <= 500; i++) console.log('line ' + i)"`, cwd, 20_000)
      const lines = step.output.split("\n")
      expect(lines.slice(0, 5)).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"])
      expect(lines[5]).toBe("…[455 lines omitted]…")
      expect(lines.at(-1)).toBe("line 500")
    }))
})
