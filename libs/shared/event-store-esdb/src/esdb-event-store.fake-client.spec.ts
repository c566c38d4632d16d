import { runEventStoreContract } from '@gongzhi/event-store/testing';
import { EsdbEventStore } from './esdb-event-store';
import { FakeKurrentDBClient } from './test-support/fake-kurrentdb-client';
import { withKnownDivergences } from './test-support/known-divergences';

/**
 * The adapter's logic against a model of the KurrentDB client (no server): it proves the
 * adapter applies the port's rules on top of what the client returns. The real server is
 * exercised by esdb-event-store.int.spec.ts when EVENTSTORE_URL is set.
 */
runEventStoreContract(
  'esdb adapter over a fake KurrentDB client',
  async () => {
    const fake = new FakeKurrentDBClient();
    const store = new EsdbEventStore(fake.asClient(), { streamPrefix: 'unit-test:' });
    return { store, tamper: async (eventId, change) => fake.tamper(eventId, change) };
  },
  withKnownDivergences(describe),
);
