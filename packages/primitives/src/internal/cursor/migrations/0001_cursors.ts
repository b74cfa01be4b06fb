import type { Migration } from "../../../Migration.js"

/**
 * Checkpoints of durable cursors: plain state, not a projection (see `DurableCursor`).
 *
 * - One row per (project, consumer name, canonical filter); `filter` is the filter's canonical JSON
 *   (`{"stream":…,"types":[…sorted]}`), so two consumers, or one consumer with two filters, never
 *   share a row.
 * - `position` is a global log position: every event of the project at or before it that matches
 *   the filter has been processed. It only grows, except through an explicit rewind.
 */
export const migration: Migration = {
  version: 1,
  name: "cursors",
  sql: `
CREATE TABLE cursors (
  project    TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  filter     TEXT    NOT NULL,
  position   INTEGER NOT NULL CHECK (position >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project, name, filter)
) STRICT, WITHOUT ROWID;
`
}
