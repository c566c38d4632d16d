import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import type { DataSource } from 'typeorm';
import { ProjectionRunner } from '../runner';
import { readModelSnapshot } from '../snapshot';
import { CaseBoardRow, caseBoardProjection } from './case-board.projection';
import type { ChildConfig, ChildMessage } from './child-runner';
import { appendCases, waitUntil, type ReadStoreFactory } from './fixtures';

const REGISTER = resolve(__dirname, '../../../../../tools/bin/register.js');
const CHILD = join(__dirname, 'child-runner.ts');
const LEASE_MS = 1500;

/** A runner in a child process, with the messages it sent so far. */
const spawnRunner = (config: ChildConfig) => {
  const messages: ChildMessage[] = [];
  const child: ChildProcess = fork(CHILD, [JSON.stringify(config)], { execArgv: ['-r', REGISTER], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  child.on('message', (m) => messages.push(m as ChildMessage));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    messages,
    has: (type: ChildMessage['type']) => messages.some((m) => m.type === type),
    stderr: () => stderr,
    /** A hard bounce: no cleanup, no lease release, the open transaction is simply gone. */
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
};

/** The same log the child built (same calls, same clock), for this process's runner and oracle. */
const sameLog = async (cases: number, eventsPerCase: number) => {
  const store = new InMemoryEventStore({ clock: () => new Date('2025-06-01T00:00:00Z'), pollIntervalMs: 50 });
  await appendCases(store, { cases, eventsPerCase });
  return store;
};

/** SP-1 and SP-3 with a real SIGKILL of the process running the projection. */
export const killScenarios = (makeStores: () => ReadStoreFactory) => {
  let stores: ReadStoreFactory;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeEach(() => {
    stores = makeStores();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    await stores.cleanup();
  });

  const oracle = async (store: InMemoryEventStore) => {
    const ds = await stores.fresh();
    const r = new ProjectionRunner({ projection: caseBoardProjection(), store, dataSource: ds });
    await r.start();
    await r.waitForPosition(await store.headPosition());
    await r.stop();
    return readModelSnapshot(ds, caseBoardProjection());
  };

  const takeOver = async (ds: DataSource, store: InMemoryEventStore, observer = {}) => {
    const r = new ProjectionRunner({
      projection: caseBoardProjection(),
      store,
      dataSource: ds,
      batchSize: 10,
      leaseMs: LEASE_MS,
      heartbeatMs: 300,
      acquireIntervalMs: 50,
      instanceId: 'survivor',
      observer,
    });
    cleanups.push(() => r.stop());
    return r;
  };

  it('SP-1 (SIGKILL): a process killed with a batch written but not committed leaves nothing visible; the survivor replays it', async () => {
    const ds = await stores.open(); // creates the database the child then opens
    const child = spawnRunner({ readStore: stores.describe(), cases: 10, eventsPerCase: 3, batchSize: 10, leaseMs: LEASE_MS, instanceId: 'doomed', hangAtPosition: '20' });
    cleanups.push(() => child.kill());
    await waitUntil(() => child.has('in-batch') || child.has('error'), 60_000);
    expect(child.messages.filter((m) => m.type === 'error')).toEqual([]);
    const visibleBeforeKill = await ds.getRepository(CaseBoardRow).find();
    await child.kill();

    // Batch 1..10 committed; batch 11..20 was written inside the open transaction.
    expect(visibleBeforeKill.every((row) => row.eventCount === 1)).toBe(true);
    const store = await sameLog(10, 3);
    const survivor = await takeOver(ds, store);
    const afterKill = await survivor.checkpoints.get('case-board');
    expect(afterKill).toMatchObject({ position: 10n, leaseOwner: 'doomed' });
    expect((await ds.getRepository(CaseBoardRow).find()).every((row) => row.eventCount === 1)).toBe(true);

    await survivor.start();
    await survivor.waitForPosition(await store.headPosition(), { timeoutMs: LEASE_MS * 10 });
    expect((await survivor.status()).leaseOwner).toBe('survivor');
    expect((await ds.getRepository(CaseBoardRow).find()).every((row) => row.eventCount === 3 && row.lastRevision === 2)).toBe(true);
    expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(await oracle(store));
  });

  it('SP-3 (SIGKILL): a standby never applies while the holder lives, and takes over from its checkpoint when it is killed', async () => {
    const ds = await stores.open();
    const child = spawnRunner({ readStore: stores.describe(), cases: 8, eventsPerCase: 4, batchSize: 10, leaseMs: LEASE_MS, instanceId: 'holder' });
    cleanups.push(() => child.kill());
    await waitUntil(() => child.messages.some((m) => m.type === 'applied' && m.to === '32') || child.has('error'), 60_000);
    expect(child.messages.filter((m) => m.type === 'error')).toEqual([]);

    const store = await sameLog(8, 4);
    const applied: { from: bigint; to: bigint }[] = [];
    const standby = await takeOver(ds, store, { onBatchApplied: (e: { fromPosition: bigint; toPosition: bigint }) => applied.push({ from: e.fromPosition, to: e.toPosition }) });
    await standby.start();
    await appendCases(store, { cases: 8, eventsPerCase: 2, prefix: 'late' }); // only this process sees these
    await new Promise((r) => setTimeout(r, LEASE_MS)); // several heartbeats of the holder
    expect(applied).toEqual([]);
    expect(await standby.status()).toMatchObject({ role: 'standby', leaseOwner: 'holder', position: 32n });

    await child.kill();
    await standby.waitForPosition(await store.headPosition(), { timeoutMs: LEASE_MS * 10 });
    expect(applied[0].from).toBe(32n); // from the dead holder's checkpoint: no gap, no replay
    expect((await standby.status()).leaseOwner).toBe('survivor');
    expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(await oracle(store));
  });
};
