/** Every row of every table of a database file, for "nothing changed" assertions (no mocks: the real file). */
import { Effect, ManagedRuntime } from "effect"
import { Storage } from "@waggle/primitives"

export interface Dumper {
  readonly dump: () => Promise<string>
  readonly close: () => Promise<void>
}

export const openDumper = (url: string): Dumper => {
  const runtime = ManagedRuntime.make(Storage.layer({ url }))
  const dump = Effect.gen(function*() {
    const storage = yield* Storage
    const tables = yield* storage.query<{ name: string }>({
      sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      args: []
    })
    const out: Array<string> = []
    for (const { name } of tables) {
      const rows = yield* storage.query({ sql: `SELECT * FROM "${name.replace(/"/g, "\"\"")}"`, args: [] })
      const lines = rows.map((r) =>
        JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v))
      ).sort()
      out.push(`## ${name} (${rows.length})`, ...lines)
    }
    return out.join("\n")
  })
  return { dump: () => runtime.runPromise(dump), close: () => runtime.dispose() }
}
