import { bulkScenarios } from './test-support/bulk-scenarios';
import { sqliteReadStores } from './test-support/fixtures';

describe('bulk read-model writes on SQLite', () => {
  bulkScenarios(() => sqliteReadStores());
});
