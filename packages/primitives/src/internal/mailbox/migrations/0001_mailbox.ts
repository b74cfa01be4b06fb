import type { Migration } from "../../../Migration.js"

/**
 * The mailbox's projections.
 *
 * - `mail_messages`: one row per message, keyed by id; `position` is the `message_sent` event's
 *   log position, the order of "oldest" and "newest" everywhere (clocks of different processes may
 *   disagree, the log order cannot). Indexed by thread for `thread`.
 * - `mail_deliveries`: one row per (recipient, message), keyed in inbox order so that listings walk
 *   the primary key; `rank` is the importance as an integer (urgent 3 .. low 0). The partial index
 *   `mail_deliveries_queue` holds only unacknowledged deliveries, in the order `receive` hands them
 *   out, so acknowledged mail costs nothing to skip and a lease (an UPDATE of non-indexed columns)
 *   writes one page.
 */
export const migration: Migration = {
  version: 1,
  name: "mailbox",
  sql: `
CREATE TABLE mail_messages (
  project      TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  position     INTEGER NOT NULL,
  sender       TEXT    NOT NULL,
  recipients   TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  thread       TEXT    NOT NULL,
  importance   TEXT    NOT NULL,
  ack_required INTEGER NOT NULL,
  sent_at      INTEGER NOT NULL,
  PRIMARY KEY (project, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX mail_messages_by_thread ON mail_messages (project, thread, position);

CREATE TABLE mail_deliveries (
  project          TEXT    NOT NULL,
  recipient        TEXT    NOT NULL,
  position         INTEGER NOT NULL,
  message_id       TEXT    NOT NULL,
  rank             INTEGER NOT NULL,
  read_at          INTEGER,
  acked_at         INTEGER,
  lease_owner      TEXT,
  lease_receipt    TEXT,
  lease_expires_at INTEGER,
  delivery_count   INTEGER NOT NULL,
  PRIMARY KEY (project, recipient, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX mail_deliveries_queue ON mail_deliveries (project, recipient, rank DESC, position)
  WHERE acked_at IS NULL;
`
}
