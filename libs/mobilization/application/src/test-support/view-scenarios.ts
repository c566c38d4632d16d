import { Role } from '@gongzhi/auth';
import { MoveOrgUnitCommand } from '@gongzhi/org';
import { systemPrincipal } from '@gongzhi/auth';
import type { Figures, MobilizationOverview } from '../mobilization-view';
import { MobilizationFactRow } from '../mobilization.entities';
import { appendStory, T, type MobilizationHarness } from './mobilization-scenario';

const ADDITIVE_ORG = ['tasksIssued', 'tasksAcknowledged', 'tasksCompleted', 'tasksOverdue', 'staffDispatched'] as const;
const ADDITIVE_SOCIAL = ['volunteersMobilized', 'serviceMinutes', 'activities', 'foundationProjects', 'fundsPledgedFen', 'fundsReceivedFen', 'beneficiaries'] as const;

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code ?? String(e));

/** own + Σ children = total, for every additive figure: each fact is counted once per level. */
const expectRollUpIdentity = (o: MobilizationOverview) => {
  const add = (f: Figures[], side: 'organizational' | 'social', key: string) => f.reduce((s, x) => s + (x[side] as any)[key], 0);
  for (const key of ADDITIVE_ORG) expect(add([o.own, ...o.children], 'organizational', key)).toBe(o.organizational[key]);
  for (const key of ADDITIVE_SOCIAL) expect(add([o.own, ...o.children], 'social', key)).toBe(o.social[key]);
};

/**
 * The view's behaviour on any read store. `make` builds a fresh harness; the scenarios share one
 * (they read the same story; the last one moves a unit).
 */
export const viewScenarios = (make: () => Promise<MobilizationHarness>) => {
  let h: MobilizationHarness;
  const LATER = '2099-01-01T00:00:00.000Z';

  beforeAll(async () => {
    h = await make();
    await appendStory(h);
  });
  afterAll(() => h?.close());

  it('shows both sides for the province, with every county’s facts rolled up', async () => {
    const o = await h.view.overview(h.at('province'), h.tree.ids.province, { asOf: LATER });
    expect(o.organizational).toEqual({ tasksIssued: 3, tasksAcknowledged: 2, tasksCompleted: 1, tasksOverdue: 1, unitsActivated: 2, staffDispatched: 5 });
    expect(o.social).toEqual({
      volunteersMobilized: 2, distinctVolunteers: 1, serviceMinutes: 210, activities: 2, socialOrganizations: 1, enterprises: 1,
      foundationProjects: 1, fundsPledgedFen: 1_000_000, fundsReceivedFen: 300_000, beneficiaries: 50,
    });
    expect(o.children.map((c) => c.unit.orgUnitId)).toEqual([h.tree.ids.city]);
    expectRollUpIdentity(o);
  });

  it('counts a county’s figures in its city and its province exactly once', async () => {
    const province = await h.view.overview(h.at('province'), h.tree.ids.province, { asOf: LATER });
    const city = await h.view.overview(h.at('province'), h.tree.ids.city, { asOf: LATER });
    const countyA = await h.view.overview(h.at('province'), h.tree.ids.countyA, { asOf: LATER });
    const countyB = await h.view.overview(h.at('province'), h.tree.ids.countyB, { asOf: LATER });
    expectRollUpIdentity(city);
    // The city's children are the two counties, with exactly the counties' own totals.
    const child = (id: string) => city.children.find((c) => c.unit.orgUnitId === id);
    expect(child(h.tree.ids.countyA)?.social).toEqual(countyA.social);
    expect(child(h.tree.ids.countyB)?.organizational).toEqual(countyB.organizational);
    expect(countyA.social.serviceMinutes + countyB.social.serviceMinutes + city.own.social.serviceMinutes).toBe(city.social.serviceMinutes);
    expect(city.social.serviceMinutes).toBe(province.social.serviceMinutes - province.own.social.serviceMinutes);
    expect(countyA.social.serviceMinutes).toBe(150); // community A's activity, with its correction
    expect(countyB.social.serviceMinutes).toBe(60);
    expect(province.social.serviceMinutes).toBe(210);
    // The foundation sits at the province: in the province's figures, not the city's.
    expect([province.social.fundsReceivedFen, city.social.fundsReceivedFen]).toEqual([300_000, 0]);
  });

  it('answers as of an instant and for a period', async () => {
    const before = await h.view.overview(h.at('province'), h.tree.ids.province, { asOf: T.served });
    expect(before.social.serviceMinutes).toBe(180); // the correction came later
    expect(before.organizational.tasksCompleted).toBe(0);
    const march = await h.view.overview(h.at('province'), h.tree.ids.province, { from: '2024-03-01T00:00:00+08:00', to: '2024-04-01T00:00:00+08:00', asOf: LATER });
    expect(march.social.serviceMinutes).toBe(180);
    expect(march.organizational).toMatchObject({ tasksIssued: 3, tasksCompleted: 0, tasksOverdue: 0 });
    const series = await h.view.series(h.at('province'), h.tree.ids.province, { from: '2024-03-01T00:00:00+08:00', to: '2024-06-01T00:00:00+08:00', granularity: 'month', asOf: LATER });
    expect(series.map((p) => [p.from, p.social.serviceMinutes, p.organizational.tasksCompleted])).toEqual([
      ['2024-02-29T16:00:00.000Z', 180, 0],
      ['2024-03-31T16:00:00.000Z', 30, 1],
      ['2024-04-30T16:00:00.000Z', 0, 0],
    ]);
    expect(await codeOf(h.view.overview(h.at('province'), null, { from: '2024-05-01T00:00:00Z', to: '2024-04-01T00:00:00Z' }))).toBe('MOBILIZATION.INVALID_PERIOD');
  });

  it('restricts a campaign’s view to its own facts and linked activities, from the moment they were linked', async () => {
    const o = await h.view.overview(h.at('province'), null, { campaignId: 'c1', asOf: LATER });
    expect(o.unit.orgUnitId).toBe(h.tree.ids.province);
    expect(o.social).toMatchObject({ activities: 1, volunteersMobilized: 1, distinctVolunteers: 1, serviceMinutes: 150 });
    expect(o.organizational.tasksIssued).toBe(3);
    const beforeLink = await h.view.overview(h.at('province'), null, { campaignId: 'c1', asOf: T.signedUp });
    expect(beforeLink.social).toMatchObject({ activities: 0, volunteersMobilized: 0 });
    expectRollUpIdentity(o);
  });

  it('is scoped: a unit outside the caller’s subtree is NOT_FOUND, a county sees its own part of a provincial campaign', async () => {
    expect(await codeOf(h.view.overview(h.at('countyB'), h.tree.ids.countyA, {}))).toBe('NOT_FOUND');
    expect(await codeOf(h.view.overview(h.at('countyA'), h.tree.ids.province, {}))).toBe('NOT_FOUND');
    expect(await codeOf(h.view.overview(h.at('countyA'), null, { campaignId: 'missing' }))).toBe('NOT_FOUND');
    const county = await h.view.overview(h.at('countyA', [Role.Analyst]), null, { campaignId: 'c1', asOf: LATER });
    expect(county.unit.orgUnitId).toBe(h.tree.ids.countyA);
    expect(county.organizational).toMatchObject({ tasksIssued: 1, tasksCompleted: 1, staffDispatched: 5 });
    expect(county.social).toMatchObject({ serviceMinutes: 150, fundsReceivedFen: 0 });
  });

  it('a rebuild from position 0 gives the same facts (SP-4)', async () => {
    const before = await h.org.dataSource.getRepository(MobilizationFactRow).find({ order: { id: 'ASC' } });
    await h.runner.rebuild({ timeoutMs: 30_000, pollMs: 20 });
    const after = await h.org.dataSource.getRepository(MobilizationFactRow).find({ order: { id: 'ASC' } });
    expect(after).toEqual(before);
    expect(after.length).toBeGreaterThan(20);
  });

  it('follows a unit’s move: community A’s service now rolls up into county B', async () => {
    await h.org.commandBus.execute(new MoveOrgUnitCommand({ orgUnitId: h.tree.ids.communityA, newParentId: h.tree.ids.countyB }, systemPrincipal('test'), { correlationId: 'move' }));
    await h.settle();
    const countyB = await h.view.overview(h.at('province'), h.tree.ids.countyB, { asOf: LATER });
    const countyA = await h.view.overview(h.at('province'), h.tree.ids.countyA, { asOf: LATER });
    expect([countyA.social.serviceMinutes, countyB.social.serviceMinutes]).toEqual([0, 210]);
    expectRollUpIdentity(await h.view.overview(h.at('province'), h.tree.ids.city, { asOf: LATER }));
  });
};
