import { Client } from 'pg';
import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { projectionScenarios } from './test-support/projection-scenarios';
import { createLeagueTestApp } from './testing';

const schema = freshSchemaName('league_projections');

const sql = async (text: string) => {
  const client = new Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};

describeWithPostgres()('league projections (PostgreSQL read store)', () => {
  beforeAll(() => sql(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  afterAll(() => sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  projectionScenarios(() => createLeagueTestApp({ dataSourceOptions: { type: 'postgres', url: postgresTestUrl(), schema, extra: { max: 6 } } as never }));
});
