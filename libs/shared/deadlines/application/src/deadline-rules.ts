import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DeadlineRules } from '@gongzhi/deadlines-domain';
import { HolidayCalendarStore } from './calendar-store';
import { CN_NATIONAL_CALENDAR_ID } from './china-holidays';
import { DeadlinePolicyStore } from './policy-store';
import { DEADLINES_OPTIONS, type DeadlinesOptions } from './tokens';

/**
 * What command handlers give a decider: every policy version and the working calendar, read
 * from their tables. Cached briefly (a publish in this process clears the cache at once; other
 * processes see it within the TTL), so a command costs no extra queries.
 */
@Injectable()
export class DeadlineRulesProvider {
  private cached?: { rules: Promise<DeadlineRules>; until: number };
  private readonly ttlMs: number;
  readonly calendarId: string;

  constructor(
    private readonly policies: DeadlinePolicyStore,
    private readonly calendars: HolidayCalendarStore,
    @Optional() @Inject(DEADLINES_OPTIONS) options: DeadlinesOptions = {},
  ) {
    this.ttlMs = options.cacheTtlMs ?? 5_000;
    this.calendarId = options.calendarId ?? CN_NATIONAL_CALENDAR_ID;
    policies.onChange(() => this.invalidate());
    calendars.onChange(() => this.invalidate());
  }

  invalidate(): void {
    this.cached = undefined;
  }

  rules(): Promise<DeadlineRules> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.rules;
    const rules = (async () => ({ policies: await this.policies.all(), calendar: await this.calendars.calendar(this.calendarId) }))();
    this.cached = { rules, until: now + this.ttlMs };
    rules.catch(() => (this.cached = undefined));
    return rules;
  }
}
