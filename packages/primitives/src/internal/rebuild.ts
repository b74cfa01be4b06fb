/** Rebuilding projections: empty their tables for the project, replay the log, in one transaction. */
import { Effect, Either } from "effect"
import { InvalidInput } from "../Errors.js"
import type { StorageError } from "../Errors.js"
import { sql, statement } from "../Sql.js"
import type { StorageService } from "../Storage.js"
import type { EventRow, LogProject } from "./eventLog.js"
import { toRecorded } from "./eventLog.js"
import type { EventRegistry } from "./eventRegistry.js"

export interface RebuildReport {
  readonly projections: ReadonlyArray<string>
  /** Events replayed into at least one of the projections. */
  readonly events: number
}

const PAGE = 2000

export const rebuild = (
  storage: StorageService,
  registry: EventRegistry,
  project: LogProject,
  names: ReadonlyArray<string> | undefined
): Effect.Effect<RebuildReport, InvalidInput | StorageError> =>
  Effect.gen(function*() {
    const selected = names ?? [...registry.projections.keys()]
    const unknown = selected.filter((n) => !registry.projections.has(n))
    if (unknown.length > 0) {
      return yield* new InvalidInput({
        operation: "EventStore.rebuildProjections",
        issues: unknown.map((n) => ({ path: "names", message: `no installed projection "${n}"` }))
      })
    }
    const wanted = new Set(selected)
    return yield* storage.write((tx) =>
      Effect.gen(function*() {
        for (const name of selected) {
          for (const table of registry.projections.get(name)!.tables) {
            yield* tx.run(statement(`DELETE FROM "${table.replaceAll("\"", "\"\"")}" WHERE project = ?`, [project.key]))
          }
        }
        let after = 0
        let replayed = 0
        while (true) {
          const rows = yield* tx.query<EventRow>(
            sql`SELECT position, stream, version, type, data, metadata, created_at FROM events
                WHERE position > ${after} AND +project = ${project.id} ORDER BY position LIMIT ${PAGE}`
          )
          for (const row of rows) {
            const registered = registry.types.get(row.type)
            const handlers = registered?.handlers.filter((h) => wanted.has(h.projection)) ?? []
            if (registered === undefined || handlers.length === 0) continue
            const event = toRecorded(project.key)(row)
            const decoded = registered.decode(event.data)
            if (Either.isLeft(decoded)) {
              return yield* Effect.dieMessage(
                `stored event ${row.position} (${row.type}) no longer matches its schema: ${decoded.left.message}`
              )
            }
            const data = decoded.right
            for (const { handler } of handlers) yield* tx.runAll(handler({ ...event, data }))
            replayed++
          }
          if (rows.length < PAGE) break
          after = rows[rows.length - 1]!.position
        }
        return { projections: selected, events: replayed }
      })
    )
  })
