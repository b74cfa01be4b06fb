/**
 * Cell ids: `<prefix>-<hash>`, the hash base36 of SHA-256(random, time, attempt), 4 characters while
 * the project has fewer than 1,000 cells, 5 below 30,000, 6 beyond (so collisions stay rare as the
 * hive grows: the chance that a new 4-character id is taken at 1,000 cells is 0.06%); a taken id
 * is retried inside the creating transaction. Children of an epic are `<epic>.<n>`, n = 1, 2, ...
 */
import { Effect, Random } from "effect"
import { createHash } from "node:crypto"
import * as path from "node:path"
import { sql } from "@waggle/primitives"
import type { StorageError } from "@waggle/primitives"
import type { Query } from "./rows.js"

/** The default prefix: the first alphanumeric run of the project root's name, lower-cased. */
export const prefixFromRoot = (root: string): string => {
  const first = path.basename(root).toLowerCase().split(/[^a-z0-9]+/).find((s) => s.length > 0) ?? ""
  return first.slice(0, 12) === "" ? "hive" : first.slice(0, 12)
}

export const PREFIX_PATTERN = /^[a-z0-9]{1,16}$/
/** What an id may look like (also in imported files). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/

export const hashLength = (cells: number): number => (cells < 1_000 ? 4 : cells < 30_000 ? 5 : 6)

export const base36Hash = (seed: string, length: number): string => {
  const digest = createHash("sha256").update(seed).digest()
  let n = 0n
  for (const byte of digest.subarray(0, 16)) n = (n << 8n) | BigInt(byte)
  return n.toString(36).padStart(length, "0").slice(0, length)
}

const exists = (query: Query, project: string, id: string) =>
  Effect.map(query<{ one: number }>(sql`SELECT 1 AS one FROM hive_cells WHERE project = ${project} AND id = ${id}`), (r) => r.length > 0)

/** A fresh top-level id, unused in the project (run inside the creating transaction). */
export const newCellId = (
  query: Query,
  project: string,
  prefix: string,
  now: number
): Effect.Effect<string, StorageError> =>
  Effect.gen(function*() {
    const [counter] = yield* query<{ value: number }>(
      sql`SELECT value FROM hive_counters WHERE project = ${project} AND name = 'cells'`
    )
    const length = hashLength(counter?.value ?? 0)
    for (let attempt = 0; attempt < 20; attempt++) {
      const random = yield* Random.nextIntBetween(0, 2 ** 31)
      // After a few collisions, lengthen the hash rather than keep trying the same space.
      const id = `${prefix}-${base36Hash(`${random}:${now}:${attempt}`, length + Math.floor(attempt / 4))}`
      if (!(yield* exists(query, project, id))) return id
    }
    return yield* Effect.dieMessage("could not find a free cell id after 20 attempts")
  })

/** The next child id of an epic, from its counter (skipping any id already taken). */
export const nextChildId = (
  query: Query,
  project: string,
  parent: string,
  nextChild: number
): Effect.Effect<string, StorageError> =>
  Effect.gen(function*() {
    for (let n = nextChild; ; n++) {
      const id = `${parent}.${n}`
      if (!(yield* exists(query, project, id))) return id
    }
  })

/** The id a cell moves to when an import finds two different cells under one id (same on every clone). */
export const collisionId = (id: string, createdAt: number, taken: (id: string) => boolean): string => {
  for (let length = 4; ; length++) {
    const candidate = `${id}-${base36Hash(`${id}@${createdAt}`, length)}`
    if (!taken(candidate)) return candidate
  }
}
