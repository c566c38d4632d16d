import type { EventStore, RecordedEvent } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import type { DataSource } from 'typeorm';
import type { ProjectionObserver, RebuildProgress } from '../observer';
import type { EntityClass, Projection } from '../projection';
import { CheckpointStore } from '../checkpoint-store';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../runner';
import { readModelSnapshot } from '../snapshot';
import { CaseBoardRow, OrgCaseStatsRow, caseBoardProjection } from './case-board.projection';
import { appendCases, appendNoise, caseEvent, waitUntil, type ReadStoreFactory } from './fixtures';

const FAST = { leaseMs: 1000, heartbeatMs: 250, acquireIntervalMs: 50, retry: { baseDelayMs: 5, maxDelayMs: 20 } } as const;

/** Records what one runner did, through its observer. */
const recorder = () => {
  const batches: { from: bigint; to: bigint; rebuilding: boolean }[] = [];
  const failures: { position: bigint; eventId: string; attempts: number; error: unknown }[] = [];
  const retries: { position: bigint; attempt: number; transient: boolean }[] = [];
  const observer: ProjectionObserver = {
    onBatchApplied: (e) => batches.push({ from: e.fromPosition, to: e.toPosition, rebuilding: e.rebuilding }),
    onFailed: (e) => failures.push({ position: e.position, eventId: e.eventId, attempts: e.attempts, error: e.error }),
    onRetry: (e) => retries.push({ position: e.position, attempt: e.attempt, transient: e.transient }),
  };
  return { batches, failures, retries, observer };
};

/** An event store whose readAll can be held after a number of reads, to pause a rebuild between batches. */
const gates: { open(): void }[] = [];
const gatedStore = (inner: EventStore) => {
  let passes = Infinity;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  let waiting = 0;
  const store: EventStore = Object.create(inner);
  // Only direct reads (the rebuild's) are gated; the live subscription reads the inner store.
  store.subscribeToAll = (options) => inner.subscribeToAll(options);
  store.readAll = async (options) => {
    while (passes <= 0) {
      gate ??= new Promise<void>((r) => (release = r));
      waiting++;
      await gate;
      waiting--;
    }
    passes--;
    return inner.readAll(options);
  };
  const reopen = () => {
    const r = release;
    gate = undefined;
    release = undefined;
    r?.();
  };
  const control = {
    store,
    /** Lets `reads` more reads through, then holds the next one. */
    holdAfter: (reads: number) => {
      passes = reads;
      reopen();
    },
    open: () => {
      passes = Infinity;
      reopen();
    },
    isHeld: () => waiting > 0,
  };
  gates.push(control);
  return control;
};

/**
 * The reliability scenarios of RELIABILITY.md §2.2 for one kind of read store. Each test builds
 * its own event store and database, and ends with the oracle check: the model equals one
 * replayed from scratch into an empty database.
 */
export const projectionScenarios = (makeStores: () => ReadStoreFactory, only?: ('SP-1' | 'SP-3' | 'SP-4' | 'SP-5' | 'SP-6' | 'rebuild' | 'basic')[]) => {
  const runs = (id: string) => !only || only.includes(id as never);
  let stores: ReadStoreFactory;
  let eventStore: InMemoryEventStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(() => {
    stores = makeStores();
    eventStore = new InMemoryEventStore({ clock: () => new Date('2025-06-01T00:00:00Z'), pollIntervalMs: 50 });
  });
  afterEach(async () => {
    for (const g of gates.splice(0)) g.open();
    for (const r of runners.splice(0)) await r.stop().catch(() => undefined);
    await eventStore.close();
    await stores.cleanup();
  });

  const runner = (ds: DataSource, projection: Projection, extra: Partial<ProjectionRunnerOptions> = {}) => {
    const r = new ProjectionRunner({ projection, store: eventStore, dataSource: ds, batchSize: 50, ...FAST, ...extra });
    runners.push(r);
    return r;
  };

  /** The oracle: replay the whole log into an empty database and return its rows. */
  const oracle = async (projection: Projection = caseBoardProjection(), store: EventStore = eventStore) => {
    const ds = await stores.fresh();
    const r = new ProjectionRunner({ projection, store, dataSource: ds, batchSize: 1000, ...FAST });
    await r.start();
    await r.waitForPosition(await store.headPosition());
    await r.stop();
    return readModelSnapshot(ds, projection);
  };

  const caseRows = (ds: DataSource) => ds.getRepository(CaseBoardRow).find({ order: { caseId: 'ASC' } });

  if (runs('basic')) {
    it('catches up over handled and unhandled events, and lag reaches 0', async () => {
      await appendCases(eventStore, { cases: 12, eventsPerCase: 5 });
      await appendNoise(eventStore, 30);
      const ds = await stores.open();
      const r = runner(ds, caseBoardProjection());
      await r.start();
      const head = await eventStore.headPosition();
      await r.waitForPosition(head);

      const rows = await caseRows(ds);
      expect(rows).toHaveLength(12);
      expect(rows.every((row) => row.eventCount === 5 && row.lastRevision === 4 && row.status !== 'open')).toBe(true);
      expect(await r.lag()).toMatchObject({ checkpoint: head, positionsBehind: 0n, eventsBehind: 0 });
      expect(await r.status()).toMatchObject({ status: 'running', role: 'active', position: head, version: 1 });
    });
  }

  if (runs('SP-1')) {
    it('SP-1: a batch interrupted after its writes and before its checkpoint leaves nothing visible, and is replayed once', async () => {
      await appendCases(eventStore, { cases: 10, eventsPerCase: 3 });
      const ds = await stores.open();
      const reader = await stores.open({ readonly: true });
      const crashAt = 20n;
      let crashed = false;
      let seenMidBatch: number | undefined;
      const projection = caseBoardProjection({
        afterWrites: async (events) => {
          if (crashed || !events.some((e) => e.position === crashAt)) return;
          crashed = true;
          // Another connection looks while the writes are done but not committed.
          seenMidBatch = (await caseRows(reader)).filter((row) => row.lastRevision >= 1).length;
          void first.kill(); // the "process" dies here: the transaction never commits
        },
      });
      const first = runner(ds, projection, { batchSize: 10 });
      await first.start();
      await waitUntil(() => crashed);
      await first.stop();

      expect(seenMidBatch).toBe(0); // events 11..20 are the second revisions of the cases
      const afterCrash = await first.status();
      expect(afterCrash.position).toBe(10n);
      expect(afterCrash.leaseOwner).toBe(first.instanceId); // a dead process does not release
      expect((await caseRows(ds)).every((row) => row.eventCount === 1)).toBe(true);

      const second = runner(ds, projection, { batchSize: 10 });
      await second.start();
      await second.waitForPosition(await eventStore.headPosition());
      const rows = await caseRows(ds);
      expect(rows.every((row) => row.eventCount === 3 && row.lastRevision === 2)).toBe(true);
      expect(await readModelSnapshot(ds, projection)).toEqual(await oracle());
    });
  }

  if (runs('SP-3')) {
    it('SP-3: of two instances started at once exactly one applies; the other takes over when it dies', async () => {
      await appendCases(eventStore, { cases: 8, eventsPerCase: 4 });
      const dsA = await stores.open();
      // One process shares one SQLite DataSource; on PostgreSQL the instances use separate pools.
      const dsB = stores.kind === 'sqlite' ? dsA : await stores.open();
      const recA = recorder();
      const recB = recorder();
      const a = runner(dsA, caseBoardProjection(), { instanceId: 'instance-a', observer: recA.observer, batchSize: 5 });
      const b = runner(dsB, caseBoardProjection(), { instanceId: 'instance-b', observer: recB.observer, batchSize: 5 });
      await Promise.all([a.start(), b.start()]);
      await a.waitForPosition(await eventStore.headPosition());
      await appendCases(eventStore, { cases: 8, eventsPerCase: 2, prefix: 'd' });
      await a.waitForPosition(await eventStore.headPosition());

      const holder = (await a.status()).leaseOwner === 'instance-a' ? a : b;
      const other = holder === a ? b : a;
      const [holderRec, otherRec] = holder === a ? [recA, recB] : [recB, recA];
      expect(holderRec.batches.length).toBeGreaterThan(0);
      expect(otherRec.batches).toHaveLength(0);
      expect((await other.status()).role).toBe('standby');

      await holder.kill(); // stops heartbeating without releasing the lease
      const appliedByHolder = holderRec.batches.length;
      await appendCases(eventStore, { cases: 8, eventsPerCase: 3, prefix: 'e' });
      await waitUntil(async () => (await other.status()).leaseOwner === other.instanceId, FAST.leaseMs * 5);
      await other.waitForPosition(await eventStore.headPosition());
      expect(otherRec.batches.length).toBeGreaterThan(0);
      expect(holderRec.batches).toHaveLength(appliedByHolder);

      // Together the two applied every position range once, in order, never going back.
      const all = [...holderRec.batches, ...otherRec.batches];
      for (let i = 1; i < all.length; i++) expect(all[i].from).toBe(all[i - 1].to);
      expect(all[0].from).toBe(0n);
      expect(await readModelSnapshot(dsA, caseBoardProjection())).toEqual(await oracle());
    });

    it('SP-3: the checkpoint compare-and-set refuses a lower position, a stale expected position and a non-owner', async () => {
      await appendCases(eventStore, { cases: 3, eventsPerCase: 3 });
      const ds = await stores.open();
      const r = runner(ds, caseBoardProjection(), { instanceId: 'owner' });
      await r.start();
      const head = await eventStore.headPosition();
      await r.waitForPosition(head);
      const cas = (from: bigint, to: bigint, owner = 'owner') =>
        ds.transaction((em) => r.checkpoints.advance(em, { name: 'case-board', owner, from, to }));

      expect(await cas(head, head - 3n)).toBe(false); // backwards
      expect(await cas(head, head)).toBe(false); // not forward
      expect(await cas(head - 1n, head + 5n)).toBe(false); // stale expectation
      expect(await cas(head, head + 5n, 'intruder')).toBe(false); // not the lease owner
      expect((await r.status()).position).toBe(head);
    });
  }

  if (runs('SP-4')) {
    it('SP-4: dropping the read model and replaying gives the same rows as the incremental model', async () => {
      const ds = await stores.open();
      const r = runner(ds, caseBoardProjection(), { batchSize: 7 });
      await r.start();
      // Incremental: many small batches interleaved with appends.
      for (let round = 0; round < 4; round++) {
        await appendCases(eventStore, { cases: 6, eventsPerCase: 3, prefix: `r${round}` });
        await appendNoise(eventStore, 5, `r${round}`);
        await r.waitForPosition(await eventStore.headPosition());
      }
      await r.stop();
      const incremental = await readModelSnapshot(ds, caseBoardProjection());
      expect(incremental.pt_case_board).toHaveLength(24);

      for (const entity of [CaseBoardRow, OrgCaseStatsRow]) await ds.query(`DROP TABLE ${quotedPath(ds, entity)}`);
      await ds.query(`DELETE FROM ${r.checkpoints.table}`);
      const replay = runner(ds, caseBoardProjection(), { batchSize: 500 });
      await replay.start();
      await replay.waitForPosition(await eventStore.headPosition());
      expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(incremental);
    });
  }

  if (runs('SP-5')) {
    it('SP-5: a poison event is retried a bounded number of times, then parks the projection at its position until resume', async () => {
      const ds = await stores.open();
      await appendCases(eventStore, { cases: 5, eventsPerCase: 4, poisonAt: { caseIndex: 2, eventIndex: 2 } });
      const poison = (await eventStore.readAll()).find((e) => (e.data as { poison?: boolean }).poison) as RecordedEvent;
      let fixed = false;
      let poisonAttempts = 0;
      const failOn = (e: RecordedEvent) => {
        if (e.id !== poison.id || fixed) return false;
        poisonAttempts++;
        return true;
      };
      const rec = recorder();
      const r = runner(ds, caseBoardProjection({ failOn }), { observer: rec.observer, retry: { batchAttempts: 2, eventAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
      await r.start();
      await waitUntil(async () => (await r.status()).status === 'failed');

      const status = await r.status();
      expect(status.error).toMatchObject({ position: poison.position, eventId: poison.id, attempts: 5 });
      expect(status.error?.message).toContain(`cannot project CaseNoted ${poison.id}`);
      expect(status.position).toBe(poison.position - 1n); // everything before it applied
      expect(poisonAttempts).toBe(5);
      expect(rec.failures).toEqual([expect.objectContaining({ position: poison.position, eventId: poison.id, attempts: 5 })]);

      // Parked, not skipped: nothing at or after the poison event is applied while failed.
      await new Promise((res) => setTimeout(res, FAST.heartbeatMs * 3));
      expect((await r.status()).position).toBe(poison.position - 1n);
      const rows = await caseRows(ds);
      expect(rows.every((row) => BigInt(row.lastPosition) < poison.position)).toBe(true);
      expect(rows.find((row) => row.caseId === 'c-2')?.eventCount).toBe(2);

      fixed = true;
      // Resumed as an operator would from another process (the CLI): the holder's heartbeat notices.
      expect(await new CheckpointStore(await stores.open()).resume('case-board')).toBe(true);
      await r.waitForPosition(await eventStore.headPosition());
      expect((await r.status()).status).toBe('running');
      expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(await oracle());
    });
  }

  if (runs('SP-6')) {
    it('SP-6: catching up while writers keep appending applies every event exactly once', async () => {
      await appendCases(eventStore, { cases: 20, eventsPerCase: 5, prefix: 'pre' });
      const ds = await stores.open();
      const r = runner(ds, caseBoardProjection(), { batchSize: 13 });
      await r.start();
      const writers = [0, 1, 2].map(async (w) => {
        for (let i = 0; i < 6; i++) {
          for (let c = 0; c < 10; c++) {
            const caseId = `w${w}-${c}`;
            await eventStore.appendToStream(`test.case-${caseId}`, [caseEvent(caseId, c, i, 6)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
          }
          await new Promise((res) => setImmediate(res));
        }
      });
      await Promise.all(writers);
      await r.waitForPosition(await eventStore.headPosition());

      const rows = await caseRows(ds);
      expect(rows).toHaveLength(50);
      for (const row of rows) {
        const expected = row.caseId.startsWith('pre') ? 5 : 6;
        expect({ id: row.caseId, count: row.eventCount, last: row.lastRevision }).toEqual({ id: row.caseId, count: expected, last: expected - 1 });
      }
      expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(await oracle());
    });
  }

  if (runs('rebuild')) {
    it('rebuild: queries see the old complete tables until the swap, then the rebuilt ones; lag returns to 0', async () => {
      await appendCases(eventStore, { cases: 30, eventsPerCase: 4 });
      const ds = await stores.open();
      const reader = await stores.open({ readonly: true });
      const v1 = runner(ds, caseBoardProjection({ version: 1 }));
      await v1.start();
      await v1.waitForPosition(await eventStore.headPosition());
      await v1.stop();
      const before = await caseRows(reader);
      expect(before).toHaveLength(30);

      // Version 2 reads titles differently; a runner finding version 1 rebuilds on its own.
      const gated = gatedStore(eventStore);
      const v2projection: Projection = {
        ...caseBoardProjection({ version: 2 }),
        apply: async (events, em, ctx) => {
          await caseBoardProjection().apply(events, em, ctx);
          const repo = ctx.repository(CaseBoardRow);
          for (const e of events.filter((x) => x.type === 'CaseOpened')) {
            await repo.update({ caseId: (e.data as { caseId: string }).caseId }, { title: `v2 ${(e.data as { title: string }).title}` });
          }
        },
      };
      const progress: RebuildProgress[] = [];
      gated.holdAfter(0);
      const v2 = new ProjectionRunner({
        projection: v2projection,
        store: gated.store,
        dataSource: ds,
        batchSize: 25,
        ...FAST,
        observer: { onRebuildProgress: (p) => progress.push(p) },
      });
      runners.push(v2);
      await v2.start();
      await waitUntil(() => gated.isHeld()); // the rebuild has begun and waits before its first read
      gated.holdAfter(2);
      await waitUntil(() => progress.length === 2 && gated.isHeld()); // paused mid-rebuild, between two batches

      await appendCases(eventStore, { cases: 3, eventsPerCase: 2, prefix: 'late' });
      expect(await caseRows(reader)).toEqual(before); // old, complete, untouched
      const mid = await v2.status();
      expect(mid.status).toBe('rebuilding');
      expect(mid.rebuild?.generation).toBe(1);
      expect(mid.rebuild?.position).toBeGreaterThan(0n);

      gated.open();
      await v2.waitForPosition(await eventStore.headPosition());
      const after = await caseRows(reader);
      expect(after).toHaveLength(33);
      expect(after.every((row) => row.title.startsWith('v2 '))).toBe(true);
      expect(await v2.status()).toMatchObject({ status: 'running', generation: 1, version: 2 });
      expect(await v2.lag()).toMatchObject({ positionsBehind: 0n, eventsBehind: 0 });
      expect(progress[progress.length - 1].fraction).toBe(1);
      expect(progress.every((p, i) => i === 0 || p.position > progress[i - 1].position)).toBe(true);
      expect(await readModelSnapshot(ds, v2projection)).toEqual(await oracle(v2projection));

      // A second, explicit rebuild swaps generation 2 in and leaves no shadow table behind.
      await v2.rebuild({ pollMs: 20, timeoutMs: 20_000 });
      expect((await v2.status()).generation).toBe(2);
      expect(await caseRows(reader)).toEqual(after);
      // Asked for by another process (the CLI): the holder's heartbeat picks the request up.
      await new CheckpointStore(await stores.open()).requestRebuild('case-board');
      await waitUntil(async () => (await v2.status()).generation === 3);
      expect(await caseRows(reader)).toEqual(after);

      const tables = await listTables(ds);
      expect(tables.filter((t) => t.startsWith('pt_'))).toEqual(['pt_case_board', 'pt_org_case_stats']);
      // Names unique per schema were renamed back: the swapped schema looks freshly created.
      const indexes = await listIndexes(ds);
      expect(indexes).toContain('IDX_pt_case_board_status');
      if (stores.kind === 'postgres') {
        const fresh = await stores.fresh();
        await new ProjectionRunner({ projection: v2projection, store: eventStore, dataSource: fresh }).prepare();
        expect(indexes).toEqual(await listIndexes(fresh));
      }
    });

    it('rebuild: an instance that dies mid-rebuild is replaced by one that resumes it from its rebuild position', async () => {
      await appendCases(eventStore, { cases: 20, eventsPerCase: 5 });
      const ds = await stores.open();
      const first = runner(ds, caseBoardProjection());
      await first.start();
      await first.waitForPosition(await eventStore.headPosition());
      const gated = gatedStore(eventStore);
      const rec = recorder();
      const rebuilding = new ProjectionRunner({ projection: caseBoardProjection(), store: gated.store, dataSource: ds, batchSize: 20, ...FAST, observer: rec.observer });
      runners.push(rebuilding);
      await first.stop();
      gated.holdAfter(2);
      await rebuilding.start();
      void rebuilding.rebuild().catch(() => undefined);
      await waitUntil(() => gated.isHeld());
      const reached = (await rebuilding.status()).rebuild?.position;
      expect(reached).toBeGreaterThanOrEqual(40n);
      const killed = rebuilding.kill();
      gated.open(); // the read in flight returns; its batch must not commit
      await killed;

      const recNext = recorder();
      const next = runner(ds, caseBoardProjection(), { observer: recNext.observer, batchSize: 20 });
      await next.start();
      await waitUntil(async () => (await next.status()).generation === 1, FAST.leaseMs * 10);
      expect(recNext.batches.filter((b) => b.rebuilding)[0].from).toBe(reached);
      await next.waitForPosition(await eventStore.headPosition());
      expect(await readModelSnapshot(ds, caseBoardProjection())).toEqual(await oracle());
    });
  }
};

export const listTables = async (ds: DataSource): Promise<string[]> => {
  const rows: { name: string }[] =
    ds.options.type === 'postgres'
      ? await ds.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [(ds.options as { schema?: string }).schema])
      : await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1");
  return rows.map((r) => r.name);
};

const quotedPath = (ds: DataSource, entity: EntityClass): string => {
  const md = ds.getMetadata(entity);
  const schema = md.schema ?? (ds.options as { schema?: string }).schema;
  return schema && ds.options.type === 'postgres' ? `"${schema}"."${md.tableName}"` : `"${md.tableName}"`;
};

const listIndexes = async (ds: DataSource): Promise<string[]> => {
  const rows: { name: string }[] =
    ds.options.type === 'postgres'
      ? await ds.query("SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename LIKE 'pt\\_%' ORDER BY 1", [(ds.options as { schema?: string }).schema])
      : await ds.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'pt\\_%' ESCAPE '\\' ORDER BY 1");
  return rows.map((r) => r.name);
};
