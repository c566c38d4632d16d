import { systemPrincipal } from '@gongzhi/auth';
import { principalAt } from '@gongzhi/auth/testing';
import { readModelSnapshot } from '@gongzhi/projections';
import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { Client } from 'pg';
import { ORG_PROJECTION } from './org.module';
import { OrgReadModel } from './queries/org-read-model';
import { ORG_READ_MODEL_ENTITIES, StaffRow } from './read-model/org.entities';
import { createOrgTestApp, createScopeTree, type OrgTestApp } from './testing';
import { CreateOrgUnitCommand, MoveOrgUnitCommand, RegisterStaffCommand } from './write/commands';

// Applies the projection inline (see createOrgTestApp): this exercises the projection's SQL on
// PostgreSQL, independent of the runner, whose own PostgreSQL suite covers checkpoints and leases.
describeWithPostgres()('org projection on PostgreSQL', () => {
  const schema = freshSchemaName('org_proj');
  let t: OrgTestApp;
  const admin = systemPrincipal('pg-spec');
  const meta = { correlationId: 'pg-spec' };

  beforeAll(async () => {
    const client = new Client({ connectionString: postgresTestUrl() });
    await client.connect();
    await client.query('CREATE SCHEMA ' + client.escapeIdentifier(schema));
    await client.end();
    t = await createOrgTestApp({
      dataSourceOptions: { type: 'postgres', url: postgresTestUrl(), schema, entities: ORG_READ_MODEL_ENTITIES, poolSize: 4 },
      inlineProjection: true,
    });
    await createScopeTree(t.commandBus, { prefix: 'p-' });
    // Prefix siblings: moving b1 must not touch b10.
    for (const [id, parentId] of [['b1', 'p-county-a'], ['b10', 'p-county-a'], ['b1-grid', 'b1']]) {
      await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId: id, name: id, kind: 'grid', parentId }, admin, meta));
    }
    await t.commandBus.execute(new RegisterStaffCommand({ staffId: 'b1-worker', displayName: '網格員', orgUnitId: 'b1-grid' }, admin, meta));
    await t.settle();
  });

  afterAll(async () => {
    await t?.close();
    const client = new Client({ connectionString: postgresTestUrl() });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS ' + client.escapeIdentifier(schema) + ' CASCADE');
    await client.end();
  });

  it('a move re-projects the subtree paths and leaves the prefix sibling alone', async () => {
    await t.commandBus.execute(new MoveOrgUnitCommand({ orgUnitId: 'b1', newParentId: 'p-county-b' }, admin, meta));
    await t.settle();
    const rows = await t.app.get(OrgReadModel).orgUnits(admin, { underId: 'p-city', limit: 100 });
    expect(rows.map((r) => [r.id, r.path, r.depth])).toEqual([
      ['p-county-a', '/p-province/p-city/p-county-a/', 3],
      ['b10', '/p-province/p-city/p-county-a/b10/', 4],
      ['p-community-a', '/p-province/p-city/p-county-a/p-community-a/', 4],
      ['p-county-b', '/p-province/p-city/p-county-b/', 3],
      ['b1', '/p-province/p-city/p-county-b/b1/', 4],
      ['b1-grid', '/p-province/p-city/p-county-b/b1/b1-grid/', 5],
    ]);
    const staff = await t.dataSource.getRepository(StaffRow).findOneByOrFail({ id: 'b1-worker' });
    expect(staff.owningOrgPath).toBe('/p-province/p-city/p-county-b/b1/b1-grid/');
  });

  it('scope predicates hold on PostgreSQL: county A no longer sees b1, county B does', async () => {
    const ids = async (path: string) => (await t.app.get(OrgReadModel).orgUnits(principalAt(path), { limit: 100 })).map((r) => r.id);
    expect(await ids('/p-province/p-city/p-county-a/')).toEqual(['p-county-a', 'b10', 'p-community-a']);
    expect(await ids('/p-province/p-city/p-county-b/')).toEqual(['p-county-b', 'b1', 'b1-grid']);
    expect(await ids('/p-province/p-city/p-county-a/b1/')).toEqual([]);
  });

  it('replaying the log from scratch equals the incremental read model (SP-4)', async () => {
    const projection = t.app.get(ORG_PROJECTION);
    const before = await readModelSnapshot(t.dataSource, projection);
    expect(before.org_units).toHaveLength(8);
    await t.replay!();
    expect(await readModelSnapshot(t.dataSource, projection)).toEqual(before);
  });
});
