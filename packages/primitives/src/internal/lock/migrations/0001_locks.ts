import type { Migration } from "../../../Migration.js"

/**
 * `locks`: one row per (project, resource) that was ever locked, kept forever so that `fence` (the
 * last fencing token issued) never goes back, whatever happens to the lease: a released or expired
 * lock keeps its row with `holder` NULL (released) or a past `expires_at` (expired). A lookup is one
 * primary-key probe of a WITHOUT ROWID table; the row is the only thing an acquisition reads.
 */
export const migration: Migration = {
  version: 1,
  name: "locks",
  sql: `
CREATE TABLE locks (
  project     TEXT    NOT NULL,
  resource    TEXT    NOT NULL,
  holder      TEXT,
  fence       INTEGER NOT NULL,
  acquired_at INTEGER,
  expires_at  INTEGER,
  PRIMARY KEY (project, resource)
) STRICT, WITHOUT ROWID;
`
}
