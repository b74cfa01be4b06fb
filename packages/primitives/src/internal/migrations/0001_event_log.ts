import type { Migration } from "../../Migration.js"

/** The append-only log. `position` is the rowid: global, increasing, never reused (rows are never deleted). */
export const migration: Migration = {
  version: 1,
  name: "event_log",
  sql: `
CREATE TABLE events (
  position   INTEGER PRIMARY KEY,
  project    TEXT    NOT NULL,
  stream     TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  metadata   TEXT,
  created_at INTEGER NOT NULL
) STRICT;

-- one row per (stream, version): the optimistic-concurrency guarantee and the stream read path
CREATE UNIQUE INDEX events_by_stream ON events (project, stream, version);
-- the project's log in order (readAll, follow, rebuild) and by type
CREATE INDEX events_by_project ON events (project, position);
CREATE INDEX events_by_type ON events (project, type, position);
`
}
