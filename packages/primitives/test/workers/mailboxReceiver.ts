/**
 * Waits for a "go" message in its control inbox, then drains one inbox with receive → ack until
 * nothing is deliverable for a while, and prints what it did as a JSON line. Messages whose subject is in `abandon` are left unacknowledged on their
 * first delivery (as if the consumer crashed), so that another consumer gets them after the lease.
 * argv: url project workerId agent visibilityMs driver abandon(comma-separated subjects)
 */
import { Effect, Layer, Option } from "effect"
import { DurableMailbox } from "@waggle/primitives"
import { primitivesLayer } from "@waggle/test-support/worker"

const [url, project, workerId, agent, visibilityText, driver, abandonText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  "native" | "client",
  string
]
const abandon = new Set(abandonText.split(",").filter((s) => s !== ""))

const program = Effect.gen(function*() {
  const mailbox = yield* DurableMailbox
  // Start together: announce readiness, then sleep until the test's "go" arrives (cross-process wait).
  process.stdout.write(JSON.stringify({ ready: workerId }) + "\n")
  const go = yield* mailbox.wait(`control-${workerId}`, { timeout: "2 minutes" })
  if (go.length === 0) return yield* Effect.dieMessage("no go message within 2 minutes")
  const acked: Array<string> = []
  let received = 0
  let abandoned = 0
  let lost = 0
  while (true) {
    const next = yield* mailbox.receive(agent, { visibilityTimeout: Number(visibilityText), consumer: workerId, wait: "3 seconds" })
    if (Option.isNone(next)) break
    const m = next.value
    received++
    if (abandon.has(m.subject) && m.deliveryCount === 1) {
      abandoned++
      continue
    }
    const outcome = yield* Effect.either(mailbox.ack(agent, m.id, m.receipt))
    if (outcome._tag === "Right") acked.push(m.id)
    // Too slow: the lease expired, and someone else has the message (LeaseLost) or already acked it.
    else if (outcome.left._tag === "LeaseLost" || outcome.left._tag === "AlreadyAcked") lost++
    else return yield* Effect.fail(outcome.left)
  }
  process.stdout.write(JSON.stringify({ workerId, acked, received, abandoned, lost }) + "\n")
})

const layer = Layer.provideMerge(DurableMailbox.layer, primitivesLayer({ url, project, options: { driver } }))
await Effect.runPromise(program.pipe(Effect.provide(layer)))
