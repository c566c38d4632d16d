import { describeWithPostgres } from '@gongzhi/testing';
import { projectionScenarios } from './test-support/scenarios';
import { postgresReadStores } from './test-support/fixtures';

// RELIABILITY.md §2.2 on a PostgreSQL read store (a fresh schema per test).
describeWithPostgres()('ProjectionRunner on PostgreSQL', () => {
  projectionScenarios(() => postgresReadStores('projections'));
});
