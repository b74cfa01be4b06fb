/**
 * The README demo, on the embedded default database (no server, no network):
 * a coordinator plans an epic, three worker processes claim its subtasks, reserve files without
 * conflict, report by mail and share a learning; a durable cursor follows the event log and prints
 * the trace; at the end the hive is synced to the project's git repository.
 */
import { Effect, Fiber, Layer } from "effect"
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Hive, HiveSync } from "@waggle/hive"
import { DurableCursor, DurableMailbox, Storage } from "@waggle/primitives"
import { DemoLayer } from "./layers.js"
import { AGENTS, COORDINATOR, EPIC } from "./plan.js"
import { line } from "./trace.js"

const print = (text: string) => Effect.sync(() => process.stdout.write(`${text}\n`))

/** A small git repository to coordinate on, so the demo never touches yours. */
const makeProject = () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "waggle-demo-")))
  const git = (...args: Array<string>) => execFileSync("git", args, { cwd: dir, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  git("config", "user.name", "Waggle Demo")
  git("config", "user.email", "demo@waggle.invalid")
  fs.mkdirSync(path.join(dir, "src", "middleware"), { recursive: true })
  for (const f of ["src/config.ts", "src/server.ts", "src/auth.ts", "src/middleware/timing.ts"]) {
    fs.writeFileSync(path.join(dir, f), `// ${f}\n`)
  }
  git("add", ".")
  git("commit", "-q", "-m", "initial")
  return dir
}

const tsx = createRequire(import.meta.url).resolve("tsx")
const workerScript = fileURLToPath(new URL("./worker.ts", import.meta.url))

const startWorker = (dir: string, agent: string, epicId: string) =>
  Effect.async<number>((resume) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", tsx, workerScript, agent, epicId], {
      cwd: dir,
      stdio: ["ignore", "pipe", "inherit"]
    })
    child.stdout.on("data", (chunk: Buffer) => {
      for (const text of chunk.toString("utf8").split("\n").filter((l) => l.length > 0)) {
        process.stdout.write(`              ${agent.padEnd(11)} ${text}\n`)
      }
    })
    child.on("close", (code) => resume(Effect.succeed(code ?? 1)))
  })

const demo = (dir: string) =>
  Effect.gen(function*() {
    const storage = yield* Storage
    const hive = yield* Hive
    const mail = yield* DurableMailbox
    const cursors = yield* DurableCursor
    yield* print(`project   ${dir}\ndatabase  ${storage.url} (embedded, ${storage.driver} driver)\n`)

    // The trace: a durable cursor following the whole event log, printing as events arrive.
    const trace = yield* cursors.open("demo-trace")
    const follower = yield* trace.run((event) => {
      const text = line(event)
      return text === undefined ? Effect.void : print(text)
    }, { transactional: false }).pipe(Effect.fork)

    const { epic, subtasks } = yield* hive.createEpic({
      title: EPIC.title,
      description: EPIC.description,
      subtasks: EPIC.subtasks.map((s) => ({
        title: s.title,
        files: [...s.files],
        ...("after" in s ? { blockedBy: [s.after] } : {})
      }))
    })
    yield* Effect.sleep("300 millis")

    const workers = yield* Effect.fork(
      Effect.forEach(AGENTS, (agent) => startWorker(dir, agent, epic.id), { concurrency: "unbounded" })
    )

    // The coordinator reads its mail: waits for every worker to check in, says "go", then collects
    // one acknowledged "done" per subtask.
    let ready = 0
    let done = 0
    while (done < subtasks.length) {
      const inbox = yield* mail.wait(COORDINATOR, { timeout: "60 seconds" })
      if (inbox.length === 0) return yield* Effect.dieMessage("the coordinator waited 60 s for mail in vain")
      for (const m of inbox) {
        if (m.subject.startsWith("done")) {
          yield* mail.ack(COORDINATOR, m.id)
          done++
        } else {
          yield* mail.read(COORDINATOR, m.id)
          if (m.subject === "ready" && ++ready === AGENTS.length) {
            yield* mail.send({ from: COORDINATOR, to: [...AGENTS], subject: "go", body: `claim work from ${epic.id}`, thread: epic.id, importance: "high" })
          }
        }
      }
    }
    const codes = yield* Fiber.join(workers)
    if (codes.some((c) => c !== 0)) return yield* Effect.dieMessage(`a worker failed: exit codes ${codes.join(", ")}`)
    const progress = yield* hive.epicProgress(epic.id)
    if (progress.closureEligible) yield* hive.close(epic.id, { reason: "all subtasks done" })

    const sync = yield* HiveSync
    const report = yield* sync.sync({ message: "hive: request logging epic" })
    yield* Effect.sleep("300 millis") // let the trace catch up
    yield* Fiber.interrupt(follower)
    const log = execFileSync("git", ["log", "--oneline", "-1"], { cwd: dir }).toString().trim()
    const cells = fs.readFileSync(path.join(dir, ".hive", "issues.jsonl"), "utf8").trim().split("\n").length
    yield* print(`\nsynced    ${report.files.join(", ")} (${cells} cells); git: ${log}`)
    yield* print(`summary   ${subtasks.length} subtasks, ${AGENTS.length} workers, epic ${epic.id} closed, hive committed: ${report.committed ? "yes" : "no"}`)
  })

const dir = makeProject()
process.chdir(dir)
await Effect.runPromise(demo(dir).pipe(Effect.provide(DemoLayer as Layer.Layer<any, any, never>), Effect.scoped))
