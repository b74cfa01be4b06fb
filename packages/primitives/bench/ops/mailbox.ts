/**
 * The mailbox's hot paths: `send` (one message to one recipient) and a consumer's `receive` → `ack`
 * round (two write transactions), each counted as one operation against the raw single insert.
 */
import { Effect, Option } from "effect"
import { DurableMailbox } from "../../src/index.js"
import type { DurableMailboxService } from "../../src/index.js"
import type { BenchEnv, BenchOp } from "../harness.js"
import { runtimeFor, timeSequential } from "../harness.js"

const withMailbox = async <A>(env: BenchEnv, f: (mailbox: DurableMailboxService) => Promise<A>) => {
  const runtime = runtimeFor(env, DurableMailbox.layer)
  try {
    return await f(await runtime.runPromise(DurableMailbox))
  } finally {
    await runtime.dispose()
  }
}

const scale = (env: BenchEnv, normal: number, full: number) => (env.durability === "full" ? full : normal)

const message = (i: number) => ({
  from: "producer",
  to: ["worker"],
  subject: `job ${i}`,
  body: "a typical message body: do the thing, then report back",
  importance: i % 10 === 0 ? ("high" as const) : ("normal" as const)
})

export const ops: ReadonlyArray<BenchOp> = [
  {
    op: "mailbox_send",
    baseline: "insert",
    run: (env) =>
      withMailbox(env, (mailbox) =>
        timeSequential(scale(env, 10_000, 1_000), (i) => Effect.runPromise(mailbox.send(message(i)))))
  },
  {
    op: "mailbox_receive_ack",
    baseline: "insert",
    run: (env) =>
      withMailbox(env, async (mailbox) => {
        const count = scale(env, 5_000, 500)
        for (let i = 0; i < count; i++) await Effect.runPromise(mailbox.send(message(i)))
        return timeSequential(count, () =>
          Effect.runPromise(Effect.gen(function*() {
            const next = yield* mailbox.receive("worker", { visibilityTimeout: "1 minute" })
            const m = Option.getOrThrow(next)
            yield* mailbox.ack("worker", m.id, m.receipt)
          })))
      })
  }
]
