import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HolidayCalendarStore } from './calendar-store';
import { CN_NATIONAL_CALENDAR_ID, CN_NATIONAL_HOLIDAYS } from './china-holidays';
import { DeadlineRulesProvider } from './deadline-rules';
import { createOpenClocksProjection } from './open-clocks.projection';
import { DeadlinePolicyStore } from './policy-store';
import { DeadlineScheduler } from './scheduler';
import { ensureDeadlineTables } from './schema';
import { DEADLINES_READ_STORE } from './tokens';

/** The open-clocks projection instance; the app registers it with a ProjectionRunner. */
export const OPEN_CLOCKS_PROJECTION = Symbol('OPEN_CLOCKS_PROJECTION');

/**
 * Creates the policy and calendar tables and, on a fresh store, loads the shipped national
 * holiday calendar. Contexts await `ready()` before seeding their policies, whatever order Nest
 * initializes the modules in.
 */
@Injectable()
export class DeadlineTables implements OnModuleInit {
  private readyPromise?: Promise<void>;

  constructor(
    @Inject(DEADLINES_READ_STORE) private readonly ds: DataSource,
    private readonly calendars: HolidayCalendarStore,
  ) {}

  onModuleInit(): Promise<void> {
    return this.ready();
  }

  ready(): Promise<void> {
    this.readyPromise ??= (async () => {
      await ensureDeadlineTables(this.ds);
      if (await this.calendars.isEmpty(CN_NATIONAL_CALENDAR_ID)) await this.calendars.load(CN_NATIONAL_CALENDAR_ID, CN_NATIONAL_HOLIDAYS);
    })().catch((e) => {
      this.readyPromise = undefined;
      throw e;
    });
    return this.readyPromise;
  }
}

/**
 * Deadlines shared by every context: the policy table, the holiday calendar, the rules given to
 * deciders, the open-clocks projection and the scheduler. A static module, so the contexts that
 * import it share one scheduler. Needs a TypeORM `DataSource` (the read store) and, for the
 * scheduler's clock, EventSourcingModule's CLOCK; options come from an optional
 * DEADLINES_OPTIONS provider.
 */
@Module({
  providers: [
    { provide: DEADLINES_READ_STORE, useExisting: DataSource },
    DeadlinePolicyStore,
    HolidayCalendarStore,
    DeadlineRulesProvider,
    DeadlineScheduler,
    DeadlineTables,
    { provide: OPEN_CLOCKS_PROJECTION, useFactory: createOpenClocksProjection },
  ],
  exports: [DEADLINES_READ_STORE, DeadlinePolicyStore, HolidayCalendarStore, DeadlineRulesProvider, DeadlineScheduler, DeadlineTables, OPEN_CLOCKS_PROJECTION],
})
export class DeadlinesModule {}
