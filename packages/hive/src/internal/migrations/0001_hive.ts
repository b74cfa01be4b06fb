import type { Migration } from "@waggle/primitives"

/**
 * The hive's projection tables (and the sync bookkeeping, which is not a projection).
 *
 * - `queue` is the ready-ness of a cell: its status when it is open or in progress, not blocked and
 *   not deleted, else NULL. The partial indexes on it make the ready queue and `claimNext` an index
 *   range scan with LIMIT, whatever the number of closed or blocked cells.
 * - `open_blockers` counts the cell's `blocks` dependencies on cells that are neither closed nor
 *   deleted; `blocked` is `open_blockers > 0` or a blocked (live) parent. Both are maintained by the
 *   projection handlers, in SQL, when blockers close, reopen, are deleted, or links change.
 */
export const migration: Migration = {
  version: 1,
  name: "hive",
  sql: `
CREATE TABLE hive_cells (
  project       TEXT    NOT NULL,
  id            TEXT    NOT NULL,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL,
  type          TEXT    NOT NULL CHECK (type IN ('task', 'bug', 'feature', 'epic', 'chore')),
  status        TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'blocked', 'closed')),
  priority      INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
  assignee      TEXT,
  files         TEXT    NOT NULL,
  parent        TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  closed_at     INTEGER,
  closed_reason TEXT,
  result        TEXT,
  deleted_at    INTEGER,
  next_child    INTEGER NOT NULL DEFAULT 1,
  open_blockers INTEGER NOT NULL DEFAULT 0,
  blocked       INTEGER NOT NULL DEFAULT 0,
  queue         TEXT GENERATED ALWAYS AS (
    CASE WHEN deleted_at IS NULL AND blocked = 0 AND status IN ('open', 'in_progress') THEN status END
  ) VIRTUAL,
  PRIMARY KEY (project, id),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT, WITHOUT ROWID;

CREATE INDEX hive_cells_ready ON hive_cells (project, queue, priority, created_at, id) WHERE queue IS NOT NULL;
CREATE INDEX hive_cells_ready_assignee ON hive_cells (project, queue, assignee, priority, created_at, id) WHERE queue IS NOT NULL;
CREATE INDEX hive_cells_ready_age ON hive_cells (project, queue, created_at, id) WHERE queue IS NOT NULL;
CREATE INDEX hive_cells_parent ON hive_cells (project, parent);
CREATE INDEX hive_cells_status ON hive_cells (project, status, priority, created_at);

CREATE TABLE hive_deps (
  project    TEXT    NOT NULL,
  from_id    TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('blocks', 'related', 'discovered-from')),
  to_id      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project, from_id, kind, to_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX hive_deps_to ON hive_deps (project, to_id, kind, from_id);

CREATE TABLE hive_labels (
  project TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  label   TEXT NOT NULL,
  PRIMARY KEY (project, cell_id, label)
) STRICT, WITHOUT ROWID;
CREATE INDEX hive_labels_label ON hive_labels (project, label, cell_id);

CREATE TABLE hive_comments (
  project    TEXT    NOT NULL,
  cell_id    TEXT    NOT NULL,
  comment_id TEXT    NOT NULL,
  author     TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project, cell_id, comment_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE hive_counters (
  project TEXT    NOT NULL,
  name    TEXT    NOT NULL,
  value   INTEGER NOT NULL,
  PRIMARY KEY (project, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE hive_sessions (
  project    TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  agent      TEXT    NOT NULL,
  cell       TEXT,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER,
  handoff    TEXT,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX hive_sessions_agent ON hive_sessions (project, agent, started_at);

CREATE TABLE hive_sync_bases (
  project    TEXT    NOT NULL,
  workdir    TEXT    NOT NULL,
  file       TEXT    NOT NULL,
  content    TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project, workdir, file)
) STRICT;
`
}
