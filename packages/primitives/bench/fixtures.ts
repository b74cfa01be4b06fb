/** A bench module: one event type with a one-statement projection, like a typical Waggle write. */
import { Schema } from "effect"
import { Event, EventModule, Projection, sql } from "../src/index.js"

export const ItemRecorded = Event.define("bench_item_recorded", {
  id: Schema.String,
  title: Schema.String,
  tags: Schema.Array(Schema.String)
})

export const BenchModule = EventModule.make({
  name: "bench",
  migrations: [{
    version: 1,
    name: "items",
    sql: `CREATE TABLE bench_items (
      project TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, updated_at INTEGER NOT NULL,
      PRIMARY KEY (project, id)) STRICT, WITHOUT ROWID`
  }],
  events: [ItemRecorded],
  projections: [
    Projection.make("bench_items", ["bench_items"]).on(ItemRecorded, (e) => [
      sql`INSERT INTO bench_items (project, id, title, updated_at) VALUES (${e.project}, ${e.data.id}, ${e.data.title}, ${e.createdAt})
          ON CONFLICT (project, id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at`
    ])
  ]
})

export const item = (i: number) => ItemRecorded.make({ id: `item-${i}`, title: "a typical event payload", tags: ["a", "b"] })
