/** `waggle doctor [--json]`: health checks; exit code 0 when healthy, 1 when a check failed. */
import { Effect } from "effect"
import { runDoctor } from "../Doctor.js"
import type { ParsedArgs } from "./args.js"
import { has } from "./args.js"
import { out } from "./io.js"

const MARK = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const

export const runDoctorCommand = async (args: ParsedArgs): Promise<number> => {
  const report = await Effect.runPromise(runDoctor)
  if (has(args, "json")) out(JSON.stringify(report, null, 2))
  else {
    for (const c of report.checks) out(`${MARK[c.status]}  ${c.name.padEnd(10)} ${c.detail}`)
    out(report.healthy ? "healthy" : "unhealthy")
  }
  return report.healthy ? 0 : 1
}
