import { killScenarios } from './test-support/kill-scenarios';
import { projectionScenarios } from './test-support/scenarios';
import { sqliteReadStores } from './test-support/fixtures';

// RELIABILITY.md §2.2 on an embedded SQLite read store (better-sqlite3, WAL, a file per test).
describe('ProjectionRunner on SQLite', () => {
  projectionScenarios(() => sqliteReadStores());
  describe('with the runner in a child process', () => killScenarios(() => sqliteReadStores()));
});
