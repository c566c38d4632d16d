import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, JsonObject, JsonValue, RecordedEvent } from '../types';

/** What an adapter's test gives the contract suite, once per test. */
export interface EventStoreContractFixture {
  /** A store over an empty log. The suite closes it after the test (close must be idempotent). */
  store: EventStore;
  /** Removes what setup created (schema, file); called after `store.close()`. */
  cleanup?: () => Promise<void>;
  /**
   * Optional: rewrites a stored event's data and/or metadata behind the store's back (as a
   * hand-edited database row would), leaving its hash as it was. When given, the suite also
   * checks that `verifyStream` reports the tampered event.
   */
  tamper?: (eventId: string, change: { data?: JsonValue; metadata?: JsonObject }) => Promise<void>;
}

export type EventStoreContractSetup = () => Promise<EventStoreContractFixture>;

/** Accessor the contract files use to reach the current test's fixture. */
export type FixtureRef = () => EventStoreContractFixture;

/**
 * Liveness guard for subscription tests: fails with a message instead of hanging the run. It is
 * generous on purpose; nothing asserts how fast an event arrives.
 */
export const GUARD_MS = 20_000;

export const streamName = (label: string): string => `contract.${label}-${randomUUID()}`;

let counter = 0;
export const newEvent = (data: JsonValue = { n: ++counter }, type = 'ContractTested', metadata?: JsonObject): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  ...(metadata ? { metadata } : {}),
});

export const newEvents = (n: number, type = 'ContractTested'): EventToAppend[] =>
  Array.from({ length: n }, (_, i) => newEvent({ i }, type));

export const within = <T>(promise: Promise<T>, what: string, ms = GUARD_MS): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** Pulls exactly `n` events from an iterator that stays usable afterwards. */
export const take = async (it: AsyncIterator<RecordedEvent>, n: number, what = 'subscription'): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  while (out.length < n) {
    const r = await within(it.next(), `${what} delivered ${out.length} of ${n} events`);
    if (r.done) throw new Error(`${what} ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
};

/** Resolves with the rejection reason; fails the test when the promise fulfils. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<any> => {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('Expected the call to be rejected, but it succeeded');
};

export const ids = (events: { id: string }[]): string[] => events.map((e) => e.id);

export const ofStream = (events: RecordedEvent[], streamId: string): RecordedEvent[] =>
  events.filter((e) => e.streamId === streamId);

export const expectStrictlyIncreasing = (positions: bigint[]): void => {
  for (let i = 1; i < positions.length; i++) {
    if (!(positions[i] > positions[i - 1])) {
      throw new Error(`Positions not strictly increasing at index ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
};

/** Every stream seen in `events` (a readAll result) has revisions 0,1,2,… in log order. */
export const expectContiguousRevisions = (events: RecordedEvent[]): void => {
  const next = new Map<string, number>();
  for (const e of events) {
    const expected = next.get(e.streamId) ?? 0;
    if (e.revision !== expected) {
      throw new Error(`Stream ${e.streamId}: revision ${e.revision} where ${expected} was expected (event ${e.id})`);
    }
    next.set(e.streamId, expected + 1);
  }
};
