import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@gongzhi/auth';
import { codesOf, E2eApp } from './testing/e2e-harness';
import { developmentSecretFile } from '@gongzhi/platform-core';

/** PRODUCTION=true, set explicitly (NODE_ENV plays no part). */
describe('production mode (e2e)', () => {
  let e: E2eApp;
  const secret = 'p'.repeat(48);

  beforeAll(async () => {
    // Production brings its own privacy keys (the config refuses to start without them); nothing is generated into DATA_DIR.
    e = await E2eApp.start({
      PRODUCTION: 'true',
      JWT_SECRET: secret,
      NODE_ENV: 'development',
      GONGZHI_KEK: randomBytes(32).toString('base64'),
      GONGZHI_INDEX_KEY: randomBytes(32).toString('base64'),
    });
  });
  afterAll(() => e?.close());

  it('refuses introspection, even for an authenticated admin', async () => {
    const admin = e.token('operator', [Role.Admin], 'root');
    const schema = await e.gql('{ __schema { types { name } } }', {}, { Authorization: admin });
    expect(codesOf(schema)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(schema.body.errors?.[0].message).toMatch(/introspection/i);
    const type = await e.gql('{ __type(name: "OrgUnit") { fields { name } } }', {}, { Authorization: admin });
    expect(codesOf(type)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const ordinary = await e.gql('{ viewer { userId } }', {}, { Authorization: admin });
    expect(ordinary.body.data.viewer.userId).toBe('operator');
  });

  it('serves no GraphiQL page and no Apollo landing page', async () => {
    expect((await e.http.get('/graphiql')).status).toBe(404);
    const landing = await e.http.get('/graphql').set('Accept', 'text/html');
    expect(landing.text).not.toMatch(/<html/i);
  });

  it('uses the configured secret and writes no development secret', async () => {
    expect(existsSync(developmentSecretFile(e.config))).toBe(false);
    expect(e.secret()).toBe(secret);
    expect(existsSync(join(e.dataDir, 'keys'))).toBe(false);
  });

  it('hides field suggestions in validation errors', async () => {
    const admin = e.token('operator', [Role.Admin], 'root');
    const r = await e.gql('{ viewr { userId } }', {}, { Authorization: admin });
    expect(codesOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(r.body)).not.toMatch(/Did you mean|viewer/);
  });
});
