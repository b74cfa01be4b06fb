import type { Migration } from "../../Migration.js"

/**
 * The append-only log.
 *
 * - `position` is the rowid: global, increasing, never reused (rows are never deleted).
 * - `project` is a small integer (see `projects`), which keeps the rows and the stream index small.
 * - One secondary index only, on (project, stream, version): it enforces one event per stream
 *   version and serves stream reads and the version check. Reads of a project's log walk the rowid
 *   order and filter on project; every extra index would be one more page written per commit.
 */
export const migration: Migration = {
  version: 1,
  name: "event_log",
  sql: `
CREATE TABLE projects (
  id  INTEGER PRIMARY KEY,
  key TEXT    NOT NULL UNIQUE
) STRICT;

CREATE TABLE events (
  position   INTEGER PRIMARY KEY,
  project    INTEGER NOT NULL,
  stream     TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  metadata   TEXT,
  created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX events_by_stream ON events (project, stream, version);
`
}
