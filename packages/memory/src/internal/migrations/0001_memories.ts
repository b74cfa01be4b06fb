import type { Migration } from "@waggle/primitives"

/**
 * The memories' projections.
 *
 * - `memories`: one row per memory. A rowid table on purpose: rows are large (an embedding of
 *   1–4 KiB and up to 32 KiB of content), and SQLite keeps large rows efficiently only in rowid
 *   tables. The rowid `seq` is the log position of the memory's `memory_stored` event, so it is
 *   the same after a rebuild, and the full-text rows use it as their rowid. `(project, id)` is
 *   unique and every query filters on `project`. Column order puts the small columns and the
 *   vector before the content, so reading a vector never walks a long content's overflow pages.
 *   `embedding` is little-endian float32 (what `vector_distance_cos` reads); `sketch` (its binary
 *   sketch) and `qvec` (int8) feed the in-process candidate scan.
 * - `memory_tags`: (project, tag, seq), for tag filters.
 * - `memories_fts`: FTS5 over content and tags (plain `unicode61`, no stemming: full text is the
 *   literal retriever, the hashed embedder's character trigrams cover word variants), with the
 *   project as an unindexed column; `memories_fts_terms` is its vocabulary, used to leave very
 *   common query terms out of large searches.
 * - `memory_links`: typed links, unique per (source, target, type).
 * - `memory_access`: last access and count per memory. NOT a projection: reads would have to
 *   append an event each, so the service updates it directly; it survives rebuilds (keyed by id).
 */
export const migration: Migration = {
  version: 1,
  name: "memories",
  sql: `
CREATE TABLE memories (
  seq           INTEGER PRIMARY KEY,
  project       TEXT    NOT NULL,
  id            TEXT    NOT NULL,
  collection    TEXT    NOT NULL,
  confidence    REAL    NOT NULL,
  valid_from    INTEGER NOT NULL,
  valid_until   INTEGER,
  superseded_by TEXT,
  validated_at  INTEGER,
  embedder      TEXT    NOT NULL,
  sketch        BLOB    NOT NULL,
  qvec          BLOB    NOT NULL,
  embedding     BLOB    NOT NULL,
  tags          TEXT    NOT NULL,
  metadata      TEXT    NOT NULL,
  source        TEXT,
  content       TEXT    NOT NULL,
  UNIQUE (project, id)
) STRICT;

CREATE INDEX memories_by_time ON memories (project, valid_from);
CREATE INDEX memories_by_collection ON memories (project, collection, valid_from);
CREATE INDEX memories_by_embedder ON memories (project, embedder);
CREATE INDEX memories_by_successor ON memories (project, superseded_by) WHERE superseded_by IS NOT NULL;

CREATE TABLE memory_tags (
  project TEXT    NOT NULL,
  tag     TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (project, tag, seq)
) STRICT, WITHOUT ROWID;

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, tags, project UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE memories_fts_terms USING fts5vocab(memories_fts, 'row');

CREATE TABLE memory_links (
  project    TEXT    NOT NULL,
  source     TEXT    NOT NULL,
  target     TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  strength   REAL    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project, source, target, type)
) STRICT, WITHOUT ROWID;

CREATE INDEX memory_links_by_target ON memory_links (project, target);

CREATE TABLE memory_access (
  project          TEXT    NOT NULL,
  id               TEXT    NOT NULL,
  last_accessed_at INTEGER NOT NULL,
  access_count     INTEGER NOT NULL,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;
`
}
