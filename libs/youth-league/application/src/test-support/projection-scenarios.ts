import { systemPrincipal } from '@gongzhi/auth';
import { CreateOrgUnitCommand, MoveOrgUnitCommand } from '@gongzhi/org';
import { seedYouthLeagueDemo } from '../demo/league-demo';
import { CampaignTaskRow, VolunteerRow } from '../read-model/league.entities';
import { LeagueReadModel } from '../queries/league-read-model';
import { LEAGUE_READ_MODEL_ENTITIES } from '../youth-league.module';
import type { LeagueTestApp } from '../testing';

export const DEMO_ORG_UNITS: Array<[id: string, name: string, kind: string, parent: string | null]> = [
  ['gz-league', '共青團貴州省委', 'league-committee', null],
  ['gz-league-guiyang', '共青團貴陽市委', 'league-committee', 'gz-league'],
  ['gz-league-xiuwen', '共青團修文縣委', 'league-committee', 'gz-league-guiyang'],
  ['gz-league-zunyi', '共青團遵義市委', 'league-committee', 'gz-league'],
  ['gz-league-meitan', '共青團湄潭縣委', 'league-committee', 'gz-league-zunyi'],
  ['wujiang', '吳江市', 'government-organ', null],
  ['songling', '松陵辦事處', 'street-office', 'wujiang'],
  ['songling-ercun', '二村社區', 'community', 'songling'],
];

const snapshot = async (t: LeagueTestApp) => {
  const out: Record<string, unknown[]> = {};
  for (const entity of LEAGUE_READ_MODEL_ENTITIES) out[entity.name] = await t.dataSource.getRepository(entity).find({ order: { id: 'ASC' } as never });
  return out;
};

const LEAGUE_PROJECTIONS = ['league-volunteers', 'league-activities', 'league-time-bank', 'league-campaigns', 'league-time-bank-credit'];

/**
 * The league projections on a given read store: the demo story applied incrementally, then
 * every projection rebuilt from position 0 must give identical tables (SP-4) and append nothing
 * (the reactor's commands replay idempotently); a unit's move rewrites the paths of its subtree.
 */
export const projectionScenarios = (make: () => Promise<LeagueTestApp>) => {
  let t: LeagueTestApp;
  const now = new Date('2024-09-01T04:00:00.000Z');

  beforeAll(async () => {
    t = await make();
    for (const [orgUnitId, name, kind, parentId] of DEMO_ORG_UNITS) {
      await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId, name, kind: kind as never, parentId }, systemPrincipal('seed'), { correlationId: 'seed' }));
    }
    await t.settle();
    await seedYouthLeagueDemo(t.app, { now, settle: t.settle });
    await t.settle();
  });
  afterAll(() => t?.close());

  const rebuildAll = async () => {
    for (const runner of t.runners.filter((r) => LEAGUE_PROJECTIONS.includes(r.name))) await runner.rebuild({ timeoutMs: 60_000, pollMs: 20 });
  };

  it('answers the read-side questions of the story', async () => {
    const read = t.app.get(LeagueReadModel);
    const admin = systemPrincipal('reader');
    const end = '2099-01-01T00:00:00.000Z';
    expect((await read.certificate(admin, 'gz-vol-luo', end)).byOrganization.map((l) => [l.organizerOrgUnitId, l.minutes])).toEqual([
      ['gz-league-guiyang', 330],
      ['gz-league-xiuwen', 240],
    ]);
    expect(await read.bankTotalAsOf('ercun-time-bank', end)).toBe(0);
    expect(await read.balanceAsOf('ercun-time-bank', 'chen', end)).toBe(120);
    expect((await read.campaignTasks(admin, { campaignId: 'chunhui-2024', openOnly: true }, { limit: 10 })).map((k) => k.taskId)).toEqual(['guiyang', 'zunyi']);
  });

  it('rebuilds every league projection from position 0 to identical tables, appending nothing (SP-4)', async () => {
    const before = await snapshot(t);
    const head = await t.store.headPosition();
    await rebuildAll();
    expect(await t.store.headPosition()).toBe(head);
    expect(await snapshot(t)).toEqual(before);
    expect(before.VolunteerRow.length).toBe(6);
    expect(before.HourEntryRow.length).toBe(8);
  });

  it('rewrites paths when a committee moves, and a rebuild agrees', async () => {
    await t.commandBus.execute(new MoveOrgUnitCommand({ orgUnitId: 'gz-league-xiuwen', newParentId: 'gz-league-zunyi' }, systemPrincipal('seed'), { correlationId: 'move' }));
    await t.settle();
    const moved = '/gz-league/gz-league-zunyi/gz-league-xiuwen/';
    expect((await t.dataSource.getRepository(VolunteerRow).findOneBy({ id: 'gz-vol-luo' }))?.owningOrgPath).toBe(moved);
    expect((await t.dataSource.getRepository(CampaignTaskRow).findOneBy({ id: 'chunhui-2024/xiuwen' }))?.owningOrgPath).toBe(moved);
    const before = await snapshot(t);
    await rebuildAll();
    expect(await snapshot(t)).toEqual(before);
  });
};
