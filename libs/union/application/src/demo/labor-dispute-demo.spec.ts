import { systemPrincipal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { CreateOrgUnitCommand } from '@gongzhi/org';
import { FakeClock } from '@gongzhi/testing';
import { DISPUTE_STATUSES } from '@gongzhi/union-domain';
import { createUnionTestApp, type UnionTestApp } from '../testing';
import { LABOR_DISPUTE_DEMO_IDS, seedLaborDisputeDemo, UNION_DEMO_UNITS } from './labor-dispute-demo';

describe('labor-dispute demo seed', () => {
  const now = new Date('2026-11-25T03:00:00.000Z');
  let t: UnionTestApp;

  beforeAll(async () => {
    t = await createUnionTestApp({ clock: new FakeClock(now) });
    const units = [
      { id: 'rucheng-union', name: '汝城縣總工會', parent: null },
      { id: 'wujiang', name: '吳江市', parent: null },
      ...UNION_DEMO_UNITS,
    ];
    for (const u of units) {
      await t.commandBus.execute<CreateOrgUnitCommand, CommandResult>(
        new CreateOrgUnitCommand({ orgUnitId: u.id, name: u.name, kind: 'trade-union-federation', parentId: u.parent }, systemPrincipal('t'), { correlationId: 'demo' }),
      );
    }
    await t.settle();
  });
  afterAll(() => t.close());

  it('files disputes in every status, incl. a group dispute and an overdue award, and a second run appends nothing', async () => {
    const first = await seedLaborDisputeDemo(t.app, { now });
    expect(first).toMatchObject({ disputes: LABOR_DISPUTE_DEMO_IDS.length, replayed: 0 });
    await t.settle();
    const admin = systemPrincipal('t');
    const rows = await t.queries.list(admin, {}, { limit: 100 });
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(DISPUTE_STATUSES));
    expect(rows.filter((r) => r.groupDispute).map((r) => r.disputeId)).toEqual(['demo-rc-011']);
    expect((await t.queries.list(admin, { overdue: true }, { limit: 100 })).map((r) => [r.disputeId, r.nextObligationClock])).toContainEqual(['demo-rc-010', 'award']);
    expect(rows.find((r) => r.disputeId === 'demo-rc-002')?.limitationExpiredAtFiling).toBe(true);
    expect(rows.find((r) => r.disputeId === 'demo-rc-022')?.orgUnitId).toBe('rucheng-union');

    // The scheduler finds nothing to do on a freshly seeded demo: its windows are still open.
    expect((await t.scheduler.tick()).fired).toEqual([]);

    const head = await t.store.headPosition();
    const second = await seedLaborDisputeDemo(t.app, { now: new Date(now.getTime() + 86_400_000) });
    expect(second).toMatchObject({ appended: 0, disputes: first.disputes });
    expect(second.replayed).toBeGreaterThan(first.disputes);
    expect(await t.store.headPosition()).toBe(head);

    // 汝城 sees its township's disputes in the KPIs of the month; 吳江 does not.
    const kpis = await t.queries.kpis(admin, { orgUnitId: 'rucheng-union', fromMonth: '2026-11', toMonth: '2026-11' });
    expect(kpis[0].filed).toBeGreaterThan(0);
  });
});
