import type { Migration } from "../../../Migration.js"

/**
 * The `deferreds` projection. `value` is the resolved value as JSON text; `reason` the rejection's
 * reason; `completed_at` the time of the completing event. A pending row whose `expires_at` has
 * passed is expired: that is decided when reading, never written.
 */
export const migration: Migration = {
  version: 1,
  name: "deferreds",
  sql: `
CREATE TABLE deferreds (
  project      TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  state        TEXT    NOT NULL CHECK (state IN ('pending', 'resolved', 'rejected')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  completed_at INTEGER,
  value        TEXT,
  reason       TEXT,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;
`
}
