import { Client } from 'pg';
import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { createMobilizationHarness } from './test-support/mobilization-scenario';
import { viewScenarios } from './test-support/view-scenarios';

const schema = freshSchemaName('mobilization_view');

const sql = async (text: string) => {
  const client = new Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};

describeWithPostgres()('unified mobilization view (PostgreSQL read store)', () => {
  beforeAll(() => sql(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  afterAll(() => sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  viewScenarios(() => createMobilizationHarness({ type: 'postgres', url: postgresTestUrl(), schema, extra: { max: 4 } } as never));
});
