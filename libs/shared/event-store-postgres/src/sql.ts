import { INDEX_BITS } from './position';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name is spliced into SQL text, so only plain lower-case identifiers are accepted. */
export const assertSchemaName = (schema: string): string => {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*, at most 63 characters`);
  }
  return schema;
};

/**
 * First key of this schema's two-key advisory locks (FNV-1a, 31 bits). Readers look for appenders
 * by this key in pg_locks, so each schema's log is held back only by its own appenders; a
 * collision between two schemas only makes their readers a little more cautious.
 */
export const appendLockClass = (schema: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < schema.length; i++) {
    h ^= schema.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x7fffffff;
};

const columns = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at, hash, prev_hash';

/**
 * All SQL text for one schema, built once. Values always travel as parameters; only the validated
 * schema name and numeric constants are spliced in.
 */
export class Statements {
  readonly lockClass: number;
  readonly notifyChannel: string;
  readonly schemaDdl: string[];
  readonly readOffset: string;
  readonly restoreCheck: string;
  readonly lockEventsTable: string;
  readonly setOffset: string;
  readonly lockStreams: string;
  readonly readStreamsAndIds: string;
  readonly insert: string;
  readonly insertAndNotify: string;
  readonly readAll: string;
  readonly headPosition: string;
  readonly lag: string;
  readonly readStreamForward: string;
  readonly readStreamBackward: string;
  readonly streamRevision: string;
  readonly getMetadata: string;
  readonly setMetadata: string;
  readonly listen: string;

  constructor(readonly schema: string) {
    const s = `"${assertSchemaName(schema)}"`;
    this.lockClass = appendLockClass(schema);
    this.notifyChannel = `gongzhi_events_${schema}`.slice(0, 63);
    this.listen = `LISTEN "${this.notifyChannel}"`;

    this.schemaDdl = [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      // position: see position.ts. tx_id is the writer's top-level transaction id, kept for
      // diagnosis (which transaction wrote this?) and for the restore check.
      `CREATE TABLE IF NOT EXISTS ${s}.events (
         position    bigint      PRIMARY KEY,
         tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
         event_id    text        NOT NULL,
         stream_id   text        COLLATE "C" NOT NULL,
         revision    integer     NOT NULL CHECK (revision >= 0),
         type        text        NOT NULL,
         data        jsonb       NOT NULL,
         metadata    jsonb       NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         hash        text        NOT NULL,
         prev_hash   text,
         CONSTRAINT events_event_id_key UNIQUE (event_id),
         CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
       )`,
      `CREATE TABLE IF NOT EXISTS ${s}.streams (
         stream_id  text        COLLATE "C" PRIMARY KEY,
         revision   integer     NOT NULL CHECK (revision >= 0),
         last_hash  text        NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE IF NOT EXISTS ${s}.stream_metadata (
         stream_id  text        COLLATE "C" PRIMARY KEY,
         metadata   jsonb       NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE IF NOT EXISTS ${s}.position_base (
         singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
         xid_offset bigint  NOT NULL DEFAULT 0 CHECK (xid_offset >= 0)
       )`,
      `INSERT INTO ${s}.position_base DEFAULT VALUES ON CONFLICT DO NOTHING`,
    ];

    this.readOffset = `SELECT xid_offset FROM ${s}.position_base`;
    // Every transaction that wrote a visible row got its id below the snapshot's xmax, so a
    // position at or above (xmax + offset) << 20 can only come from a cluster whose xids ran
    // ahead of this one's (a logical restore): new appends would sort before those rows.
    this.restoreCheck = `SELECT (SELECT max(position) FROM ${s}.events) >> ${INDEX_BITS} AS max_hi,
                                pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next_xid,
                                (SELECT xid_offset FROM ${s}.position_base) AS xid_offset`;
    this.lockEventsTable = `LOCK TABLE ${s}.events IN EXCLUSIVE MODE`;
    this.setOffset = `UPDATE ${s}.position_base SET xid_offset = $1`;

    // Sorted keys, one statement: appenders never deadlock on each other's stream locks. These
    // locks need no transaction id, which is what makes the read bound sound (position.ts).
    this.lockStreams = `SELECT pg_advisory_xact_lock($1::int4, k)
                          FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY 1) AS keys`;
    // Runs after the locks, in a new statement, so it sees every append that held them before us.
    this.readStreamsAndIds = `SELECT 's' AS kind, stream_id, revision, last_hash AS hash, NULL::text AS event_id, NULL::bigint AS position
                                FROM ${s}.streams WHERE stream_id = ANY($1::text[])
                              UNION ALL
                              SELECT 'e', stream_id, revision, NULL, event_id, position
                                FROM ${s}.events WHERE event_id = ANY($2::text[])`;

    // One statement writes the whole group's events and stream heads; its first write assigns the
    // transaction id, so the position's high bits are this transaction's id.
    const insertBody = `base AS (
           SELECT (pg_current_xact_id()::text::bigint + xid_offset) << ${INDEX_BITS} AS hi FROM ${s}.position_base
         ),
         ins AS (
           INSERT INTO ${s}.events (position, event_id, stream_id, revision, type, data, metadata, hash, prev_hash)
           SELECT base.hi | (u.ord - 1), u.event_id, u.stream_id, u.revision, u.type, u.data::jsonb, u.metadata::jsonb, u.hash, u.prev_hash
             FROM base, unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                  WITH ORDINALITY AS u(event_id, stream_id, revision, type, data, metadata, hash, prev_hash, ord)
           RETURNING event_id, position
         ),
         heads AS (
           INSERT INTO ${s}.streams (stream_id, revision, last_hash)
           SELECT * FROM unnest($9::text[], $10::int4[], $11::text[])
           ON CONFLICT (stream_id) DO UPDATE
             SET revision = excluded.revision, last_hash = excluded.last_hash, updated_at = now()
         )`;
    this.insert = `WITH ${insertBody} SELECT event_id, position FROM ins`;
    this.insertAndNotify = `WITH ${insertBody}, notified AS (SELECT pg_notify($12, '') AS n)
                            SELECT event_id, position FROM ins, notified`;


    // Scalar subquery: evaluated once, in the reading statement's own snapshot (position.ts).
    // pg_locks is read once (MATERIALIZED) so "still running" and "holds an append lock" come
    // from one consistent view of the lock table.
    const safeBound = `(
      WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
      locks AS MATERIALIZED (
        SELECT locktype, mode, granted, transactionid::text::bigint AS xid32, virtualtransaction, classid::bigint AS classid, objsubid
          FROM pg_locks
         WHERE (locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted)
            OR (locktype = 'advisory' AND objsubid = 2 AND granted)
      ),
      ignorable AS (
        SELECT r.xid32 FROM locks r
         WHERE r.locktype = 'transactionid'
           AND NOT EXISTS (SELECT 1 FROM locks a WHERE a.locktype = 'advisory' AND a.classid = ${this.lockClass}
                                                  AND a.virtualtransaction = r.virtualtransaction)
      )
      SELECT (coalesce(
                (SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) AS x
                  WHERE NOT EXISTS (SELECT 1 FROM ignorable i WHERE i.xid32 = (x::text::bigint & 4294967295))),
                (SELECT pg_snapshot_xmax(snap.s)::text::bigint FROM snap))
              + (SELECT xid_offset FROM ${s}.position_base)) << ${INDEX_BITS}
    )`;

    this.readAll = `SELECT ${columns} FROM ${s}.events
                     WHERE position > $1 AND position < ${safeBound}
                     ORDER BY position LIMIT $2`;
    this.headPosition = `SELECT coalesce(max(position), 0) AS head FROM ${s}.events WHERE position < ${safeBound}`;
    this.lag = `WITH bound AS MATERIALIZED (SELECT ${safeBound} AS b)
                SELECT (SELECT coalesce(max(position), 0) FROM ${s}.events) AS head,
                       (SELECT coalesce(max(position), 0) FROM ${s}.events, bound WHERE position < bound.b) AS safe_head,
                       (SELECT count(*) FROM ${s}.events WHERE position > $1) AS behind,
                       (SELECT count(*) FROM ${s}.events, bound WHERE position > $1 AND position >= bound.b) AS held_back`;

    this.readStreamForward = `SELECT ${columns} FROM ${s}.events
                               WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;
    this.readStreamBackward = `SELECT ${columns} FROM ${s}.events
                                WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`;
    this.streamRevision = `SELECT revision FROM ${s}.streams WHERE stream_id = $1`;
    this.getMetadata = `SELECT metadata FROM ${s}.stream_metadata WHERE stream_id = $1`;
    this.setMetadata = `INSERT INTO ${s}.stream_metadata (stream_id, metadata) VALUES ($1, $2::jsonb)
                        ON CONFLICT (stream_id) DO UPDATE SET metadata = excluded.metadata, updated_at = now()`;
  }
}
