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
  readonly appendFunction: string;
  readonly appendGroup: string;
  readonly readAll: string;
  readonly headPosition: string;
  readonly lag: string;
  readonly readStreamForward: string;
  readonly readStreamBackward: string;
  readonly streamRevision: string;
  readonly getMetadata: string;
  readonly setMetadata: string;
  readonly listen: string;
  readonly notify = 'SELECT pg_notify($1, \'\')';

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
    // Read before deciding: unlocked on the fast path (append_group_v4 re-checks it under the
    // locks), or after lockStreams in the same transaction on the contended path. Index probes
    // per key (LATERAL ... LIMIT 1), whatever plan the connection cached while the tables were
    // small (see append_group_v4).
    this.readStreamsAndIds = `SELECT 's' AS kind, st.stream_id, st.revision, st.last_hash AS hash, NULL::text AS event_id, NULL::bigint AS position
                                FROM (SELECT DISTINCT id FROM unnest($1::text[]) AS id) AS k
                                CROSS JOIN LATERAL (SELECT stream_id, revision, last_hash FROM ${s}.streams WHERE stream_id = k.id LIMIT 1) AS st
                              UNION ALL
                              SELECT 'e', e.stream_id, e.revision, NULL, e.event_id, e.position
                                FROM (SELECT DISTINCT id FROM unnest($2::text[]) AS id) AS g
                                CROSS JOIN LATERAL (SELECT stream_id, revision, event_id, position FROM ${s}.events WHERE event_id = g.id LIMIT 1) AS e`;

    // The write half of an append, as one server-side call: take the stream locks, check that
    // the stream heads and stored ids are still what the caller decided on, then insert every
    // accepted event and move the stream heads. Returns the high bits of the positions (row i of
    // the batch gets hi | i), or NULL when the check fails and the caller must decide again.
    // Called on its own it is a whole transaction: locks, write and commit in one round trip.
    // Each statement of a VOLATILE plpgsql function takes a new snapshot in READ COMMITTED, so the
    // check after the locks sees every append that held them before. The transaction id is
    // assigned by pg_current_xact_id() after the locks (position.ts).
    this.appendFunction = `${s}.append_group_v4`;
    this.schemaDdl.push(`CREATE OR REPLACE FUNCTION ${this.appendFunction}(
         p_lock_class int4, p_streams text[], p_head_revisions int4[], p_head_hashes text[],
         p_group_ids text[], p_known_ids int4, p_rows jsonb,
         p_new_heads text[], p_new_revisions int4[], p_new_hashes text[])
       RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
       DECLARE hi bigint;
       BEGIN
         PERFORM pg_advisory_xact_lock(p_lock_class, k)
            FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest(p_streams) AS x ORDER BY 1) AS keys;
         -- LATERAL ... LIMIT 1 keeps these index probes, one per stream and one per event id: a
         -- hash join would scan streams, and a plain "event_id = ANY(...)" was cached by plpgsql
         -- as a sequential scan of events when the table was new (an append slowed with the size
         -- of the log until the next ANALYZE, seen in tools/bench).
         IF EXISTS (SELECT 1 FROM unnest(p_streams, p_head_revisions, p_head_hashes) AS a(stream_id, revision, hash)
                      LEFT JOIN LATERAL (SELECT revision, last_hash FROM ${s}.streams st WHERE st.stream_id = a.stream_id LIMIT 1) st ON true
                     WHERE st.revision IS DISTINCT FROM a.revision OR st.last_hash IS DISTINCT FROM a.hash)
            OR (SELECT count(*) FROM (SELECT DISTINCT id FROM unnest(p_group_ids) AS id) AS g
                  CROSS JOIN LATERAL (SELECT 1 FROM ${s}.events e WHERE e.event_id = g.id LIMIT 1) AS stored) <> p_known_ids THEN
           RETURN NULL;
         END IF;
         SELECT (pg_current_xact_id()::text::bigint + xid_offset) << ${INDEX_BITS} INTO hi FROM ${s}.position_base;
         -- Rows arrive as one jsonb array (i: id, s: stream, r: revision, t: type, d: data,
         -- m: metadata, h: hash, p: previous hash): data and metadata are parsed once, as jsonb.
         INSERT INTO ${s}.events (position, event_id, stream_id, revision, type, data, metadata, hash, prev_hash)
         SELECT hi | (u.ord - 1), u.e->>'i', u.e->>'s', (u.e->>'r')::int4, u.e->>'t', u.e->'d', u.e->'m', u.e->>'h', u.e->>'p'
           FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS u(e, ord);
         INSERT INTO ${s}.streams (stream_id, revision, last_hash)
         SELECT * FROM unnest(p_new_heads, p_new_revisions, p_new_hashes)
         ON CONFLICT (stream_id) DO UPDATE
           SET revision = excluded.revision, last_hash = excluded.last_hash, updated_at = now();
         RETURN hi;
       END
       $fn$`);
    this.appendGroup = `SELECT ${this.appendFunction}(${Array.from({ length: 10 }, (_, i) => `$${i + 1}`).join(', ')}) AS hi`;

    // The read bound (position.ts), computed once per statement in the statement's own snapshot.
    // pg_locks is read once (MATERIALIZED), so "still running" and "holds an append lock" come
    // from one consistent view of the lock table. `retry` says the bound was set by a transaction
    // that ended between the snapshot and the pg_locks read: it may have been no appender at all,
    // and a new statement (new snapshot) will usually see further, so the caller reads again.
    const boundCtes = `snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
      locks AS MATERIALIZED (
        SELECT locktype, transactionid::text::bigint AS xid32, virtualtransaction, classid::bigint AS classid
          FROM pg_locks
         WHERE (locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted)
            OR (locktype = 'advisory' AND objsubid = 2 AND granted)
      ),
      xip AS MATERIALIZED (
        SELECT x.x,
               r.virtualtransaction IS NOT NULL AS running,
               EXISTS (SELECT 1 FROM locks a WHERE a.locktype = 'advisory' AND a.classid = ${this.lockClass}
                                              AND a.virtualtransaction = r.virtualtransaction) AS appending
          FROM (SELECT x::text::bigint AS x FROM snap, pg_snapshot_xip(snap.s) AS x) AS x
          LEFT JOIN locks r ON r.locktype = 'transactionid' AND r.xid32 = (x.x & 4294967295)
      ),
      bound AS MATERIALIZED (
        SELECT (coalesce((SELECT min(x) FROM xip WHERE appending OR NOT running),
                         (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap))
                + (SELECT xid_offset FROM ${s}.position_base)) << ${INDEX_BITS} AS b,
               coalesce((SELECT min(x) FROM xip WHERE NOT running)
                        < coalesce((SELECT min(x) FROM xip WHERE appending), 9223372036854775807), false) AS retry
      )`;

    // LEFT JOIN: one row even when no event is returned, so `retry` always comes back.
    this.readAll = `WITH ${boundCtes}
                    SELECT bound.retry, e.* FROM bound LEFT JOIN LATERAL (
                      SELECT ${columns} FROM ${s}.events
                       WHERE position > $1 AND position < bound.b
                       ORDER BY position LIMIT $2) AS e ON true`;
    this.headPosition = `WITH ${boundCtes}
                         SELECT bound.retry, (SELECT coalesce(max(position), 0) FROM ${s}.events WHERE position < bound.b) AS head
                           FROM bound`;
    this.lag = `WITH ${boundCtes}
                SELECT bound.retry,
                       (SELECT coalesce(max(position), 0) FROM ${s}.events) AS head,
                       (SELECT coalesce(max(position), 0) FROM ${s}.events WHERE position < bound.b) AS safe_head,
                       (SELECT count(*) FROM ${s}.events WHERE position > $1) AS behind,
                       (SELECT count(*) FROM ${s}.events WHERE position > $1 AND position >= bound.b) AS held_back
                  FROM bound`;

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
