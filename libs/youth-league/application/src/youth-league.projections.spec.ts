import { projectionScenarios } from './test-support/projection-scenarios';
import { createLeagueTestApp } from './testing';

describe('league projections (SQLite read store)', () => {
  projectionScenarios(() => createLeagueTestApp());
});
