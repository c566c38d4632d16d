import { systemPrincipal } from '@gongzhi/auth';
import { CreateOrgUnitCommand } from '@gongzhi/org';
import { LeagueReadModel } from '../queries/league-read-model';
import { CampaignTaskRow, TimeBankAccountRow } from '../read-model/league.entities';
import { createLeagueTestApp, type LeagueTestApp } from '../testing';
import { seedYouthLeagueDemo } from './league-demo';

const UNITS: Array<[id: string, name: string, kind: string, parent: string | null]> = [
  ['gz-league', '共青團貴州省委', 'league-committee', null],
  ['gz-league-guiyang', '共青團貴陽市委', 'league-committee', 'gz-league'],
  ['gz-league-xiuwen', '共青團修文縣委', 'league-committee', 'gz-league-guiyang'],
  ['gz-league-zunyi', '共青團遵義市委', 'league-committee', 'gz-league'],
  ['gz-league-meitan', '共青團湄潭縣委', 'league-committee', 'gz-league-zunyi'],
  ['wujiang', '吳江市', 'government-organ', null],
  ['songling', '松陵辦事處', 'street-office', 'wujiang'],
  ['songling-ercun', '二村社區', 'community', 'songling'],
];

describe('Youth League demo seed', () => {
  let t: LeagueTestApp;
  const now = new Date('2024-09-01T04:00:00.000Z');

  beforeAll(async () => {
    t = await createLeagueTestApp();
    for (const [orgUnitId, name, kind, parentId] of UNITS) {
      await t.commandBus.execute(new CreateOrgUnitCommand({ orgUnitId, name, kind: kind as never, parentId }, systemPrincipal('seed'), { correlationId: 'seed' }));
    }
    await t.settle();
  });
  afterAll(() => t?.close());

  it('builds the story through the command path, and a second run appends nothing', async () => {
    const first = await seedYouthLeagueDemo(t.app, { now, settle: t.settle });
    expect(first).toMatchObject({ campaigns: 2, activities: 4, volunteers: 6, replayed: 0 });
    expect(first.appended).toBeGreaterThan(100);
    await t.settle();
    const head = await t.store.headPosition();
    const second = await seedYouthLeagueDemo(t.app, { now, settle: t.settle });
    expect(second.appended).toBe(0);
    await t.settle();
    expect(await t.store.headPosition()).toBe(head);
  });

  it('cascades 春暉行動 to the counties, one completed and one overdue', async () => {
    const tasks = await t.dataSource.getRepository(CampaignTaskRow).find({ where: { campaignId: 'chunhui-2024' }, order: { taskId: 'ASC' } });
    expect(tasks.map((k) => [k.taskId, k.status, k.overdue])).toEqual([
      ['guiyang', 'Acknowledged', false],
      ['meitan', 'Issued', true],
      ['xiuwen', 'Completed', false],
      ['zunyi', 'Acknowledged', false],
    ]);
  });

  it('keeps 二村社區’s time bank balanced, the volunteers credited for their service and the exchanges spent', async () => {
    const read = t.app.get(LeagueReadModel);
    const end = '2099-01-01T00:00:00.000Z';
    expect(await read.bankTotalAsOf('ercun-time-bank', end)).toBe(0);
    const balances = Object.fromEntries(
      (await t.dataSource.getRepository(TimeBankAccountRow).find({ where: { bankId: 'ercun-time-bank' } })).map((a) => [a.accountId, a.balanceMinutes]),
    );
    expect(balances).toEqual({
      'ercun-time-bank-issuer': -330,
      chen: 120,
      zhou: 60,
      'aunt-zhang': 60,
      'uncle-wang': 90,
      'residents-committee': 0,
    });
  });
});
