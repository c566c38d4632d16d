import { describeWithPostgres } from '@gongzhi/testing';
import { bulkScenarios } from './test-support/bulk-scenarios';
import { postgresReadStores } from './test-support/fixtures';

describeWithPostgres()('bulk read-model writes on PostgreSQL', () => {
  bulkScenarios(() => postgresReadStores('projections_bulk'));
});
