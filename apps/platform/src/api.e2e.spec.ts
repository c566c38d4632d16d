import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { Role } from '@gongzhi/auth';
import { codesOf, E2eApp } from './testing/e2e-harness';
import { developmentSecretFile } from '@gongzhi/platform-core';

const CREATE = 'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { aggregateId streamId revision events { id type revision position } } }';
const RENAME = 'mutation($input: RenameOrgUnitInput!) { renameOrgUnit(input: $input) { revision events { type position } } }';

describe('GraphQL API over HTTP (e2e, embedded stores)', () => {
  let e: E2eApp;
  let admin: string;

  beforeAll(async () => {
    e = await E2eApp.start();
    admin = e.token('operator', [Role.Admin], 'root');
  });
  afterAll(() => e?.close());

  it('generated the development JWT secret into DATA_DIR with mode 0600', () => {
    expect(statSync(developmentSecretFile(e.config)).mode & 0o777).toBe(0o600);
    expect(e.secret()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns the same result for a retried mutation with the same commandId, and appends nothing', async () => {
    const input = { commandId: randomUUID(), orgUnitId: 'retry-unit', name: '重試單位', kind: 'COMMUNITY' };
    const first = await e.gql(CREATE, { input }, { Authorization: admin });
    expect(first.body.errors).toBeUndefined();
    const head = await e.store.headPosition();
    const second = await e.gql(CREATE, { input }, { Authorization: admin });
    expect(second.body).toEqual(first.body);
    expect(first.body.data.createOrgUnit).toMatchObject({ aggregateId: 'retry-unit', streamId: 'org.org-unit-retry-unit', revision: 0 });
    expect(first.body.data.createOrgUnit.events).toEqual([expect.objectContaining({ type: 'OrgUnitCreated', revision: 0 })]);
    expect(await e.store.headPosition()).toBe(head);
    expect(await e.store.readStream('org.org-unit-retry-unit')).toHaveLength(1);
  });

  it('gives exactly one CONFLICT for two concurrent mutations with the same expectedRevision', async () => {
    await e.gql(CREATE, { input: { orgUnitId: 'race-unit', name: 'race', kind: 'COMMUNITY' } }, { Authorization: admin });
    const rename = (name: string) =>
      e.gql(RENAME, { input: { orgUnitId: 'race-unit', name, expectedRevision: 0, commandId: randomUUID() } }, { Authorization: admin });
    const results = await Promise.all([rename('甲'), rename('乙')]);
    const ok = results.filter((r) => !r.body.errors);
    const conflicts = results.filter((r) => codesOf(r).includes('CONFLICT'));
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expected: 0, actual: 1 });
    expect(ok[0].body.data.renameOrgUnit.revision).toBe(1);
    expect(await e.store.readStream('org.org-unit-race-unit')).toHaveLength(2);
  });

  it('answers malformed input with BAD_USER_INPUT and appends nothing', async () => {
    const head = await e.store.headPosition();
    const badId = await e.gql(CREATE, { input: { orgUnitId: 'Not A Valid Id!', name: 'x', kind: 'COMMUNITY' } }, { Authorization: admin });
    expect(codesOf(badId)).toEqual(['BAD_USER_INPUT']);
    const badCommandId = await e.gql(CREATE, { input: { commandId: 'not-a-uuid', name: 'x', kind: 'COMMUNITY' } }, { Authorization: admin });
    expect(codesOf(badCommandId)).toEqual(['BAD_USER_INPUT']);
    expect(badCommandId.body.errors?.[0].extensions?.validationErrors).toEqual(['commandId must be a UUID']);
    const badEnum = await e.gql(CREATE, { input: { name: 'x', kind: 'CASTLE' } }, { Authorization: admin });
    expect(codesOf(badEnum)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(badEnum.body)).not.toMatch(/Did you mean/);
    expect(await e.store.headPosition()).toBe(head);
  });

  it('answers a broken domain rule with DOMAIN_RULE and its rule code', async () => {
    const r = await e.gql(CREATE, { input: { orgUnitId: 'orphan', name: 'x', kind: 'COMMUNITY', parentId: 'no-such-parent' } }, { Authorization: admin });
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'DOMAIN_RULE', ruleCode: 'ORG.PARENT_NOT_FOUND' });
  });

  it('rejects an over-deep query before executing it', async () => {
    const deep = `{ orgUnit(id: "retry-unit") { ${'parent { '.repeat(9)}id${' }'.repeat(9)} } }`;
    const r = await e.gql(deep, {}, { Authorization: admin });
    expect(r.status).toBe(400);
    expect(codesOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.body.data).toBeUndefined();
    const shallow = await e.gql(`{ orgUnit(id: "retry-unit") { ${'parent { '.repeat(5)}id${' }'.repeat(5)} } }`, {}, { Authorization: admin });
    expect(shallow.body.errors).toBeUndefined();
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: viewer { userId }`).join(' ');
    const r = await e.gql(`{ ${aliases} }`, {}, { Authorization: admin });
    expect(codesOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('rejects a batched (array) request', async () => {
    const res = await e.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('Authorization', admin)
      .send([{ query: '{ viewer { userId } }' }, { query: '{ viewer { userId } }' }]);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batching/i);
  });

  it('rejects a GET without the CSRF preflight header, and serves one that has it', async () => {
    const blocked = await e.http.get('/graphql').query({ query: '{ viewer { userId } }' }).set('Authorization', admin);
    expect(blocked.status).toBe(400);
    expect(blocked.text).toMatch(/Cross-Site Request Forgery/);
    const allowed = await e.http
      .get('/graphql')
      .query({ query: '{ viewer { userId } }' })
      .set('Authorization', admin)
      .set('apollo-require-preflight', 'true');
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.viewer.userId).toBe('operator');
  });

  it('refuses a body over the size limit', async () => {
    const res = await e.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send({ query: `{ viewer { userId } } # ${'x'.repeat(200_000)}` });
    expect(res.status).toBe(413);
  });

  it('echoes the caller’s correlation id, and makes one when absent', async () => {
    const given = await e.http.get('/health').set('x-correlation-id', 'trace-abc-123');
    expect(given.headers['x-correlation-id']).toBe('trace-abc-123');
    const made = await e.http.get('/health');
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports health of the stores and projections, and Prometheus metrics', async () => {
    await e.settle();
    const health = await e.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info).toMatchObject({ eventStore: { status: 'up' }, readStore: { status: 'up' }, projections: { status: 'up', org: { eventsBehind: 0 } } });
    const metrics = await e.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/gongzhi_commands_total\{type="CreateOrgUnit",outcome="appended"\} [1-9]/);
    expect(metrics.text).toMatch(/gongzhi_commands_total\{type="CreateOrgUnit",outcome="replayed"\} [1-9]/);
    expect(metrics.text).toMatch(/gongzhi_commands_total\{type="RenameOrgUnit",outcome="conflict"\} 1/);
    expect(metrics.text).toMatch(/gongzhi_command_duration_seconds_bucket\{le="[^"]+",type="CreateOrgUnit",outcome="appended"\}/);
    expect(metrics.text).toMatch(/gongzhi_event_store_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(metrics.text).toMatch(/gongzhi_projection_lag_events\{projection="org"\} 0/);
  });

  it('serves GraphiQL from the installed packages, with no CDN', async () => {
    const page = await e.http.get('/graphiql');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of page.text.match(/\/graphiql\/assets\/[a-z.-]+/g) ?? []) {
      const res = await e.http.get(asset);
      expect(res.status).toBe(200);
    }
    expect((await e.http.get('/graphiql/assets/graphiql.js')).text).toContain('GraphiQL');
    expect((await e.http.get('/graphiql/assets/..%2Fpackage.json')).status).toBe(404);
  });

  // Last: it closes the event store under the running app.
  it('masks an internal error as INTERNAL with the correlation id, and logs the detail', async () => {
    await e.store.close();
    const r = await e.gql('{ history(streamId: "org.org-unit-retry-unit") { totalCount } }', {}, {
      Authorization: admin,
      'x-correlation-id': 'corr-internal-1',
    });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL', correlationId: 'corr-internal-1' },
    });
    expect(JSON.stringify(r.body)).not.toMatch(/sqlite|database|closed|stack/i);
    const logged = e.logs.map((l) => JSON.parse(l)).filter((l) => l.correlationId === 'corr-internal-1' && l.level >= 50);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).toMatch(/err/);
  });
});
