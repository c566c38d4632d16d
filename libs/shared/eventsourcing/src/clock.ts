/**
 * The processor's source of `now` when the request context brings none. Deciders never see a
 * Clock: they get `metadata.now`, so tests (and replays) control time.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
