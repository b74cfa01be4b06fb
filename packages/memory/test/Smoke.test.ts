import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { embeddedNative, libsqlServer } from "@waggle/test-support"
import { Memory } from "../src/index.js"
import { runOn } from "./fixtures.js"

describe.each([embeddedNative, libsqlServer])("smoke on $name", (backend) => {
  it.scoped("store then find", () =>
    runOn(backend)(Effect.gen(function*() {
      const memory = yield* Memory
      const id = yield* memory.store("OAuth refresh tokens need a 5-minute buffer before expiry", { tags: ["oauth", "auth"] })
      yield* memory.store("The CI runner needs 8 GB of memory for the e2e suite")
      const result = yield* memory.find("when to refresh oauth tokens")
      console.log(JSON.stringify(result, null, 1))
      expect(result.hits[0]?.id).toBe(id)
      const got = yield* memory.get(id)
      console.log(got)
      console.log(yield* memory.stats)
    })))
})
