import { systemPrincipal } from '@gongzhi/auth';
import { MoveOrgUnitCommand } from '@gongzhi/org';
import { ProjectionRunner } from '@gongzhi/projections';
import { describeWithPostgres, FakeClock, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LaborDisputeFactRow, LaborDisputeRow } from './read-model/labor-dispute.entities';
import { createLaborDisputeProjection } from './read-model/labor-dispute.projection';
import { createUnionTestApp, createUnionTree, UNION_TEST_ENTITIES, type UnionTestApp, type UnionTree } from './testing';
import { filing, groupFiling, meta, officerAt } from './test-support/fixtures';

const url = postgresTestUrl();

const withClient = async (work: (c: Client) => Promise<unknown>) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
};

const pgOptions = (schema: string) => ({ type: 'postgres' as const, url, schema, entities: UNION_TEST_ENTITIES, extra: { max: 4 } });

describeWithPostgres()('labor disputes on a PostgreSQL read store', () => {
  const schemas = [freshSchemaName('union_ld'), freshSchemaName('union_ld_oracle')];
  let t: UnionTestApp;
  let tree: UnionTree;
  let clock: FakeClock;
  const officer = (level: keyof UnionTree['paths']) => officerAt(tree.paths[level]);

  beforeAll(async () => {
    await withClient(async (c) => {
      for (const s of schemas) await c.query('CREATE SCHEMA IF NOT EXISTS ' + c.escapeIdentifier(s));
    });
    clock = new FakeClock('2024-03-01T02:00:00Z');
    t = await createUnionTestApp({ clock, dataSourceOptions: pgOptions(schemas[0]) });
    tree = await createUnionTree(t.commandBus);
    await t.settle();
  });
  afterAll(async () => {
    await t?.close();
    await withClient(async (c) => {
      for (const s of schemas) await c.query('DROP SCHEMA IF EXISTS ' + c.escapeIdentifier(s) + ' CASCADE');
    });
  });

  it('lists, counts and scopes disputes, follows transfers and moves, and equals a rebuild', async () => {
    const step = (id: string, type: string, data: Record<string, unknown>, who = officer('rucheng')) =>
      t.disputes.step({ type, data: { disputeId: id, ...data } } as never, who, meta());
    const a = (await t.disputes.file(filing(tree.ids.rucheng), officer('rucheng'), meta())).aggregateId;
    await step(a, 'ApplyForMediation', { committee: { kind: 'enterprise', name: 'c' }, form: 'oral' });
    await step(a, 'AcceptMediation', {});
    clock.advance({ days: 2 });
    await step(a, 'SignMediationAgreement', { terms: 't', performanceDueDate: '2024-03-10', partiesSigned: true, mediatorSigned: true, committeeSealed: true });
    const b = (await t.disputes.file(groupFiling(tree.ids.tuqiao), officer('tuqiao'), meta())).aggregateId;
    await step(b, 'ApplyForArbitration', { commission: '汝城縣仲裁委' }, officer('tuqiao'));
    const c = (await t.disputes.file(filing(tree.ids.yizhang, { category: 'labor-contract' }), officer('yizhang'), meta())).aggregateId;
    clock.advance({ days: 10 });
    await t.disputes.transfer({ disputeId: c, toOrgUnitId: tree.ids.rucheng, reason: 'r' }, officer('city'), meta());
    await t.settle();

    const ids = async (who: ReturnType<typeof officer>, filter = {}) => (await t.queries.list(who, filter, { limit: 10 })).map((r) => r.disputeId);
    expect(await ids(officer('city'))).toEqual([c, b, a]);
    expect(await ids(officer('rucheng'), { group: true })).toEqual([b]);
    // The commission's 5 days to accept (b) and the agreed performance date (a, 10 March) have both passed.
    expect(await ids(officer('rucheng'), { overdue: true })).toEqual([b, a]);
    expect(await ids(officer('yizhang'))).toEqual([]);
    expect((await t.queries.kpis(officer('city'), { orgUnitId: tree.ids.city, fromMonth: '2024-03', toMonth: '2024-03' }))[0]).toMatchObject({
      filed: 3,
      groupDisputes: 1,
      mediatedSuccessfully: 1,
      mediationSuccessRate: 1,
    });
    expect((await t.queries.kpis(officer('yizhang'), { orgUnitId: tree.ids.yizhang, fromMonth: '2024-03', toMonth: '2024-03' }))[0].filed).toBe(1);

    await t.commandBus.execute(new MoveOrgUnitCommand({ orgUnitId: tree.ids.tuqiao, newParentId: tree.ids.yizhang }, systemPrincipal('t'), { correlationId: 'move' }));
    await t.settle();
    expect(await ids(officer('yizhang'))).toEqual([b]);
    expect((await t.queries.kpis(officer('yizhang'), { orgUnitId: tree.ids.yizhang, fromMonth: '2024-03', toMonth: '2024-03' }))[0]).toMatchObject({ filed: 2, groupDisputes: 1 });

    const oracle = new DataSource(pgOptions(schemas[1]));
    await oracle.initialize();
    const runner = new ProjectionRunner({ projection: createLaborDisputeProjection(), store: t.store, dataSource: oracle, leaseMs: 3_000 });
    await runner.start();
    await runner.waitForPosition(await t.store.headPosition(), { timeoutMs: 10_000, pollMs: 10 });
    const dump = async (ds: DataSource) => ({
      disputes: await ds.getRepository(LaborDisputeRow).find({ order: { disputeId: 'ASC' } }),
      facts: await ds.getRepository(LaborDisputeFactRow).find({ order: { disputeId: 'ASC', kind: 'ASC' } }),
    });
    expect(await dump(oracle)).toEqual(await dump(t.dataSource));
    await runner.stop();
    await oracle.destroy();
  });
});
