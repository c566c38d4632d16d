import { createMobilizationHarness } from './test-support/mobilization-scenario';
import { viewScenarios } from './test-support/view-scenarios';

describe('unified mobilization view (SQLite read store)', () => {
  viewScenarios(() => createMobilizationHarness());
});
