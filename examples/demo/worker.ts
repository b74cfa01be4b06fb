/**
 * A worker agent: claims ready subtasks of the epic, reserves their files, reports to the
 * coordinator by mail, shares what it learned, closes the cell. argv: agentName epicId
 */
import { Effect, Option } from "effect"
import { Hive } from "@waggle/hive"
import { Memory } from "@waggle/memory"
import { DurableMailbox, FileReservations } from "@waggle/primitives"
import { DemoLayer } from "./layers.js"
import { COORDINATOR, LEARNING } from "./plan.js"

const [agent, epicId] = process.argv.slice(2) as [string, string]
const say = (text: string) => Effect.sync(() => process.stdout.write(`${text}\n`))

const work = Effect.gen(function*() {
  const hive = yield* Hive
  const files = yield* FileReservations
  const mail = yield* DurableMailbox
  const memory = yield* Memory

  // Check in, then wait for the coordinator's "go" so that all workers start together.
  yield* mail.send({ from: agent, to: [COORDINATOR], subject: "ready", body: `${agent} is up`, thread: epicId })
  while (true) {
    const inbox = yield* mail.wait(agent, { timeout: "30 seconds" })
    const go = inbox.find((m) => m.subject === "go")
    if (go !== undefined) {
      yield* mail.ack(agent, go.id)
      break
    }
    if (inbox.length === 0) return yield* Effect.dieMessage(`${agent}: no "go" from the coordinator`)
  }

  while (true) {
    const claimed = yield* hive.claimNext(agent, { type: "task" })
    if (Option.isNone(claimed)) {
      const progress = yield* hive.epicProgress(epicId)
      if (progress.byStatus.open === 0 && progress.byStatus.in_progress === 0 && progress.byStatus.blocked === 0) return
      yield* Effect.sleep("100 millis") // blocked work becomes ready when its blocker closes
      continue
    }
    const cell = claimed.value

    // Greedy first: ask for the whole source tree. While others hold files under src/, nothing is granted.
    if (cell.files.length > 1) {
      const greedy = yield* Effect.either(files.reserve(agent, ["src/**"], { reason: cell.title, ttl: "1 minute" }))
      if (greedy._tag === "Left" && greedy.left._tag === "ReservationConflict") {
        const c = greedy.left.conflicts[0]!
        yield* say(`refused: src/** overlaps ${c.pattern} held by ${c.holder}; reserving only ${cell.files.join(", ")}`)
      } else if (greedy._tag === "Right") {
        yield* files.release(agent, { paths: ["src/**"] }) // nobody else was working: give the tree back
      }
    }
    yield* files.reserve(agent, cell.files, { reason: cell.title, ttl: "1 minute" })
    yield* mail.send({ from: agent, to: [COORDINATOR], subject: `started ${cell.id}`, body: cell.title, thread: epicId })

    if (cell.files.includes("src/auth.ts")) {
      const found = yield* memory.find("logging request headers secrets", { limit: 1 })
      const hit = found.hits[0]
      if (hit !== undefined) yield* say(`recalled a learning (score ${hit.score.toFixed(2)}): "${hit.content}"`)
    }
    yield* Effect.sleep("150 millis") // the actual editing

    if (cell.files.includes("src/config.ts")) {
      yield* memory.store(LEARNING, { tags: ["logging", "security"], source: agent, confidence: 0.9 })
    }
    yield* hive.close(cell.id, { reason: "done", result: `edited ${cell.files.join(", ")}` })
    yield* files.releaseMine(agent)
    yield* mail.send({ from: agent, to: [COORDINATOR], subject: `done ${cell.id}`, body: "ready for review", thread: epicId, ackRequired: true })
  }
})

await Effect.runPromise(work.pipe(Effect.provide(DemoLayer)))
