import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { InMemoryRelayCheckpointStore, SqlRelayCheckpointStore, type RelayCheckpointStore } from './checkpoint-store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The rules every checkpoint store keeps: CAS, forward only, lease holder only. */
const checkpointRules = (setup: () => Promise<{ store: RelayCheckpointStore; reopen?: () => Promise<RelayCheckpointStore> }>) => {
  let store: RelayCheckpointStore;
  let reopen: (() => Promise<RelayCheckpointStore>) | undefined;
  beforeEach(async () => {
    ({ store, reopen } = await setup());
    await store.ensureSchema();
    await store.ensureSchema(); // idempotent
  });

  it('starts at position 0 and moves only forward, by compare-and-set, for the lease holder', async () => {
    expect(await store.acquire('relay', 'a', 10_000)).toMatchObject({ name: 'relay', position: 0n, leaseOwner: 'a', withheld: 0 });
    expect(await store.acquire('relay', 'b', 10_000)).toBeUndefined();
    expect(await store.advance('relay', 'a', { from: 0n, to: 7n, leaseMs: 10_000 })).toBe(true);
    expect(await store.advance('relay', 'a', { from: 0n, to: 9n, leaseMs: 10_000 })).toBe(false); // stale `from`
    expect(await store.advance('relay', 'a', { from: 7n, to: 5n, leaseMs: 10_000 })).toBe(false); // backwards
    expect(await store.advance('relay', 'b', { from: 7n, to: 9n, leaseMs: 10_000 })).toBe(false); // not the holder
    const big = 2n ** 62n + 3n; // PostgreSQL positions exceed 2^53
    expect(await store.advance('relay', 'a', { from: 7n, to: big, leaseMs: 10_000 })).toBe(true);
    expect((await store.get('relay'))?.position).toBe(big);
    if (reopen) expect((await (await reopen()).get('relay'))?.position).toBe(big);
  });

  it('passes the lease on when it expires or is released, and counts withheld events', async () => {
    await store.acquire('relay', 'a', 1);
    await sleep(20);
    expect(await store.acquire('relay', 'b', 10_000)).toMatchObject({ leaseOwner: 'b' });
    expect(await store.renew('relay', 'a', 10_000)).toBe(false);
    expect(await store.renew('relay', 'b', 10_000)).toBe(true);
    expect(
      await store.advance('relay', 'b', { from: 0n, to: 3n, leaseMs: 10_000, withheld: { count: 2, lastEventId: 'e2', lastReason: 'INTEGRATION.PERSONAL_DATA_REFUSED: x' } }),
    ).toBe(true);
    expect(await store.advance('relay', 'b', { from: 3n, to: 4n, leaseMs: 10_000, withheld: { count: 0, lastEventId: '', lastReason: '' } })).toBe(true);
    expect(await store.get('relay')).toMatchObject({ position: 4n, withheld: 2, lastWithheldEventId: 'e2', lastWithheldReason: 'INTEGRATION.PERSONAL_DATA_REFUSED: x' });
    await store.release('relay', 'b');
    expect(await store.acquire('relay', 'c', 10_000)).toMatchObject({ leaseOwner: 'c', position: 4n });
  });
};

describe('InMemoryRelayCheckpointStore', () => {
  checkpointRules(async () => ({ store: new InMemoryRelayCheckpointStore() }));
});

describe('SqlRelayCheckpointStore on SQLite', () => {
  const opened: DataSource[] = [];
  let dir: string;
  const open = async (file: string) => {
    const ds = new DataSource({ type: 'better-sqlite3', database: file });
    await ds.initialize();
    opened.push(ds);
    return new SqlRelayCheckpointStore(ds);
  };
  afterEach(async () => {
    for (const ds of opened.splice(0)) await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  checkpointRules(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-cp-'));
    const file = join(dir, 'read.sqlite');
    return { store: await open(file), reopen: () => open(file) };
  });
});

describeWithPostgres()('SqlRelayCheckpointStore on PostgreSQL', () => {
  const opened: DataSource[] = [];
  const schemas: string[] = [];
  const open = async (schema: string) => {
    const ds = new DataSource({ type: 'postgres', url: postgresTestUrl(), schema, extra: { max: 2 } });
    await ds.initialize();
    opened.push(ds);
    return ds;
  };
  afterEach(async () => {
    for (const ds of opened.splice(0)) await ds.destroy();
  });
  afterAll(async () => {
    const ds = await open('public');
    for (const s of schemas) await ds.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await ds.destroy();
  });
  checkpointRules(async () => {
    const schema = freshSchemaName('relay_cp');
    schemas.push(schema);
    const admin = await open('public');
    await admin.query(`CREATE SCHEMA "${schema}"`);
    return { store: new SqlRelayCheckpointStore(await open(schema)), reopen: async () => new SqlRelayCheckpointStore(await open(schema)) };
  });
});
