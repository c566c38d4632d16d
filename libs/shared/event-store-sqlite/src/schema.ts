import type { Database } from 'better-sqlite3';

/** Bumped when the tables change; a file written by a newer version is refused. */
export const SCHEMA_VERSION = 1;

/**
 * - `position` INTEGER PRIMARY KEY AUTOINCREMENT: SQLite has one writer at a time, so positions
 *   are handed out in commit order and a reader can never see a later position before an
 *   earlier one commits (no ES-9 gap); AUTOINCREMENT never reuses a position.
 * - `event_id` UNIQUE across the store, not per stream (ES-4: no duplicate row, ever).
 * - UNIQUE(stream_id, revision) backs the optimistic concurrency check, and is the index every
 *   stream read and "last revision" lookup uses.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS events (
  position     INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id     TEXT    NOT NULL UNIQUE,
  stream_id    TEXT    NOT NULL,
  revision     INTEGER NOT NULL CHECK (revision >= 0),
  type         TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  metadata     TEXT    NOT NULL,
  recorded_at  INTEGER NOT NULL,
  hash         TEXT    NOT NULL,
  prev_hash    TEXT,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS stream_metadata (
  stream_id   TEXT PRIMARY KEY,
  metadata    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * WAL lets readers (subscriptions, other processes) run while one process writes; FULL syncs the
 * WAL on every commit, so an acknowledged append survives power loss, not just a process crash
 * (NORMAL, the usual WAL pairing, may lose the last commits on power loss).
 */
export const configureWritable = (db: Database, busyTimeoutMs: number): void => {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
  if (mode !== 'wal' && db.name !== ':memory:' && db.name !== '') {
    throw new Error(`SQLite event store ${db.name}: could not switch to WAL (journal_mode=${mode})`);
  }
  db.pragma('synchronous = FULL');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(`SQLite event store ${db.name}: schema version ${version} is newer than this code (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
};

export const configureReadOnly = (db: Database, busyTimeoutMs: number): void => {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version !== SCHEMA_VERSION) {
    throw new Error(`SQLite event store ${db.name}: schema version ${version}, expected ${SCHEMA_VERSION}`);
  }
};
