import type { Migration } from "@waggle/primitives"

/**
 * The swarm projections:
 * - `swarm_subtasks`: one row per cell the swarm has seen: who works it for whom, the last
 *   progress, the highest milestone checkpointed, the review state and the current completion
 *   (its plan and the steps done, as JSON).
 * - `swarm_checkpoints`: every checkpoint, by cell and log position (recovery reads the latest).
 * - `swarm_reviews`: every review verdict, by cell and log position.
 */
export const migration: Migration = {
  version: 1,
  name: "swarm",
  sql: `
CREATE TABLE swarm_subtasks (
  project             TEXT    NOT NULL,
  cell_id             TEXT    NOT NULL,
  epic_id             TEXT,
  worker              TEXT,
  coordinator         TEXT,
  strategy            TEXT,
  deferred_token      TEXT,
  spawned_at          INTEGER,
  progress_status     TEXT,
  progress_percent    INTEGER,
  progress_message    TEXT,
  progress_agent      TEXT,
  progress_files      TEXT    NOT NULL DEFAULT '[]',
  progress_blockers   TEXT    NOT NULL DEFAULT '[]',
  progress_at         INTEGER,
  milestone           INTEGER NOT NULL DEFAULT 0,
  last_checkpoint_at  INTEGER,
  rejections          INTEGER NOT NULL DEFAULT 0,
  review_status       TEXT,
  review_blocked      INTEGER NOT NULL DEFAULT 0,
  reviewed_at         INTEGER,
  completion_state    TEXT    NOT NULL DEFAULT 'none',
  completion_agent    TEXT,
  completion_position INTEGER,
  completion_at       INTEGER,
  completion_plan     TEXT,
  completion_steps    TEXT    NOT NULL DEFAULT '[]',
  completed_at        INTEGER,
  PRIMARY KEY (project, cell_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX swarm_subtasks_epic ON swarm_subtasks (project, epic_id);

CREATE TABLE swarm_checkpoints (
  project       TEXT    NOT NULL,
  cell_id       TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  epic_id       TEXT,
  agent         TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  milestone     INTEGER,
  percent       INTEGER,
  files         TEXT    NOT NULL,
  notes         TEXT,
  next_steps    TEXT    NOT NULL,
  error_context TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (project, cell_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX swarm_checkpoints_epic ON swarm_checkpoints (project, epic_id, position);

CREATE TABLE swarm_reviews (
  project    TEXT    NOT NULL,
  cell_id    TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  epic_id    TEXT,
  reviewer   TEXT    NOT NULL,
  worker     TEXT,
  status     TEXT    NOT NULL,
  summary    TEXT,
  issues     TEXT    NOT NULL,
  rejections INTEGER NOT NULL,
  blocked    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project, cell_id, position)
) STRICT, WITHOUT ROWID;
`
}
