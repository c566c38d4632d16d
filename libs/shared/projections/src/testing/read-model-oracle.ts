import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppendNotifier,
  pollingSubscription,
  type EventStore,
  type GlobalPosition,
  type ReadAllOptions,
} from '@gongzhi/event-store';
import { DataSource, type DataSourceOptions, type EntityManager, type EntityMetadata } from 'typeorm';
import type { EntityClass, Projection } from '../projection';
import { ProjectionRunner } from '../runner';
import { readStoreKind, tablePath, withWriteLock } from '../read-store';
import { sqliteReadStoreOptions } from '../sqlite';

/** What the oracle needs: the log, the incrementally maintained read store and its projections. */
export interface OracleSources {
  store: EventStore;
  /** The read store the projections write (on the platform: `ProjectionsHost.readStore`). */
  dataSource: DataSource;
  projections: readonly Projection[];
}

export interface OracleOptions {
  /** Longest wait for the incremental models to reach one position, and for the rebuild. Default 30 s. */
  timeoutMs?: number;
  /** Events per read of the rebuild. Default 500. */
  batchSize?: number;
  /** Row differences listed per table (their count is always complete). Default 20. */
  maxDifferencesPerTable?: number;
}

export interface ColumnDifference {
  column: string;
  incremental: unknown;
  rebuilt: unknown;
}

export interface RowDifference {
  projection: string;
  table: string;
  /** Primary-key columns and values of the row. */
  key: Record<string, unknown>;
  /** `changed`: in both, some columns differ; `only-incremental` / `only-rebuilt`: a missing row. */
  kind: 'changed' | 'only-incremental' | 'only-rebuilt';
  /** The differing columns (`changed` only). */
  columns: ColumnDifference[];
}

export interface TableComparison {
  projection: string;
  table: string;
  incrementalRows: number;
  rebuiltRows: number;
  differences: number;
}

export interface OracleReport {
  /** Log position both sides were compared at (every incremental checkpoint was there). */
  position: GlobalPosition;
  /** True when every row of every table matched and the rebuild ran to the end. */
  equal: boolean;
  tables: TableComparison[];
  differences: RowDifference[];
  /** Projections whose rebuild stopped on an error (a poison event, a missing table…). */
  failures: Array<{ projection: string; error: string }>;
  /**
   * Head of the log before and after the rebuild. They differ when replaying a reactor
   * appended events (its commands must replay as no-ops), or when something else wrote meanwhile.
   */
  headBefore: GlobalPosition;
  headAfter: GlobalPosition;
  /** Tables of the read store that no projection owns (configuration, privacy…): not compared. */
  notCompared: string[];
}

/**
 * The oracle check of RELIABILITY.md §2 (and SP-4): rebuild every read model from position 0
 * and compare it, row by row and column by column, with the incrementally maintained one.
 *
 * How: it waits until every projection's live checkpoint stands at one common position P
 * (at or after the head as of the call), takes the live rows together with those checkpoints
 * in one consistent read (SQLite: under the read store's write queue; PostgreSQL: one
 * REPEATABLE READ transaction), then feeds a second, empty read store of the same kind (a
 * temporary SQLite file, or a fresh PostgreSQL schema dropped afterwards) from the same event
 * log, cut off at P, with a new ProjectionRunner per projection (the very code that maintains
 * the live tables, with its batching and filtering). The live store and its checkpoints are only
 * read, so a test can call this mid-scenario and go on, and a corrupted row is reported rather
 * than repaired. All projections replay into the one fresh store, so a projection that writes
 * another one's tables (erasure) replays there too.
 *
 * Rows are matched by primary key (order does not matter) and compared as the driver returns
 * them (both sides use the same driver), so a value derived from the clock or a random number,
 * rather than from the events, shows up as a `changed` column.
 *
 * Reactors (projections that issue commands) replay their commands against the real command
 * path; those must be idempotent, which `headBefore`/`headAfter` let the caller assert.
 */
export const compareWithRebuild = async (sources: OracleSources, options: OracleOptions = {}): Promise<OracleReport> => {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const { store, dataSource: live, projections } = sources;
  const owned = ownedTables(live, projections);

  const incremental = await consistentLiveSnapshot(live, store, projections, owned, deadline);
  const position = incremental.position;
  const headBefore = await store.headPosition();

  const fresh = await openFreshReadStore(live, entitiesOf(live, projections));
  const failures: OracleReport['failures'] = [];
  let rebuilt: Map<string, Record<string, unknown>[]>;
  try {
    const view = logUpTo(store, position);
    const runners = projections.map(
      (projection) =>
        new ProjectionRunner({
          projection,
          store: view,
          dataSource: fresh.dataSource,
          instanceId: `oracle-${projection.name}`,
          batchSize: options.batchSize ?? 500,
          leaseMs: Math.max(60_000, timeoutMs * 2),
          rebuildOnVersionChange: false,
          retry: { batchAttempts: 1, eventAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
        }),
    );
    try {
      for (const runner of runners) await runner.start();
      const remaining = Math.max(1_000, deadline - Date.now());
      const results = await Promise.allSettled(runners.map((r) => r.waitForPosition(position, { timeoutMs: remaining, pollMs: 10 })));
      results.forEach((r, i) => {
        if (r.status === 'rejected') failures.push({ projection: runners[i].name, error: errorText(r.reason) });
      });
    } finally {
      for (const runner of runners) await runner.stop();
    }
    rebuilt = await readTables(fresh.dataSource.manager, fresh.dataSource, owned);
  } finally {
    await fresh.cleanup();
  }
  const headAfter = await store.headPosition();

  const maxListed = options.maxDifferencesPerTable ?? 20;
  const tables: TableComparison[] = [];
  const differences: RowDifference[] = [];
  for (const t of owned) {
    const found = compareRows(t, incremental.rows.get(t.table) ?? [], rebuilt.get(t.table) ?? []);
    tables.push({
      projection: t.projection,
      table: t.table,
      incrementalRows: incremental.rows.get(t.table)?.length ?? 0,
      rebuiltRows: rebuilt.get(t.table)?.length ?? 0,
      differences: found.length,
    });
    differences.push(...found.slice(0, maxListed));
  }
  const ownedNames = new Set(owned.map((t) => t.table));
  const notCompared = live.entityMetadatas
    .filter((m) => !isShadow(m) && !ownedNames.has(m.tableName))
    .map((m) => m.tableName)
    .sort();
  return {
    position,
    equal: failures.length === 0 && tables.every((t) => t.differences === 0),
    tables,
    differences,
    failures,
    headBefore,
    headAfter,
    notCompared,
  };
};

/** The report as text, for a failing assertion's message or a log. */
export const formatOracleReport = (report: OracleReport): string => {
  const lines = [
    `${report.equal ? 'read models equal a rebuild' : 'read models DIFFER from a rebuild'} at position ${report.position} ` +
      `(${report.tables.length} tables, ${report.tables.reduce((n, t) => n + t.incrementalRows, 0)} rows)`,
  ];
  for (const f of report.failures) lines.push(`  rebuild of ${f.projection} failed: ${f.error}`);
  for (const t of report.tables.filter((x) => x.differences > 0)) {
    lines.push(`  ${t.table} (${t.projection}): ${t.differences} row(s) differ; ${t.incrementalRows} incremental, ${t.rebuiltRows} rebuilt`);
  }
  for (const d of report.differences) {
    const what =
      d.kind === 'changed'
        ? d.columns.map((c) => `${c.column}: ${show(c.incremental)} (incremental) vs ${show(c.rebuilt)} (rebuilt)`).join('; ')
        : d.kind === 'only-incremental'
          ? 'row only in the incremental model'
          : 'row only in the rebuild';
    lines.push(`    ${d.table} ${JSON.stringify(d.key)}: ${what}`);
  }
  if (report.headAfter !== report.headBefore) lines.push(`  the log head moved during the rebuild: ${report.headBefore} -> ${report.headAfter}`);
  return lines.join('\n');
};

// --- the incremental side -------------------------------------------------------------------

interface OwnedTable {
  projection: string;
  entity: EntityClass;
  table: string;
  keyColumns: string[];
}

const ownedTables = (ds: DataSource, projections: readonly Projection[]): OwnedTable[] => {
  const out: OwnedTable[] = [];
  for (const p of projections) {
    for (const entity of p.entities) {
      const md = ds.getMetadata(entity);
      out.push({ projection: p.name, entity, table: md.tableName, keyColumns: md.primaryColumns.map((c) => c.databaseName) });
    }
  }
  return out;
};

const isShadow = (md: EntityMetadata): boolean => typeof md.target === 'function' && md.target.name.includes('$g');

/** The live DataSource's own entity classes (not rebuild shadows), plus any projection entity it lacks. */
const entitiesOf = (ds: DataSource, projections: readonly Projection[]): EntityClass[] => {
  const listed = ((ds.options.entities ?? []) as unknown[]).filter((e): e is EntityClass => typeof e === 'function');
  return [...new Set([...listed, ...projections.flatMap((p) => p.entities)])];
};

const consistentLiveSnapshot = async (
  ds: DataSource,
  store: EventStore,
  projections: readonly Projection[],
  owned: OwnedTable[],
  deadline: number,
): Promise<{ position: GlobalPosition; rows: Map<string, Record<string, unknown>[]> }> => {
  const names = projections.map((p) => p.name);
  const target = await store.headPosition();
  let last = '';
  for (;;) {
    const attempt = await inOneSnapshot(ds, async (em) => {
      const checkpoints = await readCheckpoints(em, ds, names);
      last = names.map((n) => `${n}=${checkpoints.get(n)?.position ?? 'none'}`).join(', ');
      const failed = [...checkpoints.values()].find((c) => c.status === 'failed');
      if (failed) throw new Error(`Projection ${failed.name} is parked as failed (${failed.error}); the oracle compares running projections only`);
      const positions = new Set(names.map((n) => checkpoints.get(n)?.position));
      const [position] = positions;
      const settled =
        positions.size === 1 && position !== undefined && position >= target && [...checkpoints.values()].every((c) => !c.rebuilding);
      if (!settled) return undefined;
      return { position, rows: await readTables(em, ds, owned) };
    });
    if (attempt) return attempt;
    if (Date.now() > deadline) throw new Error(`The projections did not reach one common position at or after ${target} in time: ${last}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const inOneSnapshot = async <T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> => {
  // SQLite: every projection write goes through this queue, so nothing commits in between.
  if (readStoreKind(ds) === 'sqlite') return withWriteLock(ds, () => work(ds.manager));
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    try {
      return await work(runner.manager);
    } finally {
      await runner.rollbackTransaction();
    }
  } finally {
    await runner.release();
  }
};

interface CheckpointState {
  name: string;
  position: GlobalPosition;
  status: string;
  error: string | null;
  rebuilding: boolean;
}

const readCheckpoints = async (em: EntityManager, ds: DataSource, names: string[]): Promise<Map<string, CheckpointState>> => {
  const rows: Array<Record<string, unknown>> = await em.query(
    `SELECT name, CAST(position AS TEXT) AS position, status, error, rebuild_generation, rebuild_requested FROM ${tablePath(ds, 'projection_checkpoints')}`,
  );
  const out = new Map<string, CheckpointState>();
  for (const r of rows) {
    const name = String(r.name);
    if (!names.includes(name)) continue;
    out.set(name, {
      name,
      position: BigInt(String(r.position)),
      status: String(r.status),
      error: (r.error as string | null) ?? null,
      rebuilding: (r.rebuild_generation !== null && r.rebuild_generation !== undefined) || Number(r.rebuild_requested) === 1,
    });
  }
  return out;
};

const readTables = async (em: EntityManager, ds: DataSource, owned: OwnedTable[]): Promise<Map<string, Record<string, unknown>[]>> => {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const t of owned) {
    const path = ds
      .getMetadata(t.entity)
      .tablePath.split('.')
      .map((p) => ds.driver.escape(p))
      .join('.');
    out.set(t.table, await em.query(`SELECT * FROM ${path}`));
  }
  return out;
};

// --- the rebuilt side -----------------------------------------------------------------------

/** The log as it stood at `upTo`: later events are invisible, and nothing can be appended through it. */
const logUpTo = (store: EventStore, upTo: GlobalPosition): EventStore => {
  const readAll = async (o: ReadAllOptions = {}) => (await store.readAll(o)).filter((e) => e.position <= upTo);
  const readOnly = () => Promise.reject(new Error('The oracle reads the log; it never writes to it'));
  return {
    readAll,
    subscribeToAll: (o = {}) =>
      pollingSubscription({
        readAll: (fromPosition, maxCount) => readAll({ fromPosition, maxCount }),
        notifier: new AppendNotifier(),
        fromPosition: o.fromPosition,
        maxBatchSize: o.maxBatchSize,
        pollIntervalMs: 25,
      }),
    headPosition: async () => {
      const head = await store.headPosition();
      return head < upTo ? head : upTo;
    },
    readStream: (streamId, o) => store.readStream(streamId, o),
    streamRevision: (streamId) => store.streamRevision(streamId),
    getStreamMetadata: (streamId) => store.getStreamMetadata(streamId),
    verifyStream: (streamId) => store.verifyStream(streamId),
    appendToStream: readOnly,
    setStreamMetadata: readOnly,
    close: async () => undefined,
  };
};

/** An empty read store of the live one's kind: a temporary SQLite file, or a new PostgreSQL schema. */
const openFreshReadStore = async (live: DataSource, entities: EntityClass[]): Promise<{ dataSource: DataSource; cleanup: () => Promise<void> }> => {
  if (readStoreKind(live) === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gongzhi-oracle-'));
    const ds = new DataSource(sqliteReadStoreOptions(join(dir, 'rebuilt.sqlite'), entities));
    await ds.initialize();
    return {
      dataSource: ds,
      cleanup: async () => {
        if (ds.isInitialized) await ds.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `oracle_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const quoted = live.driver.escape(schema);
  await live.query(`CREATE SCHEMA ${quoted}`);
  const ds = new DataSource({ ...live.options, schema, entities, poolSize: 4, synchronize: false, applicationName: 'gongzhi-oracle' } as DataSourceOptions);
  try {
    await ds.initialize();
  } catch (e) {
    await live.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
    throw e;
  }
  return {
    dataSource: ds,
    cleanup: async () => {
      if (ds.isInitialized) await ds.destroy();
      await live.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
    },
  };
};

// --- comparison -----------------------------------------------------------------------------

const compareRows = (t: OwnedTable, incremental: Record<string, unknown>[], rebuilt: Record<string, unknown>[]): RowDifference[] => {
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(t.keyColumns.map((c) => normalize(row[c])));
  const keyObject = (row: Record<string, unknown>) => Object.fromEntries(t.keyColumns.map((c) => [c, normalize(row[c])]));
  const byKey = new Map(rebuilt.map((r) => [keyOf(r), r]));
  const out: RowDifference[] = [];
  for (const row of incremental) {
    const k = keyOf(row);
    const other = byKey.get(k);
    if (!other) {
      out.push({ projection: t.projection, table: t.table, key: keyObject(row), kind: 'only-incremental', columns: [] });
      continue;
    }
    byKey.delete(k);
    const columns = [...new Set([...Object.keys(row), ...Object.keys(other)])]
      .filter((c) => JSON.stringify(normalize(row[c])) !== JSON.stringify(normalize(other[c])))
      .map((c) => ({ column: c, incremental: normalize(row[c]), rebuilt: normalize(other[c]) }));
    if (columns.length > 0) out.push({ projection: t.projection, table: t.table, key: keyObject(row), kind: 'changed', columns });
  }
  for (const row of byKey.values()) out.push({ projection: t.projection, table: t.table, key: keyObject(row), kind: 'only-rebuilt', columns: [] });
  return out.sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
};

/** Driver values made comparable and printable: dates as ISO text, bytes as hex, keys of objects sorted. */
const normalize = (v: unknown): unknown => {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, normalize((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
};

const show = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
