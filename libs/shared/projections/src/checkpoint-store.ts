import type { DataSource, EntityManager } from 'typeorm';
import {
  nowMsSql,
  nowTimestampSql,
  readStoreKind,
  runSql,
  tablePath,
  withWriteLock,
  type ReadStoreKind,
} from './read-store';

export type CheckpointStatus = 'running' | 'failed';
export type CheckpointColumn = 'position' | 'rebuild_position';

/** One projection's row in `projection_checkpoints`. */
export interface CheckpointRow {
  name: string;
  /** Last global position applied to the live tables (0n: nothing yet). */
  position: bigint;
  /** Projection version the live tables were built with. */
  version: number;
  /** How many rebuilds have been swapped in. */
  generation: number;
  status: CheckpointStatus;
  error: string | null;
  /** Position of the event that failed, when `status` is 'failed'. */
  errorPosition: bigint | null;
  errorEventId: string | null;
  /** Attempts made at the failed event before giving up. */
  attempts: number;
  rebuildRequested: boolean;
  /** Generation a rebuild in progress is filling, or null. */
  rebuildGeneration: number | null;
  rebuildPosition: bigint | null;
  /** Head of the log when the rebuild started (for progress). */
  rebuildTarget: bigint | null;
  leaseOwner: string | null;
  /** Lease expiry, epoch ms on the read store's clock. */
  leaseExpiresAt: number | null;
  updatedAt: string;
}

const COLUMNS = `name, CAST(position AS TEXT) AS position, version, generation, status, error,
  CAST(error_position AS TEXT) AS error_position, error_event_id, attempts, rebuild_requested,
  rebuild_generation, CAST(rebuild_position AS TEXT) AS rebuild_position,
  CAST(rebuild_target AS TEXT) AS rebuild_target, lease_owner,
  CAST(lease_expires_at AS TEXT) AS lease_expires_at, CAST(updated_at AS TEXT) AS updated_at`;

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(String(v)));

const toRow = (r: Record<string, unknown>): CheckpointRow => ({
  name: String(r.name),
  position: big(r.position) ?? 0n,
  version: Number(r.version),
  generation: Number(r.generation),
  status: r.status as CheckpointStatus,
  error: (r.error as string | null) ?? null,
  errorPosition: big(r.error_position),
  errorEventId: (r.error_event_id as string | null) ?? null,
  attempts: Number(r.attempts),
  rebuildRequested: Number(r.rebuild_requested) === 1,
  rebuildGeneration: r.rebuild_generation === null || r.rebuild_generation === undefined ? null : Number(r.rebuild_generation),
  rebuildPosition: big(r.rebuild_position),
  rebuildTarget: big(r.rebuild_target),
  leaseOwner: (r.lease_owner as string | null) ?? null,
  leaseExpiresAt: r.lease_expires_at === null || r.lease_expires_at === undefined ? null : Number(r.lease_expires_at),
  updatedAt: String(r.updated_at),
});

/** An SQL statement with `:named` parameters, for callers that batch statements themselves. */
export interface NamedStatement {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The checkpoint table: position, status and lease of every projection, one row each.
 *
 * Invariants:
 * - the position only moves by compare-and-set from the value the writer read, only forward,
 *   and only by the lease owner (`advance`), so a stale instance can never move it, nor move
 *   it backwards (SP-3);
 * - `advance` runs in the transaction that writes the read model (SP-1);
 * - the lease owner is also the fencing token: an instance whose lease was taken over fails
 *   its next `advance` and its whole batch rolls back.
 * Bigints travel as decimal strings: PostgreSQL positions exceed 2^53.
 */
export class CheckpointStore {
  readonly kind: ReadStoreKind;
  readonly table: string;
  private readonly now: string;
  private readonly nowTs: string;

  constructor(
    readonly dataSource: DataSource,
    readonly tableName = 'projection_checkpoints',
  ) {
    this.kind = readStoreKind(dataSource);
    this.table = tablePath(dataSource, tableName);
    this.now = nowMsSql(this.kind);
    this.nowTs = nowTimestampSql(this.kind);
  }

  async ensureSchema(): Promise<void> {
    const ts = this.kind === 'postgres' ? 'TIMESTAMPTZ' : 'TEXT';
    const ddl = `CREATE TABLE IF NOT EXISTS ${this.table} (
      name VARCHAR(200) NOT NULL PRIMARY KEY,
      position BIGINT NOT NULL DEFAULT 0,
      version INTEGER NOT NULL DEFAULT 0,
      generation INTEGER NOT NULL DEFAULT 0,
      status VARCHAR(20) NOT NULL DEFAULT 'running',
      error TEXT NULL,
      error_position BIGINT NULL,
      error_event_id VARCHAR(200) NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      rebuild_requested INTEGER NOT NULL DEFAULT 0,
      rebuild_generation INTEGER NULL,
      rebuild_position BIGINT NULL,
      rebuild_target BIGINT NULL,
      lease_owner VARCHAR(200) NULL,
      lease_expires_at BIGINT NULL,
      updated_at ${ts} NOT NULL
    )`;
    await withWriteLock(this.dataSource, async () => {
      try {
        await this.dataSource.query(ddl);
      } catch (e) {
        // Two processes creating it at once on PostgreSQL: one loses on the catalog's unique index.
        if (!(await this.exists())) throw e;
      }
    });
  }

  private async exists(): Promise<boolean> {
    try {
      await this.dataSource.query(`SELECT 1 FROM ${this.table} WHERE 1 = 0`);
      return true;
    } catch {
      return false;
    }
  }

  async ensureRow(name: string): Promise<void> {
    await this.write(
      `INSERT INTO ${this.table} (name, updated_at) VALUES (:name, ${this.nowTs}) ON CONFLICT (name) DO NOTHING`,
      { name },
    );
  }

  /**
   * Reads a row. Outside a transaction it queues like a write on SQLite: on the shared
   * connection it would otherwise see a batch that is not committed yet.
   */
  async get(name: string, em?: EntityManager): Promise<CheckpointRow | undefined> {
    const sql = `SELECT ${COLUMNS} FROM ${this.table} WHERE name = :name`;
    const rows = em ? await runSql(this.dataSource, em, sql, { name }) : await this.write(sql, { name });
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  async list(): Promise<CheckpointRow[]> {
    const rows = await this.write(`SELECT ${COLUMNS} FROM ${this.table} ORDER BY name`, {});
    return rows.map(toRow);
  }

  /** Takes the lease if it is free, expired or already ours; returns the row when we hold it. */
  tryAcquireLease(name: string, owner: string, leaseMs: number): Promise<CheckpointRow | undefined> {
    return this.writeOne(
      `UPDATE ${this.table} SET lease_owner = :owner, lease_expires_at = ${this.now} + :leaseMs, updated_at = ${this.nowTs}
       WHERE name = :name AND (lease_owner IS NULL OR lease_owner = :owner OR lease_expires_at < ${this.now})
       RETURNING ${COLUMNS}`,
      { name, owner, leaseMs },
    );
  }

  /** Extends our lease; undefined when it is no longer ours. */
  renewLease(name: string, owner: string, leaseMs: number): Promise<CheckpointRow | undefined> {
    return this.writeOne(
      `UPDATE ${this.table} SET lease_expires_at = ${this.now} + :leaseMs
       WHERE name = :name AND lease_owner = :owner RETURNING ${COLUMNS}`,
      { name, owner, leaseMs },
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.write(
      `UPDATE ${this.table} SET lease_owner = NULL, lease_expires_at = NULL, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner`,
      { name, owner },
    );
  }

  /**
   * Compare-and-set of a position, inside the caller's transaction: succeeds only if the row
   * still holds `from`, `to` is greater, and `owner` holds the lease. False means the batch must
   * roll back.
   */
  async advance(
    em: EntityManager,
    args: { name: string; owner: string; from: bigint; to: bigint; column?: CheckpointColumn },
  ): Promise<boolean> {
    const statement = this.advanceStatement(args);
    const rows = await runSql(this.dataSource, em, statement.sql, statement.params);
    return rows.length === 1;
  }

  advanceStatement(args: { name: string; owner: string; from: bigint; to: bigint; column?: CheckpointColumn }): NamedStatement {
    const column = args.column ?? 'position';
    if (column !== 'position' && column !== 'rebuild_position') throw new Error(`Unknown checkpoint column ${String(column)}`);
    return {
      sql: `UPDATE ${this.table} SET ${column} = CAST(:to AS BIGINT), updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner AND ${column} = CAST(:from AS BIGINT) AND ${column} < CAST(:to AS BIGINT)
       RETURNING name`,
      params: { name: args.name, owner: args.owner, from: args.from.toString(), to: args.to.toString() },
    };
  }

  async markFailed(
    name: string,
    owner: string,
    failure: { error: string; position: bigint; eventId: string; attempts: number },
  ): Promise<boolean> {
    const row = await this.writeOne(
      `UPDATE ${this.table} SET status = 'failed', error = :error, error_position = CAST(:position AS BIGINT),
         error_event_id = :eventId, attempts = :attempts, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner RETURNING ${COLUMNS}`,
      {
        name,
        owner,
        error: failure.error.slice(0, 4000),
        position: failure.position.toString(),
        eventId: failure.eventId,
        attempts: failure.attempts,
      },
    );
    return row !== undefined;
  }

  /** Clears a failure so the holder retries the failed event (after a fix). */
  async resume(name: string): Promise<boolean> {
    const row = await this.writeOne(
      `UPDATE ${this.table} SET status = 'running', error = NULL, error_position = NULL, error_event_id = NULL,
         attempts = 0, updated_at = ${this.nowTs}
       WHERE name = :name AND status = 'failed' RETURNING ${COLUMNS}`,
      { name },
    );
    return row !== undefined;
  }

  /** Asks the lease holder to rebuild; a no-op while a rebuild is already under way. */
  async requestRebuild(name: string): Promise<void> {
    await this.write(
      `UPDATE ${this.table} SET rebuild_requested = 1, updated_at = ${this.nowTs}
       WHERE name = :name AND rebuild_generation IS NULL`,
      { name },
    );
  }

  beginRebuild(name: string, owner: string, generation: number, target: bigint): Promise<CheckpointRow | undefined> {
    return this.writeOne(
      `UPDATE ${this.table} SET rebuild_generation = :generation, rebuild_position = 0,
         rebuild_target = CAST(:target AS BIGINT), rebuild_requested = 0, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner RETURNING ${COLUMNS}`,
      { name, owner, generation, target: target.toString() },
    );
  }

  /** Restarts a rebuild at position 0 (its tables were found missing). */
  resetRebuild(name: string, owner: string, generation: number): Promise<CheckpointRow | undefined> {
    return this.writeOne(
      `UPDATE ${this.table} SET rebuild_position = 0, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner AND rebuild_generation = :generation RETURNING ${COLUMNS}`,
      { name, owner, generation },
    );
  }

  /** The checkpoint half of a swap: the rebuilt tables' position becomes the live one. */
  completeRebuildStatement(args: { name: string; owner: string; generation: number; position: bigint; version: number }): NamedStatement {
    return {
      sql: `UPDATE ${this.table} SET position = CAST(:position AS BIGINT), generation = :generation, version = :version,
         rebuild_generation = NULL, rebuild_position = NULL, rebuild_target = NULL, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner AND rebuild_generation = :generation
         AND rebuild_position = CAST(:position AS BIGINT)
       RETURNING name`,
      params: { ...args, position: args.position.toString() },
    };
  }

  /** Records the projection version when the live tables need no rebuild (nothing applied yet). */
  setVersion(name: string, owner: string, version: number): Promise<CheckpointRow | undefined> {
    return this.writeOne(
      `UPDATE ${this.table} SET version = :version, updated_at = ${this.nowTs}
       WHERE name = :name AND lease_owner = :owner RETURNING ${COLUMNS}`,
      { name, owner, version },
    );
  }

  /** The read store's clock, epoch ms. */
  async nowMs(): Promise<number> {
    const rows = await this.dataSource.query(`SELECT CAST(${this.now} AS TEXT) AS now`);
    return Number(rows[0].now);
  }

  private write(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return withWriteLock(this.dataSource, () => runSql(this.dataSource, this.dataSource.manager, sql, params));
  }

  private async writeOne(sql: string, params: Record<string, unknown>): Promise<CheckpointRow | undefined> {
    const rows = await this.write(sql, params);
    return rows[0] ? toRow(rows[0]) : undefined;
  }
}
