/** The id scheme's pure parts. */
import { describe, expect, it } from "vitest"
import { base36Hash, collisionId, hashLength, prefixFromRoot } from "../src/internal/ids.js"

describe("cell ids", () => {
  it("the hash grows with the number of cells: 4 characters below 1k, 5 below 30k, 6 beyond", () => {
    expect([0, 999, 1000, 29_999, 30_000, 1_000_000].map(hashLength)).toEqual([4, 4, 5, 5, 6, 6])
  })

  it("hashes are base36, of the asked length, and stable for a seed", () => {
    expect(base36Hash("seed", 6)).toMatch(/^[0-9a-z]{6}$/)
    expect(base36Hash("seed", 6)).toBe(base36Hash("seed", 6))
    expect(base36Hash("seed", 4)).not.toBe(base36Hash("other", 4))
  })

  it("the default prefix is the first alphanumeric run of the root's name, lower-cased", () => {
    expect(prefixFromRoot("/home/me/Waggle-Main")).toBe("waggle")
    expect(prefixFromRoot("/srv/my_project.git")).toBe("my")
    expect(prefixFromRoot("/srv/---")).toBe("hive")
  })

  it("a colliding cell's new id depends only on its id and creation time, and skips taken ids", () => {
    const a = collisionId("hv-ab12.3", 1000, () => false)
    expect(a).toMatch(/^hv-ab12\.3-[0-9a-z]{4}$/)
    expect(collisionId("hv-ab12.3", 1000, () => false)).toBe(a)
    expect(collisionId("hv-ab12.3", 1000, (id) => id === a)).toMatch(/^hv-ab12\.3-[0-9a-z]{5}$/)
  })
})
