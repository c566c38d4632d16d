/**
 * Day arithmetic in China Standard Time. Legal periods count local calendar days and leave out
 * the starting day ("期間開始的時和日，不計算在期間內", 民事訴訟法 Art 85), so every day
 * boundary here is a midnight in UTC+8.
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and no
 * time-zone database is needed.
 */
export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = CHINA_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isLocalDate = (value: unknown): value is LocalDate =>
  typeof value === 'string' && DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const toMs = (instant: string): number => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${instant}`);
  return ms;
};

/** Normalizes any ISO instant to `…Z` with milliseconds, so stored instants compare as strings. */
export const toIsoInstant = (instant: string): string => new Date(toMs(instant)).toISOString();

/** The local (UTC+8) date an instant falls on. */
export const localDateOf = (instant: string): LocalDate => new Date(toMs(instant) + OFFSET_MS).toISOString().slice(0, 10);

/** The instant a local date begins (its midnight in UTC+8). */
export const startOfLocalDate = (date: LocalDate): string => {
  if (!isLocalDate(date)) throw new RangeError(`Invalid local date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS).toISOString();
};

export const addLocalDays = (date: LocalDate, days: number): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Whole local days from `from` to `to` (negative when `to` is earlier). */
export const localDaysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: LocalDate): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export const isWeekend = (date: LocalDate): boolean => {
  const d = weekdayOf(date);
  return d === 0 || d === 6;
};

/** `YYYY-MM` of the local date an instant falls on (monthly KPIs). */
export const localMonthOf = (instant: string): string => localDateOf(instant).slice(0, 7);

/**
 * Which days are working days. Weekends are rest days unless listed as `workdays` (the make-up
 * working weekends, 調休, the State Council announces with each year's holidays); `holidays`
 * are rest days even on a weekday. A calendar is data loaded from a table, never code.
 */
export interface WorkingCalendar {
  readonly calendarId: string;
  readonly holidays: ReadonlySet<LocalDate>;
  readonly workdays: ReadonlySet<LocalDate>;
}

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: LocalDate;
  kind: CalendarDayKind;
  name?: string;
}

export const workingCalendar = (calendarId: string, days: Iterable<CalendarDay> = []): WorkingCalendar => {
  const holidays = new Set<LocalDate>();
  const workdays = new Set<LocalDate>();
  for (const day of days) {
    if (!isLocalDate(day.date)) throw new RangeError(`Invalid calendar date: ${day.date}`);
    (day.kind === 'holiday' ? holidays : workdays).add(day.date);
  }
  return { calendarId, holidays, workdays };
};

/** Weekends only: what counting falls back to when no calendar was loaded. */
export const WEEKENDS_ONLY: WorkingCalendar = workingCalendar('weekends-only');

export const isWorkingDay = (calendar: WorkingCalendar, date: LocalDate): boolean =>
  calendar.workdays.has(date) || (!calendar.holidays.has(date) && !isWeekend(date));

/** The `n`-th working day after `date` (n ≥ 0; n = 0 is `date` itself). */
export const addWorkingDays = (calendar: WorkingCalendar, date: LocalDate, n: number): LocalDate => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0, got ${n}`);
  let day = date;
  for (let counted = 0; counted < n; ) {
    day = addLocalDays(day, 1);
    if (isWorkingDay(calendar, day)) counted++;
  }
  return day;
};

/** Working days in (from, to]: after `from`, up to and including `to`. */
export const workingDaysBetween = (calendar: WorkingCalendar, from: LocalDate, to: LocalDate): number => {
  let count = 0;
  for (let day = addLocalDays(from, 1); day <= to; day = addLocalDays(day, 1)) if (isWorkingDay(calendar, day)) count++;
  return count;
};

/** `date` itself when it is a working day, else the first working day after it. */
export const nextWorkingDayFrom = (calendar: WorkingCalendar, date: LocalDate): LocalDate => {
  let day = date;
  // A calendar is finite and weekends recur, so this ends within days; the bound guards bad data.
  for (let i = 0; i < 366 && !isWorkingDay(calendar, day); i++) day = addLocalDays(day, 1);
  return day;
};
