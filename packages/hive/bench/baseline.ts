/**
 * Raw-libSQL baselines through `@libsql/client` (the client the primitives harness uses), on a
 * table shaped like `hive_cells` with the same ready index, in its own database file.
 */
import { createRequire } from "node:module"
import * as path from "node:path"
import type { Sample } from "../../primitives/bench/harness.js"
import { timeSequential } from "../../primitives/bench/harness.js"

interface ResultSet {
  readonly rows: ReadonlyArray<Record<string, unknown>>
}
interface Transaction {
  execute(stmt: { sql: string; args: Array<unknown> } | string): Promise<ResultSet>
  commit(): Promise<void>
  close(): void
}
interface Client {
  execute(stmt: { sql: string; args: Array<unknown> } | string): Promise<ResultSet>
  batch(stmts: Array<{ sql: string; args: Array<unknown> }>, mode: "write"): Promise<unknown>
  transaction(mode: "write"): Promise<Transaction>
  close(): void
}

// The hive does not depend on @libsql/client; the primitives do, so it is loaded from there.
const { createClient } = createRequire(new URL("../../primitives/package.json", import.meta.url))("@libsql/client") as {
  createClient: (config: { url: string; timeout?: number }) => Client
}

const COLUMNS = "id, title, description, type, status, priority, assignee, created_at, updated_at, blocked"

export const openBaseline = async (dir: string, cells: number): Promise<Client> => {
  const client = createClient({ url: `file:${path.join(dir, "baseline.db")}`, timeout: 10_000 })
  await client.execute("PRAGMA journal_mode=WAL")
  await client.execute("PRAGMA synchronous=NORMAL")
  await client.execute(`CREATE TABLE cells (
    project TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, type TEXT NOT NULL,
    status TEXT NOT NULL, priority INTEGER NOT NULL, assignee TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    blocked INTEGER NOT NULL DEFAULT 0,
    queue TEXT GENERATED ALWAYS AS (CASE WHEN blocked = 0 AND status IN ('open', 'in_progress') THEN status END) VIRTUAL,
    PRIMARY KEY (project, id)) STRICT, WITHOUT ROWID`)
  await client.execute("CREATE INDEX cells_ready ON cells (project, queue, priority, created_at, id) WHERE queue IS NOT NULL")
  for (let start = 0; start < cells; start += 5000) {
    const rows = Math.min(5000, cells - start)
    await client.batch(Array.from({ length: rows }, (_, j) => insertStatement(start + j)), "write")
  }
  return client
}

const insertStatement = (i: number) => ({
  sql: `INSERT INTO cells (project, ${COLUMNS}) VALUES ('bench', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    `base-${i}`,
    `Cell ${i}: a typical title for a unit of work`,
    "Some description of what to do, where and why; a few sentences long in practice.",
    "task",
    i % 10 < 5 ? "closed" : i % 10 === 5 ? "in_progress" : "open",
    (i * 7) % 4,
    null,
    i,
    i,
    i % 8 === 0 ? 1 : 0
  ] as Array<unknown>
})

let next = 10_000_000

/** One row per commit. */
export const baselineInsert = (client: Client, count: number): Promise<Sample> =>
  timeSequential(count, () => client.execute(insertStatement(next++)))

/** `rows` rows in one write batch, per operation. */
export const baselineBatch = (client: Client, count: number, rows: number): Promise<Sample> =>
  timeSequential(count, () => client.batch(Array.from({ length: rows }, () => insertStatement(next++)), "write"))

/** The ready query: first 10 open, unblocked cells by priority then age. */
export const baselineReady = (client: Client, count: number): Promise<Sample> =>
  timeSequential(count, () =>
    client.execute({
      sql: `SELECT ${COLUMNS} FROM cells WHERE project = 'bench' AND queue = 'open' ORDER BY priority, created_at, id LIMIT 10`,
      args: []
    }))

/** A claim: in one write transaction, read the first ready cell and mark it in progress. */
export const baselineClaim = (client: Client, count: number): Promise<Sample> =>
  timeSequential(count, async () => {
    const tx = await client.transaction("write")
    try {
      const { rows } = await tx.execute({
        sql: "SELECT id FROM cells WHERE project = 'bench' AND queue = 'open' ORDER BY priority, created_at, id LIMIT 1",
        args: []
      })
      if (rows[0] !== undefined) {
        await tx.execute({ sql: "UPDATE cells SET status = 'in_progress', assignee = 'a' WHERE project = 'bench' AND id = ?", args: [rows[0]["id"]] })
      }
      await tx.commit()
    } finally {
      tx.close()
    }
  })

/** A full-table scan (every column of every row). */
export const baselineScan = (client: Client, count: number): Promise<Sample> =>
  timeSequential(count, () => client.execute({ sql: "SELECT * FROM cells WHERE project = 'bench'", args: [] }))

export type { Client }
