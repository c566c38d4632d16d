import { assertNever, type Event } from '@gongzhi/kernel';
import {
  addLocalDays,
  addWorkingDays,
  localDateOf,
  localDaysBetween,
  nextWorkingDayFrom,
  startOfLocalDate,
  toIsoInstant,
  workingDaysBetween,
  type LocalDate,
  type WorkingCalendar,
} from './calendar';
import { DeadlinePolicyNotFound, policyInEffect, type DeadlineExpiry, type DeadlinePolicy, type DeadlineUnit } from './policy';

const HOUR_MS = 3_600_000;

/**
 * A running legal clock inside an aggregate. Its identity is the aggregate's stream plus
 * `clockId` (a name such as 'mediation-window'), so the same clock can run again after a reopen.
 * `dueAt` is the instant the period has run out: for day-counted periods the midnight (UTC+8)
 * after the last day, so "overdue" is simply `now >= dueAt`.
 */
export interface DeadlineClock {
  clockId: string;
  policyId: string;
  version: number;
  source: string;
  length: number;
  unit: DeadlineUnit;
  expiry: DeadlineExpiry;
  rollForward: boolean;
  calendarId: string;
  startedAt: string;
  dueAt: string;
  status: 'running' | 'paused';
  pauses: { from: string; to: string | null; reason: string }[];
  extensions: { at: string; length: number; unit: DeadlineUnit; approvedBy: string | null; reason: string; dueAt: string }[];
  restarts: { at: string; reason: string }[];
}

/** The clock as it is announced when it starts (what the open-clocks projection records). */
export type DeadlineStartedData = Pick<
  DeadlineClock,
  'clockId' | 'policyId' | 'version' | 'source' | 'length' | 'unit' | 'expiry' | 'rollForward' | 'calendarId' | 'startedAt' | 'dueAt'
>;

export type DeadlineStarted = Event<'DeadlineStarted', DeadlineStartedData>;
export type DeadlinePaused = Event<'DeadlinePaused', { clockId: string; at: string; reason: string }>;
export type DeadlineResumed = Event<'DeadlineResumed', { clockId: string; at: string; dueAt: string }>;
export type DeadlineExtended = Event<
  'DeadlineExtended',
  { clockId: string; at: string; length: number; unit: DeadlineUnit; approvedBy: string | null; reason: string; dueAt: string }
>;
/** The period starts again from `at` (an interruption, e.g. 勞動爭議調解仲裁法 Art 27 ¶2). */
export type DeadlineRestarted = Event<'DeadlineRestarted', { clockId: string; at: string; reason: string; dueAt: string }>;
export type DeadlineStopReason = 'met' | 'expired' | 'cancelled';
export type DeadlineStopped = Event<'DeadlineStopped', { clockId: string; at: string; reason: DeadlineStopReason }>;

/**
 * Clock events, shared by every context: an aggregate appends them beside its own events, the
 * open-clocks projection follows them on every stream, and the scheduler fires on them.
 */
export type DeadlineEvent = DeadlineStarted | DeadlinePaused | DeadlineResumed | DeadlineExtended | DeadlineRestarted | DeadlineStopped;

export const DEADLINE_EVENT_TYPES: readonly DeadlineEvent['type'][] = [
  'DeadlineStarted',
  'DeadlinePaused',
  'DeadlineResumed',
  'DeadlineExtended',
  'DeadlineRestarted',
  'DeadlineStopped',
];

export const isDeadlineEventType = (type: string): type is DeadlineEvent['type'] =>
  (DEADLINE_EVENT_TYPES as readonly string[]).includes(type);

/** What a decider gets to start and move clocks: the policy versions and the working calendar. */
export interface DeadlineRules {
  policies: readonly DeadlinePolicy[];
  calendar: WorkingCalendar;
}

export const policyFor = (rules: DeadlineRules, policyId: string, at: string): DeadlinePolicy => {
  const policy = policyInEffect(rules.policies, policyId, at);
  if (!policy) throw new DeadlinePolicyNotFound(policyId);
  return policy;
};

/** The day after which a period of `length` `unit`s counted from (and excluding) `from` has run. */
const lastDayAfter = (calendar: WorkingCalendar, from: LocalDate, length: number, unit: 'd' | 'wd', rollForward: boolean): LocalDate => {
  let last = unit === 'd' ? addLocalDays(from, length) : addWorkingDays(calendar, from, length);
  if (rollForward && unit === 'd') last = nextWorkingDayFrom(calendar, last);
  return last;
};

const dueAfterLastDay = (last: LocalDate): string => startOfLocalDate(addLocalDays(last, 1));

/** The last local day a due instant closes (the day before the midnight it falls on). */
const lastDayOf = (dueAt: string): LocalDate => localDateOf(new Date(Date.parse(dueAt) - 1).toISOString());

/**
 * When a period of `length` `unit`s starting at `startedAt` ends. Hours are exact; days leave the
 * starting day out and end at the midnight after the last day; working days count only days the
 * calendar marks as working.
 */
export const computeDueAt = (
  calendar: WorkingCalendar,
  startedAt: string,
  length: number,
  unit: DeadlineUnit,
  rollForward = false,
): string => {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`A period length must be a whole number ≥ 0, got ${length}`);
  if (unit === 'h') return new Date(Date.parse(startedAt) + length * HOUR_MS).toISOString();
  return dueAfterLastDay(lastDayAfter(calendar, localDateOf(startedAt), length, unit, rollForward));
};

/** Starts a clock under the policy in effect at `startedAt`. */
export const startDeadline = (
  rules: DeadlineRules,
  policyId: string,
  clockId: string,
  startedAt: string,
  /** The policy in effect at this instant is used (default: `startedAt`, e.g. a backdated start uses today's rules). */
  policyAt: string = startedAt,
): DeadlineStartedData => {
  const policy = policyFor(rules, policyId, policyAt);
  const start = toIsoInstant(startedAt);
  return {
    clockId,
    policyId: policy.policyId,
    version: policy.version,
    source: policy.source,
    length: policy.length,
    unit: policy.unit,
    expiry: policy.expiry,
    rollForward: policy.rollForward,
    calendarId: rules.calendar.calendarId,
    startedAt: start,
    dueAt: computeDueAt(rules.calendar, start, policy.length, policy.unit, policy.rollForward),
  };
};

/**
 * A clock whose end was agreed rather than prescribed (an agreed performance date): the policy
 * still names the rule and its source; the length is the whole days up to the agreed day.
 */
export const startDeadlineUntil = (
  rules: DeadlineRules,
  policyId: string,
  clockId: string,
  startedAt: string,
  lastDay: LocalDate,
): DeadlineStartedData => {
  const policy = policyFor(rules, policyId, startedAt);
  const start = toIsoInstant(startedAt);
  return {
    clockId,
    policyId: policy.policyId,
    version: policy.version,
    source: policy.source,
    length: Math.max(0, localDaysBetween(localDateOf(start), lastDay)),
    unit: 'd',
    expiry: policy.expiry,
    rollForward: false,
    calendarId: rules.calendar.calendarId,
    startedAt: start,
    dueAt: dueAfterLastDay(lastDay),
  };
};

export const isOverdue = (clock: Pick<DeadlineClock, 'status' | 'dueAt'>, now: string): boolean =>
  clock.status === 'running' && Date.parse(now) >= Date.parse(clock.dueAt);

/** How the remaining time is measured while a clock is paused, in the clock's own unit. */
const remainingAt = (calendar: WorkingCalendar, clock: DeadlineClock, at: string): number => {
  if (clock.unit === 'h') return Math.max(0, Date.parse(clock.dueAt) - Date.parse(at));
  const from = localDateOf(at);
  const last = lastDayOf(clock.dueAt);
  return clock.unit === 'd' ? Math.max(0, localDaysBetween(from, last)) : workingDaysBetween(calendar, from, last);
};

export const pauseDeadline = (clock: DeadlineClock, at: string, reason: string): DeadlinePaused['data'] => ({
  clockId: clock.clockId,
  at: toIsoInstant(at),
  reason,
});

/**
 * Resumes a paused clock: the time left when it was paused continues from `at` ("從中止時效的原因
 * 消除之日起，仲裁時效期間繼續計算", Art 27 ¶3). Days between the pause and the resumption do not count.
 */
export const resumeDeadline = (calendar: WorkingCalendar, clock: DeadlineClock, at: string): DeadlineResumed['data'] => {
  const pausedAt = clock.pauses[clock.pauses.length - 1]?.from ?? at;
  const left = remainingAt(calendar, clock, pausedAt);
  const resumeAt = toIsoInstant(at);
  let dueAt: string;
  if (clock.unit === 'h') dueAt = new Date(Date.parse(resumeAt) + left).toISOString();
  else dueAt = dueAfterLastDay(lastDayAfter(calendar, localDateOf(resumeAt), left, clock.unit, clock.rollForward));
  return { clockId: clock.clockId, at: resumeAt, dueAt };
};

/** Extends a clock from its current due date by `length` `unit`s. */
export const extendDeadline = (
  calendar: WorkingCalendar,
  clock: DeadlineClock,
  by: { at: string; length: number; unit: DeadlineUnit; approvedBy: string | null; reason: string },
): DeadlineExtended['data'] => {
  const dueAt =
    by.unit === 'h'
      ? new Date(Date.parse(clock.dueAt) + by.length * HOUR_MS).toISOString()
      : dueAfterLastDay(lastDayAfter(calendar, lastDayOf(clock.dueAt), by.length, by.unit, clock.rollForward));
  return { clockId: clock.clockId, at: toIsoInstant(by.at), length: by.length, unit: by.unit, approvedBy: by.approvedBy, reason: by.reason, dueAt };
};

/** Starts the same period again from `at` (an interruption). */
export const restartDeadline = (calendar: WorkingCalendar, clock: DeadlineClock, at: string, reason: string): DeadlineRestarted['data'] => {
  const start = toIsoInstant(at);
  return { clockId: clock.clockId, at: start, reason, dueAt: computeDueAt(calendar, start, clock.length, clock.unit, clock.rollForward) };
};

export const stopDeadline = (clockId: string, at: string, reason: DeadlineStopReason): DeadlineStopped['data'] => ({
  clockId,
  at: toIsoInstant(at),
  reason,
});

/**
 * Why an extension is refused under a policy, or undefined when it is allowed. Contexts map the
 * reason to their own rule codes.
 */
export type ExtensionProblem = 'not-extendable' | 'exhausted' | 'too-long' | 'approval-required' | 'not-running' | 'already-due';

export const extensionProblem = (
  policy: DeadlinePolicy,
  clock: DeadlineClock,
  by: { at: string; length: number; unit: DeadlineUnit; approvedBy: string | null },
): ExtensionProblem | undefined => {
  const rule = policy.extension;
  if (!rule) return 'not-extendable';
  if (clock.status !== 'running') return 'not-running';
  if (isOverdue(clock, by.at)) return 'already-due';
  if (clock.extensions.length >= rule.maxTimes) return 'exhausted';
  if (by.unit !== rule.unit || !Number.isInteger(by.length) || by.length < 1 || by.length > rule.maxLength) return 'too-long';
  if (rule.requiresApproval && !(by.approvedBy && by.approvedBy.trim())) return 'approval-required';
  return undefined;
};

export type DeadlineClocks = Readonly<Record<string, DeadlineClock>>;

/**
 * Folds a clock event into an aggregate's clocks (stopped clocks are removed). Events for an
 * unknown clock leave the map unchanged, so an old stream with a missing start cannot crash a fold.
 */
export const evolveDeadlines = (clocks: DeadlineClocks, event: DeadlineEvent): DeadlineClocks => {
  const d = event.data;
  const current = clocks[d.clockId];
  const put = (clock: DeadlineClock): DeadlineClocks => ({ ...clocks, [clock.clockId]: clock });
  switch (event.type) {
    case 'DeadlineStarted':
      return put({ ...event.data, status: 'running', pauses: [], extensions: [], restarts: [] });
    case 'DeadlineStopped': {
      if (!current) return clocks;
      const { [d.clockId]: _stopped, ...rest } = clocks;
      return rest;
    }
    case 'DeadlinePaused':
      return current ? put({ ...current, status: 'paused', pauses: [...current.pauses, { from: event.data.at, to: null, reason: event.data.reason }] }) : clocks;
    case 'DeadlineResumed':
      return current
        ? put({
            ...current,
            status: 'running',
            dueAt: event.data.dueAt,
            pauses: current.pauses.map((p, i) => (i === current.pauses.length - 1 && p.to === null ? { ...p, to: event.data.at } : p)),
          })
        : clocks;
    case 'DeadlineExtended': {
      if (!current) return clocks;
      const { clockId: _id, ...extension } = event.data;
      return put({ ...current, dueAt: event.data.dueAt, extensions: [...current.extensions, extension] });
    }
    case 'DeadlineRestarted':
      return current
        ? put({ ...current, status: 'running', startedAt: event.data.at, dueAt: event.data.dueAt, restarts: [...current.restarts, { at: event.data.at, reason: event.data.reason }] })
        : clocks;
    default:
      return assertNever(event);
  }
};
