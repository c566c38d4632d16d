/**
 * A projection runner in its own process, for the tests that SIGKILL it (SP-1, SP-3).
 * argv[2] is a JSON ChildConfig. It reports over IPC: 'lease' when it holds the lease,
 * 'applied' after each committed batch, 'in-batch' when it reaches `hangAtPosition` (with that
 * batch's rows written and its transaction still open), where it then waits to be killed.
 */
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { ProjectionRunner } from '../runner';
import { caseBoardProjection } from './case-board.projection';
import { appendCases, openDescribed, type ReadStoreFactory } from './fixtures';

export interface ChildConfig {
  readStore: ReturnType<ReadStoreFactory['describe']>;
  cases: number;
  eventsPerCase: number;
  batchSize: number;
  leaseMs: number;
  instanceId: string;
  hangAtPosition?: string;
}

export type ChildMessage = { type: 'lease' } | { type: 'applied'; to: string } | { type: 'in-batch'; position: string } | { type: 'error'; message: string };

const send = (m: ChildMessage) => process.send?.(m);

async function main(config: ChildConfig) {
  const store = new InMemoryEventStore({ clock: () => new Date('2025-06-01T00:00:00Z') });
  await appendCases(store, { cases: config.cases, eventsPerCase: config.eventsPerCase });
  const ds = await openDescribed(config.readStore);
  const hangAt = config.hangAtPosition === undefined ? undefined : BigInt(config.hangAtPosition);
  const projection = caseBoardProjection({
    afterWrites: async (events) => {
      if (hangAt === undefined || !events.some((e) => e.position === hangAt)) return;
      send({ type: 'in-batch', position: String(hangAt) });
      await new Promise(() => undefined);
    },
  });
  const runner = new ProjectionRunner({
    projection,
    store,
    dataSource: ds,
    batchSize: config.batchSize,
    leaseMs: config.leaseMs,
    heartbeatMs: Math.floor(config.leaseMs / 4),
    acquireIntervalMs: 50,
    instanceId: config.instanceId,
    observer: {
      onLeaseAcquired: () => send({ type: 'lease' }),
      onBatchApplied: (e) => send({ type: 'applied', to: String(e.toPosition) }),
      onError: (e) => send({ type: 'error', message: String((e.error as Error)?.message ?? e.error) }),
    },
  });
  await runner.start();
}

main(JSON.parse(process.argv[2]) as ChildConfig).catch((e) => {
  send({ type: 'error', message: String(e?.stack ?? e) });
  process.exit(1);
});
