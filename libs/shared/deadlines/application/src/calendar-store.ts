import { Inject, Injectable } from '@nestjs/common';
import { isLocalDate, workingCalendar, type CalendarDay, type WorkingCalendar } from '@gongzhi/deadlines-domain';
import { runInTransaction, upsertRows } from '@gongzhi/projections';
import type { DataSource } from 'typeorm';
import { CalendarDayRow } from './entities';
import { DEADLINES_READ_STORE } from './tokens';

/** The holiday calendar table: loadable data, read into a WorkingCalendar for the deciders. */
@Injectable()
export class HolidayCalendarStore {
  private listeners: (() => void)[] = [];

  constructor(@Inject(DEADLINES_READ_STORE) private readonly ds: DataSource) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Adds or corrects days of a calendar (a new year's notice). With `replaceYears`, the days of
   * those years not in `days` are removed first, so a corrected notice replaces the old one.
   */
  async load(calendarId: string, days: readonly CalendarDay[], options: { replaceYears?: readonly number[] } = {}): Promise<number> {
    for (const d of days) {
      if (!isLocalDate(d.date) || (d.kind !== 'holiday' && d.kind !== 'workday')) throw new RangeError(`Invalid calendar day ${JSON.stringify(d)}`);
    }
    await runInTransaction(this.ds, async (em) => {
      for (const year of options.replaceYears ?? []) {
        await em
          .getRepository(CalendarDayRow)
          .createQueryBuilder()
          .delete()
          .where('calendar_id = :calendarId AND date >= :from AND date <= :to', { calendarId, from: `${year}-01-01`, to: `${year}-12-31` })
          .execute();
      }
      await upsertRows(
        em,
        CalendarDayRow,
        days.map((d) => ({ calendarId, date: d.date, kind: d.kind, name: d.name ?? '' })),
        ['calendarId', 'date'],
      );
    });
    for (const l of this.listeners) l();
    return days.length;
  }

  /** Whether the calendar holds any day (a fresh store is seeded from the shipped notices). */
  async isEmpty(calendarId: string): Promise<boolean> {
    return !(await this.ds.getRepository(CalendarDayRow).existsBy({ calendarId }));
  }

  async days(calendarId: string): Promise<CalendarDay[]> {
    const rows = await this.ds.getRepository(CalendarDayRow).find({ where: { calendarId }, order: { date: 'ASC' } });
    return rows.map((r) => ({ date: r.date, kind: r.kind === 'workday' ? 'workday' : 'holiday', name: r.name }));
  }

  async calendar(calendarId: string): Promise<WorkingCalendar> {
    return workingCalendar(calendarId, await this.days(calendarId));
  }
}
