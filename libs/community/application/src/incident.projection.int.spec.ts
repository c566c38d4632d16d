import { Role } from '@gongzhi/auth';
import { MoveOrgUnitCommand } from '@gongzhi/org';
import { readModelSnapshot, type Projection, type ProjectionRunner } from '@gongzhi/projections';
import { Client } from 'pg';
import { describeWithPostgres, FakeClock, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import type { DataSourceOptions } from 'typeorm';
import { CommunityReadModel } from './queries/community-read-model';
import { COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION } from './tokens';
import { actor, defineSancunGrid, LOCATION, meta, run, system, type Tree } from './test-support/scenario';
import { communityTestEntities, createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from './testing';
import {
  AcceptIncidentCommand,
  CloseIncidentCommand,
  DispatchIncidentCommand,
  FailVerificationCommand,
  FileIncidentCommand,
  ParkIncidentCommand,
  PassVerificationCommand,
  ReceiveHotlineWorkOrderCommand,
  ReportHandlingCommand,
  ReportIncidentCommand,
} from './write/commands';

const GARBAGE = 'event.city-appearance.exposed-garbage';

/**
 * The incident and grid projections on a real read store: the rows and counters a scenario
 * produces, the paths an org move rewrites, and the SP-4 oracle (a rebuild from position 0
 * equals the incrementally maintained tables).
 */
const projectionSuite = (name: string, describeFn: jest.Describe, store: () => Promise<{ options?: DataSourceOptions; cleanup?: () => Promise<void> }>) =>
  describeFn(`community projections on ${name}`, () => {
    let t: CommunityTestApp;
    let tree: Tree;
    let cleanup: (() => Promise<void>) | undefined;
    const clock = new FakeClock('2024-03-04T01:00:00.000Z');
    const officer = () => actor(tree, 'sancun', [Role.CommunityWorker]);
    const street = (unit = 'songling') => actor(tree, unit, [Role.CommunityWorker]);
    const runner = (projection: string): ProjectionRunner => {
      const found = t.runners.find((r) => r.name === projection);
      if (!found) throw new Error(projection);
      return found;
    };

    beforeAll(async () => {
      const s = await store();
      cleanup = s.cleanup;
      t = await createCommunityTestApp({ clock, ...(s.options ? { dataSourceOptions: s.options } : {}) });
      tree = await createCommunityTestTree(t.commandBus);
      await defineSancunGrid(t.commandBus, tree);
      const report = async (description: string) =>
        (await run(t.commandBus, new ReportIncidentCommand({ channel: 'grid-patrol', gridId: 'sancun-grid-01', location: LOCATION, description }, officer(), meta()))).aggregateId;
      const dispatched = async (description: string) => {
        const id = await report(description);
        await run(t.commandBus, new AcceptIncidentCommand({ incidentId: id }, officer(), meta()));
        await run(t.commandBus, new FileIncidentCommand({ incidentId: id, categoryCode: GARBAGE }, officer(), meta()));
        await run(t.commandBus, new DispatchIncidentCommand({ incidentId: id, toOrgUnitId: 'chengguan' }, street(), meta()));
        return id;
      };
      await report('新上報');
      const closed = await dispatched('已結案');
      await run(t.commandBus, new ReportHandlingCommand({ incidentId: closed, notes: '已處置' }, street(), meta()));
      await run(t.commandBus, new FailVerificationCommand({ incidentId: closed, note: '未處置到位' }, officer(), meta()));
      await run(t.commandBus, new ReportHandlingCommand({ incidentId: closed, notes: '再次處置' }, street(), meta()));
      await run(t.commandBus, new PassVerificationCommand({ incidentId: closed }, officer(), meta()));
      await run(t.commandBus, new CloseIncidentCommand({ incidentId: closed }, officer(), meta()));
      const parked = await dispatched('掛賬');
      await run(t.commandBus, new ParkIncidentCommand({ incidentId: parked, reason: '涉及產權爭議' }, officer(), meta()));
      await run(
        t.commandBus,
        new ReceiveHotlineWorkOrderCommand(
          { ticketNumber: 'PG-0001', category: GARBAGE, description: '垃圾未清', location: LOCATION, unitCode: 'sancun', callerRef: 'c-1' },
          system(),
          meta(),
        ),
      );
      clock.set('2024-04-02T01:00:00.000Z');
      await dispatched('四月上報');
      await t.settle();
    });
    afterAll(async () => {
      await t?.close();
      await cleanup?.();
    });

    it('keeps one row per incident with its status, and monthly counters per community and grid', async () => {
      const reads = t.app.get(CommunityReadModel);
      const rows = await reads.incidents(street(), {}, { limit: 50 });
      expect(rows.map((r) => [r.description, r.status, r.reworkCount]).sort()).toEqual(
        [
          ['新上報', 'Reported', 0],
          ['已結案', 'Closed', 1],
          ['掛賬', 'Parked', 0],
          ['垃圾未清', 'Dispatched', 0],
          ['四月上報', 'Dispatched', 0],
        ].sort(),
      );
      const march = await reads.kpis(street(), { underOrgUnitId: 'songling', fromMonth: '2024-03', toMonth: '2024-04' });
      expect(march.lines.map((l) => [l.orgUnitId, l.month, l.reported, l.filed, l.closed, l.closedReworked])).toEqual([
        ['sancun', '2024-03', 4, 3, 1, 1],
        ['sancun', '2024-04', 1, 1, 0, 0],
      ]);
    });

    it('rewrites owning paths when a community moves to another street office, so scopes follow', async () => {
      await run(t.commandBus, new MoveOrgUnitCommand({ orgUnitId: 'sancun', newParentId: 'shengze' }, system(), meta()));
      await t.settle();
      const reads = t.app.get(CommunityReadModel);
      // 松陵 keeps the cases its department handled; the rest left its scope with the community.
      expect((await reads.incidents(street('songling'), {}, { limit: 50 })).map((r) => r.description).sort()).toEqual(['四月上報', '已結案', '掛賬'].sort());
      const moved = await reads.incidents(street('shengze'), {}, { limit: 50 });
      expect(moved).toHaveLength(5);
      expect(new Set(moved.map((r) => r.owningOrgPath))).toEqual(new Set(['/wujiang/shengze/sancun/sancun-grid-01/', '/wujiang/shengze/sancun/']));
      expect((await reads.grid(street('shengze'), 'sancun-grid-01'))?.owningOrgPath).toBe('/wujiang/shengze/sancun/sancun-grid-01/');
      const kpis = await reads.kpis(street('shengze'), { underOrgUnitId: 'shengze', fromMonth: '2024-03', toMonth: '2024-04' });
      expect(kpis.total.reported).toBe(5);
      await expect(reads.kpis(street('songling'), { underOrgUnitId: 'shengze', fromMonth: '2024-03', toMonth: '2024-04' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('rebuilds from position 0 into the very same rows (SP-4)', async () => {
      for (const token of [COMMUNITY_INCIDENT_PROJECTION, COMMUNITY_GRID_PROJECTION]) {
        const projection = t.app.get<Projection>(token);
        const before = await readModelSnapshot(t.dataSource, projection);
        expect(Object.values(before).some((rows) => rows.length > 0)).toBe(true);
        await runner(projection.name).rebuild();
        expect(await readModelSnapshot(t.dataSource, projection)).toEqual(before);
      }
    });
  });

const admin = async (sql: string): Promise<void> => {
  const client = new Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

projectionSuite('SQLite', describe, async () => ({}));

projectionSuite('PostgreSQL', describeWithPostgres(), async () => {
  const schema = freshSchemaName('community');
  await admin(`CREATE SCHEMA "${schema}"`);
  return {
    options: { type: 'postgres', url: postgresTestUrl(), schema, entities: communityTestEntities(), poolSize: 6 },
    cleanup: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
});
