import { randomUUID } from 'node:crypto';
import { runEventStoreContract } from '@gongzhi/event-store/testing';
// Test-only use of the testing lib, which the type:adapter rule does not list (the lint config
// has no exception for spec files yet).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { describeWith } from '@gongzhi/testing';
import { createEsdbEventStore } from './esdb-event-store';
import { withKnownDivergences } from './test-support/known-divergences';

/**
 * The contract suite against a real EventStoreDB 22.6+ / KurrentDB at EVENTSTORE_URL (e.g.
 * `kurrentdb://127.0.0.1:2113?tls=false`). A server's log cannot be emptied, so each test gets
 * a fresh stream prefix: its store sees only its own streams, an empty log to start with.
 * Events are immutable on the server, so the tamper tests are off (they run over the fake
 * client in esdb-event-store.fake-client.spec.ts).
 */
runEventStoreContract(
  'esdb',
  async () => ({
    store: createEsdbEventStore({
      connectionString: process.env.EVENTSTORE_URL ?? '',
      streamPrefix: `gongzhi-test-${randomUUID()}:`,
    }),
  }),
  withKnownDivergences(describeWith('esdb')),
  { tamperTests: false },
);
