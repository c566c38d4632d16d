import { Role, systemPrincipal } from '@gongzhi/auth';
import { INCIDENT_STATUSES } from '@gongzhi/community-domain';
import { AssignRoleCommand, CreateOrgUnitCommand, RegisterStaffCommand } from '@gongzhi/org';
import { CommunityReadModel } from '../queries/community-read-model';
import { actor } from '../test-support/scenario';
import { COMMUNITY_TEST_TREE, createCommunityTestApp, type CommunityTestApp } from '../testing';
import { seedCommunityDemo, type DemoCommunity } from './community-demo';

const SONGLING = ['shuixiang', 'xitang', 'beimen', 'sancun', 'ercun', 'dongmen', 'chengzhong', 'shili', 'xiyuanwei', 'meishi', 'aolin-qinghua'];

describe('community demo data', () => {
  let t: CommunityTestApp;
  const communities: DemoCommunity[] = SONGLING.map((id) => ({ id: `songling-${id}`, name: `${id}社區`, staff: [{ id: `songling-${id}-grid`, role: 'grid-worker' }] }));
  const now = new Date('2024-05-20T06:00:00.000Z');

  beforeAll(async () => {
    t = await createCommunityTestApp();
    const p = systemPrincipal('test-seed');
    const m = { correlationId: 'demo-tree' };
    await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId: 'wujiang', name: '吳江市', kind: 'government-organ', parentId: null }, p, m));
    await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId: 'songling', name: '松陵辦事處', kind: 'street-office', parentId: 'wujiang' }, p, m));
    for (const c of communities) {
      await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId: c.id, name: c.name, kind: 'community', parentId: 'songling' }, p, m));
      const staffId = c.staff?.[0].id as string;
      await t.commandBus.execute(new RegisterStaffCommand({ staffId, displayName: '網格員', orgUnitId: c.id }, p, m));
      await t.commandBus.execute(new AssignRoleCommand({ staffId, role: 'grid-worker', orgUnitId: c.id, scope: 'unit' }, p, m));
    }
    await t.settle();
  });
  afterAll(() => t?.close());

  it('puts grids in all 11 communities and incidents in every status, some overdue, reworked or from 12345; a second run appends nothing', async () => {
    const first = await seedCommunityDemo(t.app, { now, communities });
    expect(first).toMatchObject({ grids: 15, incidents: 33, replayed: 0 });
    await t.settle();
    const tree = COMMUNITY_TEST_TREE();
    const officer = actor({ ...tree, paths: { ...tree.paths, songling: '/wujiang/songling/' } }, 'songling', [Role.CommunityWorker]);
    const reads = t.app.get(CommunityReadModel);
    const rows = await reads.incidents(officer, {}, { limit: 100 });
    expect(rows).toHaveLength(33);
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of INCIDENT_STATUSES) expect([s, statuses.has(s)]).toEqual([s, true]);
    expect(rows.filter((r) => r.channel === 'hotline').length).toBeGreaterThanOrEqual(6);
    expect(rows.filter((r) => r.reworkCount > 0).length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.wasLate).length).toBeGreaterThanOrEqual(1);
    expect((await reads.grids(officer, { limit: 100 })).map((g) => g.communityId).filter((v, i, a) => a.indexOf(v) === i)).toHaveLength(11);

    const again = await seedCommunityDemo(t.app, { now, communities });
    expect(again.appended).toBe(0);
  });
});
