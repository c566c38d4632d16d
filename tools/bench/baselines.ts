import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elapsedMs, Measurement, percentile, Scenario } from './harness';
import { hoursCredited, metadataFor, runConcurrent, Sizes } from './workload';

/**
 * Plain-driver baselines at the same durability as the stores: SQLite WAL with
 * synchronous=FULL (an fsync per commit), PostgreSQL defaults (synchronous_commit on).
 * Same payload, same row shape (id, stream, revision, type, data, metadata).
 */

const row = (i: number, streams: number) => ({
  id: randomUUID(),
  stream: `bench.stream-${i % streams}`,
  revision: Math.floor(i / streams),
  data: JSON.stringify(hoursCredited(i)),
  metadata: JSON.stringify(metadataFor(randomUUID())),
});

export function sqliteBaselines(sizes: Sizes): Scenario[] {
  let dir = '';
  let db: Database.Database;
  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'gz-bench-raw-'));
    db = new Database(join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
      stream TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
      UNIQUE(stream, revision))`);
  };
  const close = async () => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const insertRows = (n: number, perTx: number): Measurement => {
    open();
    const ins = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const tx = db.transaction((rows: ReturnType<typeof row>[]) => {
      for (const r of rows) ins.run(r.id, r.stream, r.revision, 'VolunteerHoursCredited', r.data, r.metadata);
    });
    const rows = Array.from({ length: n }, (_, i) => row(i, sizes.streams));
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i += perTx) tx(rows.slice(i, i + perTx));
    const ms = elapsedMs(t);
    db.close();
    rmSync(dir, { recursive: true, force: true });
    return { value: (n / ms) * 1000 };
  };
  return [
    { id: 'raw-sqlite-insert-1', title: 'better-sqlite3 INSERT, 1 row per transaction', unit: 'events/s', better: 'higher', run: async () => insertRows(sizes.events, 1) },
    { id: 'raw-sqlite-insert-100', title: 'better-sqlite3 INSERT, 100 rows per transaction', unit: 'events/s', better: 'higher', run: async () => insertRows(sizes.events, 100) },
    {
      id: 'raw-sqlite-read-stream',
      title: `better-sqlite3 SELECT of one ${sizes.rehydrateEvents}-event stream`,
      unit: 'ms',
      better: 'lower',
      setup: async () => {
        open();
        const ins = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
        db.transaction(() => {
          for (let i = 0; i < sizes.rehydrateEvents; i++) {
            ins.run(randomUUID(), 'bench.long', i, 'VolunteerHoursCredited', JSON.stringify(hoursCredited(i)), JSON.stringify(metadataFor(randomUUID())));
          }
        })();
      },
      run: async () => {
        const sel = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision');
        const times: number[] = [];
        for (let k = 0; k < 30; k++) {
          const t = process.hrtime.bigint();
          const rows = sel.all('bench.long') as { data: string; metadata: string }[];
          for (const r of rows) { JSON.parse(r.data); JSON.parse(r.metadata); }
          times.push(elapsedMs(t));
        }
        return { value: percentile(times, 50), extra: { p95: percentile(times, 95) } };
      },
      teardown: close,
    },
  ];
}

export function postgresBaselines(sizes: Sizes, connectionString: string): Scenario[] {
  const schema = `bench_raw_${process.pid}`;
  let pool: Pool;
  const fresh = async (connections: number) => {
    pool = new Pool({ connectionString, max: connections });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.events (position BIGSERIAL PRIMARY KEY, id UUID NOT NULL UNIQUE,
      stream TEXT NOT NULL, revision INT NOT NULL, type TEXT NOT NULL, data JSONB NOT NULL, metadata JSONB NOT NULL,
      UNIQUE(stream, revision))`);
  };
  const drop = async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  };
  const insertRows = async (n: number, perTx: number, connections: number): Promise<Measurement> => {
    await fresh(connections);
    const rows = Array.from({ length: n }, (_, i) => row(i, sizes.streams));
    const batches = Math.ceil(n / perTx);
    const t = process.hrtime.bigint();
    await runConcurrent(batches, connections, async (b) => {
      const slice = rows.slice(b * perTx, (b + 1) * perTx);
      const params: unknown[] = [];
      const values = slice.map((r, k) => {
        params.push(r.id, r.stream, r.revision, 'VolunteerHoursCredited', r.data, r.metadata);
        const o = k * 6;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
      });
      // A single multi-row INSERT is its own transaction: one commit, one fsync.
      await pool.query(`INSERT INTO ${schema}.events (id, stream, revision, type, data, metadata) VALUES ${values.join(',')}`, params);
    });
    const ms = elapsedMs(t);
    await drop();
    return { value: (n / ms) * 1000 };
  };
  return [
    { id: 'raw-pg-insert-1', title: 'pg INSERT, 1 row per transaction, 1 connection', unit: 'events/s', better: 'higher', run: () => insertRows(sizes.events, 1, 1) },
    { id: 'raw-pg-insert-1x8', title: 'pg INSERT, 1 row per transaction, 8 connections', unit: 'events/s', better: 'higher', run: () => insertRows(sizes.events, 1, 8) },
    { id: 'raw-pg-insert-100', title: 'pg INSERT, 100 rows per transaction, 1 connection', unit: 'events/s', better: 'higher', run: () => insertRows(sizes.events, 100, 1) },
    {
      id: 'raw-pg-read-stream',
      title: `pg SELECT of one ${sizes.rehydrateEvents}-event stream`,
      unit: 'ms',
      better: 'lower',
      setup: async () => {
        await fresh(1);
        for (let i = 0; i < sizes.rehydrateEvents; i += 100) {
          const params: unknown[] = [];
          const values: string[] = [];
          for (let k = i; k < Math.min(i + 100, sizes.rehydrateEvents); k++) {
            const o = params.length;
            params.push(randomUUID(), 'bench.long', k, 'VolunteerHoursCredited', JSON.stringify(hoursCredited(k)), JSON.stringify(metadataFor(randomUUID())));
            values.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`);
          }
          await pool.query(`INSERT INTO ${schema}.events (id, stream, revision, type, data, metadata) VALUES ${values.join(',')}`, params);
        }
      },
      run: async () => {
        const times: number[] = [];
        for (let k = 0; k < 30; k++) {
          const t = process.hrtime.bigint();
          await pool.query(`SELECT * FROM ${schema}.events WHERE stream = $1 ORDER BY revision`, ['bench.long']);
          times.push(elapsedMs(t));
        }
        return { value: percentile(times, 50), extra: { p95: percentile(times, 95) } };
      },
      teardown: drop,
    },
  ];
}
