import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { describeWithPostgres } from '@gongzhi/testing';
import { In, type DataSource } from 'typeorm';
import { defineProjection, type Projection } from '../projection';
import { ProjectionRunner } from '../runner';
import { withWriteLock } from '../read-store';
import { caseBoardProjection, CaseBoardRow, OrgCaseStatsRow } from '../test-support/case-board.projection';
import { appendCases, appendNoise, postgresReadStores, sqliteReadStores, type ReadStoreFactory } from '../test-support/fixtures';
import { compareWithRebuild, formatOracleReport } from './read-model-oracle';

const FAST = { leaseMs: 1000, heartbeatMs: 250, acquireIntervalMs: 50, retry: { baseDelayMs: 5, maxDelayMs: 20 } } as const;

/** The case board, plus a column stamped from the clock: what SP-4 forbids, and the oracle must catch. */
const clockedCaseBoard = (): Projection => {
  const base = caseBoardProjection({ name: 'clocked-case-board' });
  return defineProjection({
    ...base,
    async apply(events, em, ctx) {
      await base.apply(events, em, ctx);
      const ids = events.map((e) => (e.data as { caseId: string }).caseId);
      await em.getRepository(ctx.target(CaseBoardRow)).update({ caseId: In(ids) }, { openedAt: `${Date.now()}.${Math.random().toString(36).slice(2, 10)}` });
    },
  });
};

const oracleSuite = (name: string, describeFn: jest.Describe, makeStores: () => ReadStoreFactory) =>
  describeFn(`compareWithRebuild on ${name}`, () => {
    let stores: ReadStoreFactory;
    let store: InMemoryEventStore;
    let ds: DataSource;
    const runners: ProjectionRunner[] = [];

    const run = async (projection: Projection) => {
      const r = new ProjectionRunner({ projection, store, dataSource: ds, batchSize: 7, ...FAST });
      runners.push(r);
      await r.start();
      await r.waitForPosition(await store.headPosition());
      return r;
    };

    beforeEach(async () => {
      stores = makeStores();
      store = new InMemoryEventStore({ clock: () => new Date('2025-06-01T00:00:00Z'), pollIntervalMs: 20 });
      ds = await stores.open();
      await appendCases(store, { cases: 9, eventsPerCase: 4 });
      await appendNoise(store, 5);
    });
    afterEach(async () => {
      for (const r of runners.splice(0)) await r.stop();
      await store.close();
      await stores.cleanup();
    });

    it('finds the incrementally built model equal to a rebuild, without touching the live store or the log', async () => {
      const projection = caseBoardProjection();
      const runner = await run(projection);
      const head = await store.headPosition();
      const report = await compareWithRebuild({ store, dataSource: ds, projections: [projection] });
      expect(formatOracleReport(report)).toMatch(/^read models equal a rebuild at position/);
      expect(report).toMatchObject({ equal: true, position: head, headBefore: head, headAfter: head, differences: [], failures: [] });
      expect(report.tables).toEqual([
        { projection: 'case-board', table: 'pt_case_board', incrementalRows: 9, rebuiltRows: 9, differences: 0 },
        { projection: 'case-board', table: 'pt_org_case_stats', incrementalRows: 4, rebuiltRows: 4, differences: 0 },
      ]);
      expect(await runner.status()).toMatchObject({ generation: 0, position: head });
    });

    it('reports a corrupted column, a deleted row and an extra row by table and key', async () => {
      const projection = caseBoardProjection();
      await run(projection);
      await withWriteLock(ds, async () => {
        await ds.getRepository(CaseBoardRow).update({ caseId: 'c-3' }, { title: '篡改' });
        await ds.getRepository(OrgCaseStatsRow).delete({ orgUnitPath: 'cn.gz' });
        await ds.getRepository(OrgCaseStatsRow).insert({ orgUnitPath: 'cn.nowhere', openCases: 1, closedCases: 0, events: 1 });
      });
      const report = await compareWithRebuild({ store, dataSource: ds, projections: [projection] });
      expect(report.equal).toBe(false);
      expect(report.differences).toEqual([
        {
          projection: 'case-board',
          table: 'pt_case_board',
          key: { caseId: 'c-3' },
          kind: 'changed',
          columns: [{ column: 'title', incremental: '篡改', rebuilt: '案件 c-3' }],
        },
        { projection: 'case-board', table: 'pt_org_case_stats', key: { orgUnitPath: 'cn.gz' }, kind: 'only-rebuilt', columns: [] },
        { projection: 'case-board', table: 'pt_org_case_stats', key: { orgUnitPath: 'cn.nowhere' }, kind: 'only-incremental', columns: [] },
      ]);
      expect(formatOracleReport(report)).toContain('pt_case_board {"caseId":"c-3"}: title: "篡改" (incremental) vs "案件 c-3" (rebuilt)');
      // Reported, not repaired.
      expect((await ds.getRepository(CaseBoardRow).findOneByOrFail({ caseId: 'c-3' })).title).toBe('篡改');
    });

    it('catches a projection that takes a value from the clock (SP-4), naming the column', async () => {
      const projection = clockedCaseBoard();
      await run(projection);
      const report = await compareWithRebuild({ store, dataSource: ds, projections: [projection] });
      expect(report.equal).toBe(false);
      const changed = report.differences.filter((d) => d.table === 'pt_case_board');
      expect(changed).toHaveLength(9);
      expect(new Set(changed.flatMap((d) => d.columns.map((c) => c.column)))).toEqual(new Set(['openedAt']));
    });

    it('compares at one common position while the log keeps growing', async () => {
      const projection = caseBoardProjection();
      await run(projection);
      const more = appendCases(store, { cases: 5, eventsPerCase: 3, prefix: 'late' });
      const report = await compareWithRebuild({ store, dataSource: ds, projections: [projection] });
      await more;
      expect(formatOracleReport(report)).toMatch(/^read models equal/);
      expect(report.equal).toBe(true);
    });

    it('reports a projection whose rebuild fails instead of hanging', async () => {
      const projection = caseBoardProjection();
      await run(projection);
      const poisoned = defineProjection({ ...projection, apply: async () => Promise.reject(new Error('cannot replay')) });
      const report = await compareWithRebuild({ store, dataSource: ds, projections: [poisoned] }, { timeoutMs: 10_000 });
      expect(report.equal).toBe(false);
      expect(report.failures).toEqual([{ projection: 'case-board', error: expect.stringContaining('cannot replay') }]);
    });
  });

oracleSuite('SQLite', describe, sqliteReadStores);
oracleSuite('PostgreSQL', describeWithPostgres(), () => postgresReadStores('oracle'));
