import type { Clock } from '@gongzhi/eventsourcing';
import { TEST_NOW } from './fixtures';

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

const MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000, milliseconds: 1 } as const;

const toMs = (value: Date | string | number): number => {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${String(value)}`);
  return ms;
};

/**
 * A Clock that moves only when the test says so: bind it to CLOCK (or pass it to the processor)
 * to drive deadlines ("15 days later the mediation window has closed") without waiting.
 * Durations are exact milliseconds: a day is 24 h, which holds in Asia/Shanghai (no DST).
 */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string | number = TEST_NOW) {
    this.current = toMs(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** The current instant as an ISO string (what `RequestContext.now` and metadata carry). */
  nowIso(): string {
    return this.now().toISOString();
  }

  set(instant: Date | string | number): this {
    this.current = toMs(instant);
    return this;
  }

  /** Moves forward (or back, with negative amounts) by milliseconds or a duration. */
  advance(by: number | Duration): this {
    const ms =
      typeof by === 'number'
        ? by
        : (Object.keys(by) as (keyof Duration)[]).reduce((sum, unit) => {
            if (!(unit in MS)) throw new RangeError(`Unknown duration unit ${unit}`);
            return sum + (by[unit] ?? 0) * MS[unit];
          }, 0);
    if (!Number.isFinite(ms)) throw new RangeError('Invalid duration');
    this.current += ms;
    return this;
  }
}
