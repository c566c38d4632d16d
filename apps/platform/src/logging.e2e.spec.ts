import { DataSource } from 'typeorm';
import { Role } from '@gongzhi/auth';
import { findPersonalPatterns } from '@gongzhi/privacy';
import { codesOf, E2eApp, type GraphqlResponse } from './testing/e2e-harness';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13812345678';
const ORG_UNIT = 'query($id: ID!) { orgUnit(id: $id) { id name } }';

/**
 * What the request log and the error log keep of requests that carry an ID number and a phone
 * in their variables: over POST (body) and GET (query string), answered, refused and failing
 * inside the database. RELIABILITY.md P-3 for the logs.
 */
describe('request and error logs hold no personal data (e2e)', () => {
  let e: E2eApp;
  let admin: string;
  const responses: GraphqlResponse[] = [];

  const get = async (query: string, variables: Record<string, unknown>) => {
    const res = await e.http
      .get('/graphql')
      .query({ query, variables: JSON.stringify(variables) })
      .set('Authorization', admin)
      .set('apollo-require-preflight', 'true');
    const r: GraphqlResponse = { status: res.status, body: res.body, headers: res.headers as Record<string, string> };
    responses.push(r);
    return r;
  };
  const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const r = await e.gql(query, variables, { Authorization: admin, ...headers });
    responses.push(r);
    return r;
  };
  const entries = () => e.logs.map((l) => JSON.parse(l) as Record<string, any>);

  beforeAll(async () => {
    e = await E2eApp.start();
    admin = e.token('operator', [Role.Admin], 'root');
  });
  afterAll(() => e?.close());

  it('GET: logs the path only, never the query string with the variables', async () => {
    const ok = await get('{ viewer { userId } }', { phone: PHONE, id: ID_NUMBER });
    expect(ok.status).toBe(200);
    expect(ok.body.data.viewer.userId).toBe('operator');
    expect(codesOf(await get(ORG_UNIT, { id: ID_NUMBER, phone: PHONE }))).toEqual(['NOT_FOUND']);

    const requests = entries().filter((l) => l.req?.method === 'GET');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const l of requests) expect(l.req.path).toBe('/graphql');
    expect(e.logs.join('\n')).not.toMatch(/\?query=|variables=|%22phone%22/);
  });

  it('POST: answered and refused requests leave no variable values in the log', async () => {
    expect(codesOf(await post(ORG_UNIT, { id: ID_NUMBER }))).toEqual(['NOT_FOUND']);
    // graphql-js quotes a value it cannot coerce in its error message.
    expect(codesOf(await post('query($first: Int) { orgUnits(first: $first) { pageInfo { hasNextPage } } }', { first: PHONE }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await post('query($phone: String!) { viewer { userId } }', { phone: PHONE }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('a query failing inside the database is logged with its SQL, its bound values redacted', async () => {
    // A read-model table that fails at execution (not at prepare), as a broken disk or a cancelled
    // statement would: TypeORM then wraps the error in a QueryFailedError holding the parameters.
    const readStore = e.app.get(DataSource);
    await readStore.query('ALTER TABLE org_units RENAME TO org_units_hidden');
    await readStore.query("CREATE VIEW org_units AS SELECT * FROM org_units_hidden WHERE json('{') IS NOT NULL");

    const failed = await post(ORG_UNIT, { id: ID_NUMBER }, { 'x-correlation-id': 'logs-db-failure' });
    expect(codesOf(failed)).toEqual(['INTERNAL']);
    const logged = entries().filter((l) => l.correlationId === 'logs-db-failure' && l.err);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0].err).toMatchObject({ type: 'QueryFailedError', parameters: '[redacted]' });
    expect(logged[0].err.query).toMatch(/FROM "org_units"/);
  });

  it('P-3: no ID number or phone in any log line or response', () => {
    const logs = e.logs.join('\n');
    expect(e.logs.length).toBeGreaterThan(5);
    expect(findPersonalPatterns(logs)).toEqual([]);
    expect(logs).not.toContain(ID_NUMBER);
    expect(logs).not.toContain(PHONE);
    // The structured redaction did the work: the catch-all scrubber of log lines had nothing to replace.
    expect(logs.replace(/"parameters":"\[redacted\]"/g, '')).not.toContain('[redacted]');
    const bodies = responses.map((r) => JSON.stringify(r.body)).join('\n');
    expect(findPersonalPatterns(bodies)).toEqual([]);
  });
});
