/**
 * The TypeORM DataSource holding the deadline tables (DEADLINE_ENTITIES). DeadlinesModule binds
 * it to the app's default `DataSource` unless a DEADLINES_OPTIONS provider names another token.
 */
export const DEADLINES_READ_STORE = Symbol('DEADLINES_READ_STORE');

/** Optional configuration, provided by the app: `{ provide: DEADLINES_OPTIONS, useValue: {...} }`. */
export const DEADLINES_OPTIONS = Symbol('DEADLINES_OPTIONS');

export interface DeadlinesOptions {
  /** The working calendar clocks count with (default 'cn-national'). */
  calendarId?: string;
  /** Ticker period of the scheduler (default 30 s). */
  tickIntervalMs?: number;
  /** Start the ticker with the application (default true; tests call `tick()` themselves). */
  autostart?: boolean;
  /** How long policies and the calendar are cached (default 5 s; a publish in-process clears it). */
  cacheTtlMs?: number;
}
