import { appendContract } from './append.contract';
import { concurrencyContract } from './concurrency.contract';
import type { EventStoreContractFixture, EventStoreContractSetup } from './fixtures';
import { idempotencyContract } from './idempotency.contract';
import { integrityContract } from './integrity.contract';
import { readContract } from './read.contract';
import { subscriptionContract } from './subscription.contract';

export type { EventStoreContractFixture, EventStoreContractSetup } from './fixtures';

export interface EventStoreContractOptions {
  /**
   * Run the tamper-evidence tests, which need `fixture.tamper` (default true). Only a store
   * whose stored events cannot be altered behind its back should turn them off.
   */
  tamperTests?: boolean;
}

/**
 * The behaviour every EventStore adapter must show (RELIABILITY.md ES-1..5, ES-8, SP-6).
 * `setup` runs before each test and must give a store over an empty log; after each test the
 * suite closes the store and then calls `cleanup`. Pass `describeFn` (e.g. from
 * `describeWithPostgres()`) to skip the suite when the adapter's service is absent.
 */
export const runEventStoreContract = (
  name: string,
  setup: EventStoreContractSetup,
  describeFn: jest.Describe = describe,
  options: EventStoreContractOptions = {},
): void => {
  describeFn(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreContractFixture | undefined;
    const fx = (): EventStoreContractFixture => {
      if (!fixture) throw new Error('The contract fixture is not set up');
      return fixture;
    };

    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => {
      const current = fixture;
      fixture = undefined;
      if (!current) return;
      try {
        await current.store.close();
      } finally {
        await current.cleanup?.();
      }
    });

    appendContract(fx);
    readContract(fx);
    idempotencyContract(fx);
    concurrencyContract(fx);
    integrityContract(fx, { tamperTests: options.tamperTests ?? true });
    subscriptionContract(fx);
  });
};
