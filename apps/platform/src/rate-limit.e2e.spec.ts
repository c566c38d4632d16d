import { randomBytes } from 'node:crypto';
import { Role } from '@gongzhi/auth';
import { codesOf, E2eApp } from './testing/e2e-harness';

// graphql-armor's cost: orgUnits (2 + 1.5 * nodes (2 + 1.5 * 2)) * first 20 = 190, plus 1 per request.
const EXPENSIVE = '{ orgUnits(first: 20) { nodes { id name } } }';
const CHEAP = '{ viewer { userId } }';

const logEntries = (e: E2eApp) => e.logs.map((l) => JSON.parse(l) as Record<string, any>);

/** RELIABILITY.md §3: cost-weighted rate limits per user and per IP. */
describe('query budgets (e2e, embedded stores)', () => {
  let e: E2eApp;
  beforeAll(async () => {
    // Small budgets, so a few requests spend them (refill: a budget per minute, ~5 units/s here).
    e = await E2eApp.start({ RATE_LIMIT_USER: '300', RATE_LIMIT_IP: '500' });
  });
  afterAll(() => e?.close());

  it('refuses a user whose budget is spent with HTTP 429 and RATE_LIMITED, charging by cost, not by request', async () => {
    const a = e.token('user-a', [Role.Admin], 'root');
    expect((await e.gql(EXPENSIVE, {}, { Authorization: a })).body.errors).toBeUndefined();
    const refused = await e.gql(EXPENSIVE, {}, { Authorization: a, 'x-correlation-id': 'limited-1' });
    expect(refused.status).toBe(429);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/query budget is spent/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number), correlationId: 'limited-1' },
      }),
    ]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.data).toBeUndefined();
    // What is left still pays for cheap queries: the limit weighs cost, and refusals cost nothing.
    const cheap = await e.gql(CHEAP, {}, { Authorization: a });
    expect(cheap.status).toBe(200);
    expect(cheap.body.data.viewer.userId).toBe('user-a');
    expect(logEntries(e).find((l) => l.correlationId === 'limited-1' && l.limitedBy)).toMatchObject({ limitedBy: 'user', userId: 'user-a', cost: 191, level: 40 });
  });

  it('gives each user a budget of their own, and all users of one address a shared, larger one', async () => {
    const b = e.token('user-b', [Role.Admin], 'root');
    const c = e.token('user-c', [Role.Admin], 'root');
    expect((await e.gql(EXPENSIVE, {}, { Authorization: b })).status).toBe(200);
    const byIp = await e.gql(EXPENSIVE, {}, { Authorization: c });
    expect(byIp.status).toBe(429);
    expect(codesOf(byIp)).toEqual(['RATE_LIMITED']);
    expect(logEntries(e).filter((l) => l.limitedBy === 'ip').map((l) => l.userId)).toContain('user-c');
  });

  it('does not give a forged token a budget of its own', async () => {
    const forged = `Bearer ${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"user-d"}').toString('base64url')}.${randomBytes(8).toString('hex')}`;
    const r = await e.gql(EXPENSIVE, {}, { Authorization: forged });
    expect(codesOf(r)).toEqual(['RATE_LIMITED']);
  });
});
