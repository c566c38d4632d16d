import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import {
  computeDueAt,
  startDeadline,
  WEEKENDS_ONLY,
  workingCalendar,
  type DeadlineEvent,
  type DeadlinePolicy,
  type DeadlineRules,
} from '@gongzhi/deadlines-domain';
import { ProjectionRunner } from '@gongzhi/projections';
import { FakeClock } from '@gongzhi/testing';
import { DataSource } from 'typeorm';
import { HolidayCalendarStore } from './calendar-store';
import { CN_NATIONAL_CALENDAR_ID, CN_NATIONAL_HOLIDAYS } from './china-holidays';
import { DeadlineRulesProvider } from './deadline-rules';
import { DEADLINE_ENTITIES, OpenClockRow } from './entities';
import { createOpenClocksProjection } from './open-clocks.projection';
import { DeadlinePolicyStore } from './policy-store';
import { DeadlineScheduler, schedulerCommandId, type DueClock } from './scheduler';
import { ensureDeadlineTables } from './schema';

const policy: DeadlinePolicy = {
  policyId: 'test.case.window',
  version: 1,
  title: 'Window',
  source: 'Test rule Art 1',
  length: 15,
  unit: 'd',
  expiry: 'lapse',
  extension: { maxTimes: 1, maxLength: 15, unit: 'd', requiresApproval: true },
  rollForward: false,
  effectiveFrom: '2020-01-01T00:00:00Z',
};
const rules: DeadlineRules = { policies: [policy], calendar: WEEKENDS_ONLY };
const START = '2024-03-01T08:00:00.000Z';

describe('deadline tables, policies and calendar (SQLite)', () => {
  let ds: DataSource;
  beforeEach(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: DEADLINE_ENTITIES });
    await ds.initialize();
    await ensureDeadlineTables(ds);
  });
  afterEach(() => ds.destroy());

  it('seeds versions once and publishes a new version without touching the old one', async () => {
    const store = new DeadlinePolicyStore(ds);
    expect(await store.seed([policy], START)).toBe(1);
    expect(await store.seed([policy], START)).toBe(0);
    const v2 = await store.publish({ policyId: policy.policyId, length: 20, source: 'Local rule Art 3', effectiveFrom: '2024-06-01T00:00:00+08:00' }, 'admin-1', '2024-05-01T00:00:00Z');
    expect(v2).toMatchObject({ version: 2, length: 20, unit: 'd', source: 'Local rule Art 3', publishedBy: 'admin-1', effectiveFrom: '2024-05-31T16:00:00.000Z' });
    const all = await store.all('test.');
    expect(all.map((p) => [p.version, p.length, p.source])).toEqual([
      [1, 15, 'Test rule Art 1'],
      [2, 20, 'Local rule Art 3'],
    ]);
    expect(all[0].extension).toEqual(policy.extension);
    await expect(store.publish({ policyId: policy.policyId, source: '' }, 'admin-1', START)).rejects.toMatchObject({ code: 'DEADLINE.INVALID_POLICY' });
    expect(await store.all('other.')).toEqual([]);
  });

  it('gives deciders every version and the loaded calendar, and refreshes after a change', async () => {
    const policies = new DeadlinePolicyStore(ds);
    const calendars = new HolidayCalendarStore(ds);
    await policies.seed([policy], START);
    await calendars.load(CN_NATIONAL_CALENDAR_ID, CN_NATIONAL_HOLIDAYS);
    const provider = new DeadlineRulesProvider(policies, calendars, { cacheTtlMs: 60_000 });
    const first = await provider.rules();
    expect(first.policies.map((p) => p.version)).toEqual([1]);
    expect(first.calendar.holidays.has('2024-10-01')).toBe(true);
    expect(first.calendar.workdays.has('2024-09-29')).toBe(true);
    await policies.publish({ policyId: policy.policyId, length: 10 }, 'admin', START);
    expect((await provider.rules()).policies.map((p) => p.version)).toEqual([1, 2]);
  });

  it('loads a corrected year of a calendar over the old one', async () => {
    const calendars = new HolidayCalendarStore(ds);
    await calendars.load('cn-test', [
      { date: '2030-01-01', kind: 'holiday', name: '元旦' },
      { date: '2030-01-02', kind: 'holiday', name: 'wrong' },
      { date: '2031-01-01', kind: 'holiday', name: '元旦' },
    ]);
    await calendars.load('cn-test', [{ date: '2030-01-01', kind: 'holiday', name: '元旦' }], { replaceYears: [2030] });
    expect((await calendars.days('cn-test')).map((d) => d.date)).toEqual(['2030-01-01', '2031-01-01']);
    await expect(calendars.load('cn-test', [{ date: '2030-02-30', kind: 'holiday' }])).rejects.toThrow(RangeError);
  });
});

describe('DeadlineScheduler with a FakeClock', () => {
  let store: InMemoryEventStore;
  let ds: DataSource;
  let runner: ProjectionRunner;
  let clock: FakeClock;
  let scheduler: DeadlineScheduler;
  let fired: { clock: DueClock; commandId: string }[];
  let refuse: boolean;

  const append = async (streamId: string, event: Omit<DeadlineEvent, 'metadata'>, at = clock.nowIso()) => {
    await store.appendToStream(streamId, [{ id: randomUUID(), type: event.type, data: event.data as never, metadata: { occurredAt: at, orgUnitPath: '/t/' } }], {
      expectedRevision: 'any',
    });
  };
  const settle = async () => runner.waitForPosition(await store.headPosition(), { timeoutMs: 5_000, pollMs: 5 });

  beforeEach(async () => {
    store = new InMemoryEventStore({ pollIntervalMs: 5 });
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: DEADLINE_ENTITIES });
    await ds.initialize();
    runner = new ProjectionRunner({ projection: createOpenClocksProjection(), store, dataSource: ds, leaseMs: 3_000 });
    await runner.start();
    clock = new FakeClock(START);
    scheduler = new DeadlineScheduler(ds, clock, { autostart: false });
    fired = [];
    refuse = false;
    scheduler.register({
      name: 'expire-window',
      streamPrefix: 'test.case-',
      clockIds: ['window'],
      fire: async (due, commandId) => {
        if (refuse) throw Object.assign(new Error('not yet'), { code: 'TEST.REFUSED', brand: 'gongzhi.DomainError' });
        fired.push({ clock: due, commandId });
        await append(due.streamId, { type: 'DeadlineStopped', data: { clockId: due.clockId, at: clock.nowIso(), reason: 'expired' } });
      },
    });
  });
  afterEach(async () => {
    await scheduler.stop();
    await runner.stop();
    await ds.destroy();
    await store.close();
  });

  it('fires a 15-day window when its last day is over, not before, and only once', async () => {
    await append('test.case-1', { type: 'DeadlineStarted', data: startDeadline(rules, policy.policyId, 'window', START) });
    await settle();
    clock.set('2024-03-16T15:59:59.999Z'); // still 16 March in China: the 15th day
    expect((await scheduler.tick()).fired).toEqual([]);
    clock.set('2024-03-16T16:00:00.000Z');
    const report = await scheduler.tick();
    expect(report.fired).toEqual([{ trigger: 'expire-window', streamId: 'test.case-1', clockId: 'window', dueAt: '2024-03-16T16:00:00.000Z' }]);
    expect(fired[0].commandId).toBe(schedulerCommandId({ streamId: 'test.case-1', clockId: 'window', dueAt: '2024-03-16T16:00:00.000Z' }));
    // A second tick before the projection caught up does not fire again; afterwards the clock is gone.
    expect((await scheduler.tick()).fired).toEqual([]);
    await settle();
    expect(await ds.getRepository(OpenClockRow).count()).toBe(0);
    clock.advance({ days: 30 });
    expect((await scheduler.tick()).fired).toEqual([]);
    expect(fired).toHaveLength(1);
  });

  it('follows an extension: a 45-day clock extended by 15 fires at day 60', async () => {
    const award: DeadlinePolicy = { ...policy, policyId: 'test.case.award', length: 45, expiry: 'overdue' };
    const r: DeadlineRules = { policies: [award], calendar: WEEKENDS_ONLY };
    const started = startDeadline(r, award.policyId, 'window', START);
    await append('test.case-2', { type: 'DeadlineStarted', data: started });
    clock.set('2024-04-10T00:00:00Z');
    const extendedDue = computeDueAt(WEEKENDS_ONLY, START, 60, 'd');
    await append('test.case-2', {
      type: 'DeadlineExtended',
      data: { clockId: 'window', at: clock.nowIso(), length: 15, unit: 'd', approvedBy: 'chair', reason: 'r', dueAt: extendedDue },
    });
    await settle();
    expect(extendedDue).toBe('2024-04-30T16:00:00.000Z');
    clock.set('2024-04-15T16:00:00.000Z'); // day 45 is over, but the clock now runs to day 60
    expect((await scheduler.tick()).fired).toEqual([]);
    clock.set(extendedDue);
    expect((await scheduler.tick()).fired).toHaveLength(1);
    const row = await ds.getRepository(OpenClockRow).findOneBy({ clockKey: 'test.case-2#window' });
    expect(row).toMatchObject({ extensions: 1, dueAt: extendedDue, policyId: 'test.case.award', version: 1 });
  });

  it('counts working days over a loaded holiday: a 3-working-day clock started before 清明 2024', async () => {
    const wd: DeadlinePolicy = { ...policy, policyId: 'test.case.wd', length: 3, unit: 'wd' };
    const calendar = workingCalendar(CN_NATIONAL_CALENDAR_ID, CN_NATIONAL_HOLIDAYS);
    clock.set('2024-04-03T02:00:00Z');
    await append('test.case-3', { type: 'DeadlineStarted', data: startDeadline({ policies: [wd], calendar }, wd.policyId, 'window', clock.nowIso()) });
    await settle();
    // 4–6 April off, Sunday 7 worked, Monday 8, Tuesday 9: due at the end of 9 April.
    clock.set('2024-04-09T15:59:00Z');
    expect((await scheduler.tick()).fired).toEqual([]);
    clock.set('2024-04-09T16:00:00Z');
    expect((await scheduler.tick()).fired).toEqual([expect.objectContaining({ dueAt: '2024-04-09T16:00:00.000Z' })]);
  });

  it('does not fire a paused clock, nor clocks of other streams or names', async () => {
    await append('test.case-4', { type: 'DeadlineStarted', data: startDeadline(rules, policy.policyId, 'window', START) });
    await append('test.case-4', { type: 'DeadlinePaused', data: { clockId: 'window', at: START, reason: 'r' } });
    await append('test.case-5', { type: 'DeadlineStarted', data: startDeadline(rules, policy.policyId, 'other', START) });
    await append('test.casefile-6', { type: 'DeadlineStarted', data: startDeadline(rules, policy.policyId, 'window', START) });
    await settle();
    clock.advance({ days: 100 });
    expect((await scheduler.tick()).fired).toEqual([]);
  });

  it('backs off after a refused command and fires again later', async () => {
    await append('test.case-7', { type: 'DeadlineStarted', data: startDeadline(rules, policy.policyId, 'window', START) });
    await settle();
    clock.advance({ days: 20 });
    refuse = true;
    expect((await scheduler.tick()).failed).toEqual([expect.objectContaining({ streamId: 'test.case-7', error: 'not yet' })]);
    refuse = false;
    expect((await scheduler.tick()).fired).toEqual([]); // still backing off
    clock.advance({ seconds: 5 });
    expect((await scheduler.tick()).fired).toHaveLength(1);
  });
});
