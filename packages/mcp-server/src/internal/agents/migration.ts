import type { Migration } from "@waggle/primitives"

/** The registry of agents that joined a project through `swarmmail_init` (a projection). */
export const migration: Migration = {
  version: 1,
  name: "agents",
  sql: `
CREATE TABLE waggle_agents (
  project       TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  task          TEXT,
  program       TEXT,
  model         TEXT,
  registered_at INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (project, name)
) STRICT, WITHOUT ROWID`
}
