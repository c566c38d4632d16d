import type { DataSource } from 'typeorm';
import { readStoreKind, withWriteLock } from '@gongzhi/projections';

/**
 * Where the relay keeps its position in the global log, and who may publish.
 *
 * - The position moves only forward, by compare-and-set from the value the relay started the
 *   batch with, and only by the lease holder: a stale or second relay instance can never move it
 *   (nor back), and one publishing instance at a time keeps per-aggregate order on the topics.
 * - The relay saves the position only after the broker acknowledged everything up to it, so a
 *   crash in between resends (duplicates, deduplicated by CloudEvents id), never skips.
 */
export interface RelayCheckpoint {
  name: string;
  /** Last global position published (0n: nothing yet). */
  position: bigint;
  /** Events withheld so far (no mapping error, personal data refused), for operators. */
  withheld: number;
  lastWithheldEventId: string | null;
  lastWithheldReason: string | null;
  leaseOwner: string | null;
}

export interface RelayCheckpointStore {
  /** Creates the table if needed (idempotent). */
  ensureSchema(): Promise<void>;
  /** Takes the lease when free, expired or already ours; returns the checkpoint when we hold it. */
  acquire(name: string, owner: string, leaseMs: number): Promise<RelayCheckpoint | undefined>;
  /** Extends our lease; false when it is no longer ours. */
  renew(name: string, owner: string, leaseMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
  /**
   * Moves the position from `from` to `to` (> from) and extends the lease, if we still hold it
   * and nobody moved the position; adds `withheld` to the counter. False: lease lost.
   */
  advance(
    name: string,
    owner: string,
    args: { from: bigint; to: bigint; leaseMs: number; withheld?: { count: number; lastEventId: string; lastReason: string } },
  ): Promise<boolean>;
  get(name: string): Promise<RelayCheckpoint | undefined>;
}

/** For unit tests and single-process tools: the same rules, in memory, on the process clock. */
export class InMemoryRelayCheckpointStore implements RelayCheckpointStore {
  private readonly rows = new Map<string, RelayCheckpoint & { leaseExpiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async ensureSchema(): Promise<void> {
    // Nothing to create.
  }

  async acquire(name: string, owner: string, leaseMs: number): Promise<RelayCheckpoint | undefined> {
    const row = this.rows.get(name) ?? {
      name,
      position: 0n,
      withheld: 0,
      lastWithheldEventId: null,
      lastWithheldReason: null,
      leaseOwner: null,
      leaseExpiresAt: 0,
    };
    this.rows.set(name, row);
    if (row.leaseOwner !== null && row.leaseOwner !== owner && row.leaseExpiresAt >= this.now()) return undefined;
    row.leaseOwner = owner;
    row.leaseExpiresAt = this.now() + leaseMs;
    return this.copy(row);
  }

  async renew(name: string, owner: string, leaseMs: number): Promise<boolean> {
    const row = this.rows.get(name);
    if (!row || row.leaseOwner !== owner) return false;
    row.leaseExpiresAt = this.now() + leaseMs;
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    const row = this.rows.get(name);
    if (row && row.leaseOwner === owner) {
      row.leaseOwner = null;
      row.leaseExpiresAt = 0;
    }
  }

  async advance(
    name: string,
    owner: string,
    args: { from: bigint; to: bigint; leaseMs: number; withheld?: { count: number; lastEventId: string; lastReason: string } },
  ): Promise<boolean> {
    const row = this.rows.get(name);
    if (!row || row.leaseOwner !== owner || row.position !== args.from || args.to <= args.from) return false;
    row.position = args.to;
    row.leaseExpiresAt = this.now() + args.leaseMs;
    if (args.withheld && args.withheld.count > 0) {
      row.withheld += args.withheld.count;
      row.lastWithheldEventId = args.withheld.lastEventId;
      row.lastWithheldReason = args.withheld.lastReason;
    }
    return true;
  }

  async get(name: string): Promise<RelayCheckpoint | undefined> {
    const row = this.rows.get(name);
    return row ? this.copy(row) : undefined;
  }

  private copy(row: RelayCheckpoint): RelayCheckpoint {
    const { name, position, withheld, lastWithheldEventId, lastWithheldReason, leaseOwner } = row;
    return { name, position, withheld, lastWithheldEventId, lastWithheldReason, leaseOwner };
  }
}

export const RELAY_CHECKPOINT_TABLE = 'integration_relay_checkpoints';

const COLUMNS = `name, CAST(position AS TEXT) AS position, withheld, last_withheld_event_id, last_withheld_reason, lease_owner`;

const toCheckpoint = (r: Record<string, unknown>): RelayCheckpoint => ({
  name: String(r.name),
  position: BigInt(String(r.position ?? '0')),
  withheld: Number(r.withheld ?? 0),
  lastWithheldEventId: (r.last_withheld_event_id as string | null) ?? null,
  lastWithheldReason: (r.last_withheld_reason as string | null) ?? null,
  leaseOwner: (r.lease_owner as string | null) ?? null,
});

/**
 * The checkpoint as a row of `integration_relay_checkpoints` in the read store (SQLite or
 * PostgreSQL, through TypeORM's DataSource). Lease times use the database's clock, so relays on
 * machines with skewed clocks still agree. On SQLite every statement goes through the read
 * store's write queue (`withWriteLock`), shared with the projections on the same connection.
 */
export class SqlRelayCheckpointStore implements RelayCheckpointStore {
  private readonly kind: 'sqlite' | 'postgres';
  private readonly table: string;
  private readonly nowMs: string;
  private readonly nowTs: string;

  constructor(
    private readonly dataSource: DataSource,
    tableName = RELAY_CHECKPOINT_TABLE,
  ) {
    this.kind = readStoreKind(dataSource);
    const schema = this.kind === 'postgres' ? (dataSource.options as { schema?: string }).schema : undefined;
    this.table = schema ? `${dataSource.driver.escape(schema)}.${dataSource.driver.escape(tableName)}` : dataSource.driver.escape(tableName);
    this.nowMs =
      this.kind === 'postgres'
        ? 'CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)'
        : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
    this.nowTs = this.kind === 'postgres' ? 'clock_timestamp()' : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  }

  async ensureSchema(): Promise<void> {
    const ts = this.kind === 'postgres' ? 'TIMESTAMPTZ' : 'TEXT';
    await this.run(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        name VARCHAR(200) NOT NULL PRIMARY KEY,
        position BIGINT NOT NULL DEFAULT 0,
        withheld INTEGER NOT NULL DEFAULT 0,
        last_withheld_event_id VARCHAR(200) NULL,
        last_withheld_reason TEXT NULL,
        lease_owner VARCHAR(200) NULL,
        lease_expires_at BIGINT NULL,
        updated_at ${ts} NOT NULL
      )`,
      {},
    ).catch(async (e) => {
      // Two processes creating it at once on PostgreSQL: one loses on the catalog's unique index.
      if (!(await this.get('').then(() => true, () => false))) throw e;
    });
  }

  async acquire(name: string, owner: string, leaseMs: number): Promise<RelayCheckpoint | undefined> {
    await this.run(`INSERT INTO ${this.table} (name, updated_at) VALUES (:name, ${this.nowTs}) ON CONFLICT (name) DO NOTHING`, { name });
    const rows = await this.run(
      `UPDATE ${this.table} SET lease_owner = :owner, lease_expires_at = ${this.nowMs} + :leaseMs, updated_at = ${this.nowTs}
       WHERE name = :name AND (lease_owner IS NULL OR lease_owner = :owner OR lease_expires_at < ${this.nowMs})
       RETURNING ${COLUMNS}`,
      { name, owner, leaseMs },
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async renew(name: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.run(
      `UPDATE ${this.table} SET lease_expires_at = ${this.nowMs} + :leaseMs WHERE name = :name AND lease_owner = :owner RETURNING name`,
      { name, owner, leaseMs },
    );
    return rows.length === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.run(
      `UPDATE ${this.table} SET lease_owner = NULL, lease_expires_at = NULL, updated_at = ${this.nowTs} WHERE name = :name AND lease_owner = :owner`,
      { name, owner },
    );
  }

  async advance(
    name: string,
    owner: string,
    args: { from: bigint; to: bigint; leaseMs: number; withheld?: { count: number; lastEventId: string; lastReason: string } },
  ): Promise<boolean> {
    const w = args.withheld && args.withheld.count > 0 ? args.withheld : undefined;
    const rows = await this.run(
      `UPDATE ${this.table} SET position = CAST(:to AS BIGINT), lease_expires_at = ${this.nowMs} + :leaseMs,
         withheld = withheld + :withheld,
         last_withheld_event_id = COALESCE(:lastEventId, last_withheld_event_id),
         last_withheld_reason = COALESCE(:lastReason, last_withheld_reason),
         updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner AND position = CAST(:from AS BIGINT) AND position < CAST(:to AS BIGINT)
       RETURNING name`,
      {
        name,
        owner,
        from: args.from.toString(),
        to: args.to.toString(),
        leaseMs: args.leaseMs,
        withheld: w?.count ?? 0,
        lastEventId: w?.lastEventId ?? null,
        lastReason: w ? w.lastReason.slice(0, 2000) : null,
      },
    );
    return rows.length === 1;
  }

  async get(name: string): Promise<RelayCheckpoint | undefined> {
    const rows = await this.run(`SELECT ${COLUMNS} FROM ${this.table} WHERE name = :name`, { name });
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  private run(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return withWriteLock(this.dataSource, async () => {
      const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params, {});
      const result: unknown = await this.dataSource.query(text, values);
      // TypeORM's PostgreSQL driver answers an UPDATE with [rows, affected count].
      if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
        return result[0] as Record<string, unknown>[];
      }
      return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
    });
  }
}
