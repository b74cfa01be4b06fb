/**
 * A transactional consumer process is SIGKILLed at random moments in the middle of a stream and
 * started again, until it reports that it caught up. Its effects (one row per event, and a
 * counter) commit in the same transaction as the checkpoint, so after every kill the effects are
 * exactly the matching events up to the checkpoint, and at the end every event's effect is there
 * exactly once: none missing, none duplicated. Non-matching events interleaved in the log must
 * have no effect at all (the cursor respects its filter).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { DurableCursor, EventStore, Storage } from "@waggle/primitives"
import { primitivesLayer, runWorker, startWorker, tempDir } from "@waggle/test-support"
import { EffectsModule, effectsOf } from "../fixtures/effects.js"
import { NoteAdded, NoteEdited, NotesModule } from "../fixtures/notes.js"

const worker = fileURLToPath(new URL("../workers/cursorConsumer.ts", import.meta.url))
const EVENTS = 2000
const NOISE_EVERY = 4 // one non-matching event after every 4 matching ones
const BATCH = 7
const KILLS = 6
const CONSUMER = "crashy"

describe.each(["native", "client"] as const)("a transactional consumer SIGKILLed repeatedly (%s driver)", (driver) => {
  it.scopedLive("applies every event's effect exactly once", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir()
      const url = `file:${path.join(dir, "cursor.db")}`
      const project = "cursor-crash"
      const context = yield* Layer.build(Layer.provideMerge(DurableCursor.layer, primitivesLayer({ url, project })))
      const inTest = <A, E>(effect: Effect.Effect<A, E, DurableCursor | EventStore | Storage>) =>
        Effect.provide(effect, context)

      // The log: k1..k2000 (note_added) with note_edited noise in between, over 10 streams.
      const matching = yield* inTest(Effect.gen(function*() {
        const store = yield* EventStore
        yield* store.install(NotesModule)
        yield* store.install(EffectsModule)
        for (let start = 1; start <= EVENTS; start += 100) {
          const events = []
          for (let n = start; n < start + 100; n++) {
            events.push(NoteAdded.make({ id: `k${n}`, text: "t", tags: [] }))
            if (n % NOISE_EVERY === 0) events.push(NoteEdited.make({ id: `k${n}`, text: "noise" }))
          }
          yield* store.append(`stream-${start % 10}`, events)
        }
        return (yield* store.readAll({ types: ["note_added"], limit: 100_000 })).map((e) => e.position)
      }))
      expect(matching).toHaveLength(EVENTS)

      /** The effects must be exactly the matching events at or before the checkpoint. */
      const checkConsistent = inTest(Effect.gen(function*() {
        const cursor = yield* (yield* DurableCursor).open(CONSUMER, { types: ["note_added"] })
        const position = yield* cursor.position
        const effects = yield* effectsOf(yield* Storage, project, CONSUMER)
        const expected = matching.filter((p) => p <= position)
        expect(effects.positions).toEqual(expected)
        expect(effects.counter).toBe(expected.length)
        return expected.length
      }))

      let seed = 20240611
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      const killedAt: Array<number> = []
      for (let round = 0; round < KILLS; round++) {
        const applied = yield* checkConsistent
        const threshold = applied + 50 + random(250)
        if (threshold >= EVENTS - 100) break
        const consumer = startWorker(worker, [url, project, CONSUMER, String(BATCH), driver])
        const seen = yield* Effect.promise(() =>
          consumer.waitFor((m) => m.done === true || (typeof m.progress === "number" && m.progress >= threshold), 60_000)
        )
        consumer.kill("SIGKILL")
        const exit = yield* Effect.promise(() => consumer.exited)
        if (seen.done === true) break // it finished before the signal: nothing left to interrupt
        expect(exit.signal, exit.stderr).toBe("SIGKILL")
        killedAt.push(yield* checkConsistent)
      }
      expect(killedAt.length).toBeGreaterThanOrEqual(3)
      expect(killedAt.some((n) => n > 0 && n < EVENTS)).toBe(true)

      const last = yield* Effect.promise(() => runWorker(worker, [url, project, CONSUMER, String(BATCH), driver]))
      expect(last.messages).toContainEqual(expect.objectContaining({ done: true }))
      expect(yield* checkConsistent).toBe(EVENTS)
      const effects = yield* inTest(Effect.flatMap(Storage, (storage) => effectsOf(storage, project, CONSUMER)))
      expect(effects).toMatchObject({ rows: EVENTS, distinct: EVENTS, counter: EVENTS })
      expect(effects.positions).toEqual(matching)
    }), 240_000)
})
