import { describe, expect, it } from "vitest"
import * as path from "node:path"
import { makeTempDir } from "@waggle/test-support"
import { openMemory } from "../src/promise.js"

describe("the Promise facade", () => {
  it("a worker stores a learning; a later worker (another client) finds it; errors reject typed", async () => {
    const { dir, remove } = makeTempDir()
    try {
      const url = `file:${path.join(dir, "waggle.db")}`
      const first = await openMemory({ url, project: "demo", cwd: dir })
      const id = await first.store("OAuth refresh tokens need a 5-minute buffer before expiry", { tags: ["oauth"] })
      await expect(first.store("")).rejects.toMatchObject({ _tag: "InvalidInput" })
      await first.close()
      const later = await openMemory({ url, project: "demo", cwd: dir })
      const { hits } = await later.find("when should oauth tokens be refreshed?")
      expect(hits[0]).toMatchObject({ id, tags: ["oauth"] })
      expect((await later.stats()).current).toBe(1)
      await expect(later.get("mem_nope")).rejects.toMatchObject({ _tag: "MemoryNotFound" })
      await later.close()
    } finally {
      remove()
    }
  })
})
