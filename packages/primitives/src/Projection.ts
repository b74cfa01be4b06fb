/**
 * Projections: declarative event → table changes. Each handler turns one event into SQL statements
 * that run in the same transaction as the append, so the log and every view always agree, and a
 * rebuild (replaying the log into emptied tables) reproduces the same rows.
 *
 * Rules for a handler: use only the event (its data, stream, position, `createdAt`) and the rows
 * already in the tables, never the clock or randomness; every table a projection owns has a
 * `project` column, and the handler writes `event.project` into it.
 */
import type { EventDefinition, RecordedEvent } from "./Event.js"
import type { Statement } from "./Sql.js"

export type Handler<T extends string = string, A = unknown> = (
  event: RecordedEvent<T, A>
) => ReadonlyArray<Statement>

export interface Projection {
  readonly name: string
  /** The tables this projection owns; a rebuild deletes the project's rows from them first. */
  readonly tables: ReadonlyArray<string>
  readonly handlers: ReadonlyMap<string, Handler<string, any>>
  /** Adds the handler for one event type (a new projection; this one is unchanged). */
  readonly on: <T extends string, A>(event: EventDefinition<T, A, any>, handler: Handler<T, A>) => Projection
}

const build = (name: string, tables: ReadonlyArray<string>, handlers: ReadonlyMap<string, Handler<string, any>>): Projection => ({
  name,
  tables,
  handlers,
  on: (event, handler) => build(name, tables, new Map([...handlers, [event.type, handler as Handler<string, any>]]))
})

/**
 * ```ts
 * const inbox = Projection.make("mail_inbox", ["mail_messages"])
 *   .on(MessageSent, (e) => [sql`INSERT INTO mail_messages ... VALUES (${e.project}, ${e.data.id}, ...)`])
 * ```
 */
export const make = (name: string, tables: ReadonlyArray<string>): Projection => build(name, tables, new Map())
