import type { Migration } from "@waggle/primitives"

/**
 * The learning projections. Rows hold facts with their event times only; decayed values are
 * computed when read (a rebuild reproduces every row exactly).
 *
 * - `learning_outcomes`: one row per recorded outcome, keyed by its log position; indexed by
 *   strategy and time for the windowed success rates, and by cell.
 * - `learning_evidence`: one row per (subject, outcome/use): kind is pattern, strategy, rule or
 *   skill. The primary key walks one subject's evidence in log order.
 * - `learning_subjects`: one row per pattern or strategy ever observed: the maturity of its last
 *   transition, the first promotion times (kept), its last validation, its inversion.
 * - `learning_history`: transitions, validations and inversions per subject, in log order.
 * - `learning_strategies`, `learning_rules`, `learning_skills`: registrations.
 */
export const migration: Migration = {
  version: 1,
  name: "learning",
  sql: `
CREATE TABLE learning_outcomes (
  project       TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  cell_id       TEXT    NOT NULL,
  epic_id       TEXT,
  task          TEXT,
  strategy      TEXT,
  patterns      TEXT    NOT NULL,
  duration_ms   REAL    NOT NULL,
  success       INTEGER NOT NULL,
  error_count   INTEGER NOT NULL,
  retry_count   INTEGER NOT NULL,
  files_touched TEXT    NOT NULL,
  failure_mode  TEXT,
  criteria      TEXT,
  score         REAL    NOT NULL,
  signal        TEXT    NOT NULL,
  recorded_at   INTEGER NOT NULL,
  PRIMARY KEY (project, position)
) STRICT;

CREATE INDEX learning_outcomes_by_strategy ON learning_outcomes (project, strategy, recorded_at);
CREATE INDEX learning_outcomes_by_cell ON learning_outcomes (project, cell_id, position);

CREATE TABLE learning_evidence (
  project  TEXT    NOT NULL,
  kind     TEXT    NOT NULL,
  subject  TEXT    NOT NULL,
  position INTEGER NOT NULL,
  at       INTEGER NOT NULL,
  signal   TEXT    NOT NULL,
  success  INTEGER NOT NULL,
  score    REAL    NOT NULL,
  note     TEXT,
  PRIMARY KEY (project, kind, subject, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE learning_subjects (
  project               TEXT    NOT NULL,
  kind                  TEXT    NOT NULL,
  name                  TEXT    NOT NULL,
  first_seen_at         INTEGER NOT NULL,
  maturity              TEXT    NOT NULL,
  maturity_changed_at   INTEGER,
  first_established_at  INTEGER,
  first_proven_at       INTEGER,
  validated_at          INTEGER,
  inverted_at           INTEGER,
  anti_pattern          TEXT,
  inverted_failure_rate REAL,
  PRIMARY KEY (project, kind, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE learning_history (
  project  TEXT    NOT NULL,
  kind     TEXT    NOT NULL,
  subject  TEXT    NOT NULL,
  position INTEGER NOT NULL,
  type     TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  detail   TEXT    NOT NULL,
  PRIMARY KEY (project, kind, subject, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE learning_strategies (
  project       TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  description   TEXT    NOT NULL,
  keywords      TEXT    NOT NULL,
  registered_at INTEGER NOT NULL,
  PRIMARY KEY (project, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE learning_rules (
  project       TEXT    NOT NULL,
  id            TEXT    NOT NULL,
  text          TEXT    NOT NULL,
  source        TEXT,
  added_at      INTEGER NOT NULL,
  retired_at    INTEGER,
  retire_reason TEXT,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE learning_skills (
  project     TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL,
  template    TEXT    NOT NULL,
  tags        TEXT    NOT NULL,
  added_at    INTEGER NOT NULL,
  PRIMARY KEY (project, name)
) STRICT, WITHOUT ROWID;
`
}
