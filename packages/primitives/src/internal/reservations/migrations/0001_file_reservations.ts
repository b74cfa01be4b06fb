import type { Migration } from "../../../Migration.js"

/**
 * `file_reservations`: one row per live (or not yet cleaned up) reservation. The primary key is the
 * id; the unique (project, agent, pattern) index makes re-reserving a pattern an update of the same
 * row and serves "release mine" and release by path. Conflict checks read all of a project's rows
 * whose `expires_at` is in the future: overlap of glob patterns is decided in code, not by SQL.
 */
export const migration: Migration = {
  version: 1,
  name: "file_reservations",
  sql: `
CREATE TABLE file_reservations (
  project    TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  agent      TEXT    NOT NULL,
  pattern    TEXT    NOT NULL,
  exclusive  INTEGER NOT NULL,
  reason     TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX file_reservations_by_agent ON file_reservations (project, agent, pattern);
`
}
