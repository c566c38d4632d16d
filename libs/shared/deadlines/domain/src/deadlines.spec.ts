import type { EventMetadata } from '@gongzhi/kernel';
import {
  addWorkingDays,
  isWorkingDay,
  localDateOf,
  localMonthOf,
  startOfLocalDate,
  WEEKENDS_ONLY,
  workingCalendar,
  workingDaysBetween,
} from './calendar';
import {
  computeDueAt,
  evolveDeadlines,
  extendDeadline,
  extensionProblem,
  isOverdue,
  pauseDeadline,
  restartDeadline,
  resumeDeadline,
  startDeadline,
  startDeadlineUntil,
  stopDeadline,
  type DeadlineClocks,
  type DeadlineEvent,
  type DeadlineRules,
} from './clock';
import { assertValidPolicy, InvalidDeadlinePolicy, policyInEffect, policyProblems, type DeadlinePolicy } from './policy';

// 2024 清明: Thu 4 – Sat 6 April off, Sunday 7 April worked instead (國務院辦公廳 2023-12 notice).
const qingming2024 = workingCalendar('cn-test', [
  { date: '2024-04-04', kind: 'holiday' },
  { date: '2024-04-05', kind: 'holiday' },
  { date: '2024-04-06', kind: 'holiday' },
  { date: '2024-04-07', kind: 'workday' },
]);

const policy = (overrides: Partial<DeadlinePolicy> = {}): DeadlinePolicy => ({
  policyId: 'test.case.award',
  version: 1,
  title: 'Award',
  source: '勞動爭議調解仲裁法 Art 43',
  length: 45,
  unit: 'd',
  expiry: 'overdue',
  extension: { maxTimes: 1, maxLength: 15, unit: 'd', requiresApproval: true },
  rollForward: false,
  effectiveFrom: '2008-05-01T00:00:00+08:00',
  ...overrides,
});

const rules = (policies: DeadlinePolicy[], calendar = WEEKENDS_ONLY): DeadlineRules => ({ policies, calendar });

const meta = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { userId: 'u' }, orgUnitPath: '/a/', occurredAt: '2024-01-01T00:00:00Z', schemaVersion: 1 } as EventMetadata;
const fold = (events: Omit<DeadlineEvent, 'metadata'>[]): DeadlineClocks =>
  events.reduce<DeadlineClocks>((clocks, e) => evolveDeadlines(clocks, { ...e, metadata: meta } as DeadlineEvent), {});

describe('local days (UTC+8)', () => {
  it('puts an instant on its China date and a date on its midnight in UTC+8', () => {
    expect(localDateOf('2024-03-01T15:59:59.999Z')).toBe('2024-03-01');
    expect(localDateOf('2024-03-01T16:00:00.000Z')).toBe('2024-03-02');
    expect(localDateOf('2024-03-02T00:30:00+08:00')).toBe('2024-03-02');
    expect(startOfLocalDate('2024-03-02')).toBe('2024-03-01T16:00:00.000Z');
    expect(localMonthOf('2024-03-31T16:30:00Z')).toBe('2024-04');
  });
});

describe('working days', () => {
  it('skips weekends and loaded holidays, and counts a make-up working Sunday', () => {
    expect(isWorkingDay(WEEKENDS_ONLY, '2024-04-06')).toBe(false);
    expect(isWorkingDay(WEEKENDS_ONLY, '2024-04-04')).toBe(true);
    expect(isWorkingDay(qingming2024, '2024-04-04')).toBe(false);
    expect(isWorkingDay(qingming2024, '2024-04-07')).toBe(true);
    // From Wednesday 3 April: 4, 5, 6 off, Sunday 7 worked, Monday 8, Tuesday 9.
    expect(addWorkingDays(qingming2024, '2024-04-03', 3)).toBe('2024-04-09');
    expect(addWorkingDays(WEEKENDS_ONLY, '2024-04-03', 3)).toBe('2024-04-08');
    expect(workingDaysBetween(qingming2024, '2024-04-03', '2024-04-09')).toBe(3);
  });
});

describe('computeDueAt', () => {
  it('leaves the starting day out and ends at the midnight after the last day', () => {
    // Accepted on 1 March (16:00 in China): 15 days run 2–16 March.
    expect(computeDueAt(WEEKENDS_ONLY, '2024-03-01T08:00:00Z', 15, 'd')).toBe('2024-03-16T16:00:00.000Z');
    // 01:00 on 2 March in China is already 2 March: the period runs 3–17 March.
    expect(computeDueAt(WEEKENDS_ONLY, '2024-03-01T17:00:00Z', 15, 'd')).toBe('2024-03-17T16:00:00.000Z');
  });

  it('counts working days over a holiday with a make-up working day', () => {
    expect(computeDueAt(qingming2024, '2024-04-03T02:00:00Z', 3, 'wd')).toBe('2024-04-09T16:00:00.000Z');
  });

  it('counts hours exactly', () => {
    expect(computeDueAt(WEEKENDS_ONLY, '2024-03-01T08:30:00Z', 36, 'h')).toBe('2024-03-02T20:30:00.000Z');
  });

  it('rolls a period ending on a rest day forward to the next working day only when the policy says so', () => {
    // 5 days from Monday 1 April 2024 end on Saturday 6 April (a holiday); next working day Sunday 7.
    expect(computeDueAt(qingming2024, '2024-04-01T02:00:00Z', 5, 'd')).toBe('2024-04-06T16:00:00.000Z');
    expect(computeDueAt(qingming2024, '2024-04-01T02:00:00Z', 5, 'd', true)).toBe('2024-04-07T16:00:00.000Z');
  });
});

describe('clocks', () => {
  const started = startDeadline(rules([policy()]), 'test.case.award', 'award', '2024-03-01T08:00:00Z');

  it('records the policy id, version and source it started under', () => {
    expect(started).toEqual({
      clockId: 'award',
      policyId: 'test.case.award',
      version: 1,
      source: '勞動爭議調解仲裁法 Art 43',
      length: 45,
      unit: 'd',
      expiry: 'overdue',
      rollForward: false,
      calendarId: 'weekends-only',
      startedAt: '2024-03-01T08:00:00.000Z',
      dueAt: '2024-04-15T16:00:00.000Z',
    });
  });

  it('uses the policy version in effect when the clock starts', () => {
    const v2 = policy({ version: 2, length: 30, effectiveFrom: '2024-06-01T00:00:00+08:00' });
    const r = rules([policy(), v2]);
    expect(startDeadline(r, 'test.case.award', 'award', '2024-05-31T08:00:00Z')).toMatchObject({ version: 1, length: 45 });
    expect(startDeadline(r, 'test.case.award', 'award', '2024-06-01T08:00:00Z')).toMatchObject({ version: 2, length: 30 });
    expect(() => startDeadline(r, 'test.case.unknown', 'x', '2024-06-01T08:00:00Z')).toThrow(
      expect.objectContaining({ code: 'DEADLINE.POLICY_NOT_FOUND' }),
    );
  });

  it('extends from the current due date: 45 days become 60', () => {
    const clocks = fold([{ type: 'DeadlineStarted', data: started }]);
    const extended = extendDeadline(WEEKENDS_ONLY, clocks.award, {
      at: '2024-04-10T02:00:00Z',
      length: 15,
      unit: 'd',
      approvedBy: 'chair',
      reason: 'complex case',
    });
    expect(extended.dueAt).toBe(computeDueAt(WEEKENDS_ONLY, '2024-03-01T08:00:00Z', 60, 'd'));
    const after = fold([{ type: 'DeadlineStarted', data: started }, { type: 'DeadlineExtended', data: extended }]);
    expect(after.award.dueAt).toBe('2024-04-30T16:00:00.000Z');
    expect(after.award.extensions).toEqual([
      { at: '2024-04-10T02:00:00.000Z', length: 15, unit: 'd', approvedBy: 'chair', reason: 'complex case', dueAt: '2024-04-30T16:00:00.000Z' },
    ]);
  });

  it('does not count the days a clock was paused', () => {
    const ten = startDeadline(rules([policy({ length: 10 })]), 'test.case.award', 'limit', '2024-03-01T02:00:00Z');
    expect(ten.dueAt).toBe('2024-03-11T16:00:00.000Z');
    const paused = pauseDeadline(fold([{ type: 'DeadlineStarted', data: ten }]).limit, '2024-03-05T02:00:00Z', 'force majeure');
    const pausedClocks = fold([{ type: 'DeadlineStarted', data: ten }, { type: 'DeadlinePaused', data: paused }]);
    expect(pausedClocks.limit.status).toBe('paused');
    expect(isOverdue(pausedClocks.limit, '2024-03-20T00:00:00Z')).toBe(false);
    const resumed = resumeDeadline(WEEKENDS_ONLY, pausedClocks.limit, '2024-03-08T02:00:00Z');
    // Six days were left after 5 March (6–11); they run again from 8 March: 9–14 March.
    expect(resumed.dueAt).toBe('2024-03-14T16:00:00.000Z');
    const clocks = fold([
      { type: 'DeadlineStarted', data: ten },
      { type: 'DeadlinePaused', data: paused },
      { type: 'DeadlineResumed', data: resumed },
    ]);
    expect(clocks.limit).toMatchObject({
      status: 'running',
      dueAt: '2024-03-14T16:00:00.000Z',
      pauses: [{ from: '2024-03-05T02:00:00.000Z', to: '2024-03-08T02:00:00.000Z', reason: 'force majeure' }],
    });
  });

  it('starts the whole period again on a restart', () => {
    const clocks = fold([{ type: 'DeadlineStarted', data: started }]);
    const restarted = restartDeadline(WEEKENDS_ONLY, clocks.award, '2024-03-20T02:00:00Z', 'claim to the employer');
    expect(restarted.dueAt).toBe(computeDueAt(WEEKENDS_ONLY, '2024-03-20T02:00:00Z', 45, 'd'));
    const after = fold([{ type: 'DeadlineStarted', data: started }, { type: 'DeadlineRestarted', data: restarted }]);
    expect(after.award).toMatchObject({ startedAt: '2024-03-20T02:00:00.000Z', restarts: [{ at: '2024-03-20T02:00:00.000Z', reason: 'claim to the employer' }] });
  });

  it('is overdue from its due instant on, and gone once stopped', () => {
    const clocks = fold([{ type: 'DeadlineStarted', data: started }]);
    expect(isOverdue(clocks.award, '2024-04-15T15:59:59.999Z')).toBe(false);
    expect(isOverdue(clocks.award, '2024-04-15T16:00:00.000Z')).toBe(true);
    expect(fold([{ type: 'DeadlineStarted', data: started }, { type: 'DeadlineStopped', data: stopDeadline('award', '2024-04-01T00:00:00Z', 'met') }])).toEqual({});
  });

  it('runs an agreed clock to the end of the agreed day', () => {
    const agreed = startDeadlineUntil(rules([policy({ policyId: 'test.case.performance', extension: null })]), 'test.case.performance', 'perf', '2024-03-01T08:00:00Z', '2024-03-31');
    expect(agreed).toMatchObject({ length: 30, unit: 'd', dueAt: '2024-03-31T16:00:00.000Z', policyId: 'test.case.performance' });
  });

  it('says why an extension is refused', () => {
    const clock = fold([{ type: 'DeadlineStarted', data: started }]).award;
    const ok = { at: '2024-04-01T00:00:00Z', length: 15, unit: 'd' as const, approvedBy: 'chair' };
    expect(extensionProblem(policy(), clock, ok)).toBeUndefined();
    expect(extensionProblem(policy(), clock, { ...ok, length: 16 })).toBe('too-long');
    expect(extensionProblem(policy(), clock, { ...ok, unit: 'wd' })).toBe('too-long');
    expect(extensionProblem(policy(), clock, { ...ok, approvedBy: null })).toBe('approval-required');
    expect(extensionProblem(policy(), clock, { ...ok, at: '2024-04-16T00:00:00Z' })).toBe('already-due');
    expect(extensionProblem(policy({ extension: null }), clock, ok)).toBe('not-extendable');
    const once = fold([
      { type: 'DeadlineStarted', data: started },
      { type: 'DeadlineExtended', data: extendDeadline(WEEKENDS_ONLY, clock, { ...ok, reason: 'r' }) },
    ]).award;
    expect(extensionProblem(policy(), once, ok)).toBe('exhausted');
  });
});

describe('policies', () => {
  it('picks the highest version in effect at an instant', () => {
    const v1 = policy();
    const v2 = policy({ version: 2, effectiveFrom: '2025-01-01T00:00:00+08:00' });
    expect(policyInEffect([v2, v1], 'test.case.award', '2024-12-31T15:59:59Z')?.version).toBe(1);
    expect(policyInEffect([v2, v1], 'test.case.award', '2024-12-31T16:00:00Z')?.version).toBe(2);
    expect(policyInEffect([v1], 'test.case.award', '2000-01-01T00:00:00Z')).toBeUndefined();
  });

  it('refuses a policy without a legal source or with an unknown unit', () => {
    expect(policyProblems(policy())).toEqual([]);
    expect(() => assertValidPolicy(policy({ source: ' ' }))).toThrow(InvalidDeadlinePolicy);
    expect(policyProblems(policy({ unit: 'w' as never }))).toEqual(['unit must be one of d, wd, h']);
    expect(policyProblems(policy({ policyId: 'award' }))).toHaveLength(1);
  });
});
