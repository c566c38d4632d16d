import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Role } from '@gongzhi/auth';
import { describeWithPostgres, postgresTestUrl } from '@gongzhi/testing';
import { codesOf, E2eApp } from './testing/e2e-harness';

const CREATE = 'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { revision } }';
const CHEAP = '{ viewer { userId } }';

const logEntries = (e: E2eApp) => e.logs.map((l) => JSON.parse(l) as Record<string, any>);

/**
 * RELIABILITY.md §3: the HTTP request timeout. (Its own file: nestjs-pino writes log lines made
 * outside a request to the first app built in a process, and this test reads such a line.)
 */
describe('HTTP request timeout (e2e, embedded stores)', () => {
  let e: E2eApp;
  let port: number;
  beforeAll(async () => {
    e = await E2eApp.start({ REQUEST_TIMEOUT_MS: '400' });
    await e.app.listen(0, '127.0.0.1');
    port = (e.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => e?.close());

  it('answers a request whose body trickles in with 503 TIMEOUT and closes the connection', async () => {
    const response = await new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/graphql?debug=1', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': 200, 'x-correlation-id': 'slow-body-1' } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.write('{"query":"{ viewer');
    });
    expect(response.status).toBe(503);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(response.body)).toEqual({
      errors: [{ message: expect.stringMatching(/took too long/), extensions: { code: 'TIMEOUT', correlationId: 'slow-body-1' } }],
    });
    expect(logEntries(e).find((l) => l.msg === 'request timed out')).toMatchObject({ path: '/graphql', correlationId: 'slow-body-1', timeoutMs: 400 });
    // The server is fine afterwards.
    const admin = e.token('operator', [Role.Admin], 'root');
    expect((await e.gql(CHEAP, {}, { Authorization: admin })).body.data.viewer.userId).toBe('operator');
  });
});

/**
 * On a PostgreSQL read store: a query stuck behind a lock is cancelled by statement_timeout (a
 * masked INTERNAL error, logged without its values), or, without one, answered 503 by the HTTP
 * timeout. The projections' own pool has no statement timeout: they wait for the lock and go on.
 */
describeWithPostgres()('statement timeout on the PostgreSQL read store (e2e)', () => {
  const admin = new URL(postgresTestUrl());
  const database = `gz_limits_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(postgresTestUrl());
  url.pathname = `/${database}`;
  let e: E2eApp;
  let token: string;

  const asAdmin = async <T>(work: (c: Client) => Promise<T>, db = admin.toString()): Promise<T> => {
    const c = new Client({ connectionString: db });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  /** Holds ACCESS EXCLUSIVE on org_units in an open transaction until released. */
  const lockOrgUnits = async () => {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('BEGIN');
    await c.query('LOCK TABLE org_units IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await c.query('ROLLBACK');
      await c.end();
    };
  };

  beforeAll(async () => {
    await asAdmin((c) => c.query('CREATE DATABASE ' + c.escapeIdentifier(database)));
    e = await E2eApp.start({ READ_STORE: 'postgres', READ_STORE_URL: url.toString(), READ_STORE_STATEMENT_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '20000' });
    token = e.token('operator', [Role.Admin], 'root');
    const r = await e.gql(CREATE, { input: { orgUnitId: 'locked-unit', name: '鎖定測試', kind: 'COMMUNITY' } }, { Authorization: token });
    expect(r.body.errors).toBeUndefined();
    await e.settle();
  });
  afterAll(async () => {
    await e?.close();
    await asAdmin((c) => c.query('DROP DATABASE IF EXISTS ' + c.escapeIdentifier(database) + ' WITH (FORCE)'));
  });

  it('cancels a read stuck behind a lock after statement_timeout: INTERNAL, logged with the SQL state and no values', async () => {
    const release = await lockOrgUnits();
    try {
      const started = Date.now();
      const r = await e.gql('query($id: ID!) { orgUnit(id: $id) { id } }', { id: 'locked-unit' }, { Authorization: token, 'x-correlation-id': 'stmt-timeout-1' });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(codesOf(r)).toEqual(['INTERNAL']);
    } finally {
      await release();
    }
    const logged = logEntries(e).find((l) => l.correlationId === 'stmt-timeout-1' && l.err);
    expect(logged?.err).toMatchObject({ type: 'QueryFailedError', code: '57014', parameters: '[redacted]' });
    expect(JSON.stringify(logged)).not.toContain('locked-unit');
  });

  it('lets the projections wait for the lock instead (their pool has no statement timeout)', async () => {
    const release = await lockOrgUnits();
    try {
      const r = await e.gql(CREATE, { input: { orgUnitId: 'after-lock', name: '鎖後', kind: 'COMMUNITY', parentId: 'locked-unit' } }, { Authorization: token });
      expect(r.body.errors).toBeUndefined();
      await new Promise((done) => setTimeout(done, 1000));
    } finally {
      await release();
    }
    await e.settle();
    const read = await e.gql('{ orgUnit(id: "after-lock") { id name } }', {}, { Authorization: token });
    expect(read.body.data.orgUnit).toEqual({ id: 'after-lock', name: '鎖後' });
    const health = await e.http.get('/health');
    expect(health.body.info.projections.status).toBe('up');
  });

  it('without a statement timeout, the HTTP timeout answers 503 TIMEOUT', async () => {
    const slow = await E2eApp.start({
      READ_STORE: 'postgres',
      READ_STORE_URL: url.toString(),
      READ_STORE_STATEMENT_TIMEOUT_MS: '0',
      REQUEST_TIMEOUT_MS: '500',
      JWT_SECRET: e.secret(),
    });
    const release = await lockOrgUnits();
    try {
      const res = await slow.http
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .set('Authorization', token)
        .send({ query: '{ orgUnit(id: "locked-unit") { id } }' });
      expect(res.status).toBe(503);
      expect(res.body.errors[0].extensions.code).toBe('TIMEOUT');
    } finally {
      await release();
      await slow.close();
    }
  });
});
