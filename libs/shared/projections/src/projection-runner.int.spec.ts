import { describeWithPostgres } from '@gongzhi/testing';
import { killScenarios } from './test-support/kill-scenarios';
import { projectionScenarios } from './test-support/scenarios';
import { postgresReadStores } from './test-support/fixtures';

// RELIABILITY.md §2.2 on a PostgreSQL read store (a fresh schema per test).
describeWithPostgres()('ProjectionRunner on PostgreSQL', () => {
  projectionScenarios(() => postgresReadStores('projections'));
  describe('with the runner in a child process', () => killScenarios(() => postgresReadStores('projections_kill')));
});
