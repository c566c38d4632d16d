import { ApolloServer } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentCosts, rateLimitPlugin, TokenBuckets, type RateLimitedEntry } from './rate-limit';
import { formatGraphqlError } from './error-formatter';

describe('TokenBuckets', () => {
  let now = 0;
  const buckets = () => new TokenBuckets({ capacity: 100, periodMs: 10_000, clock: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a caller spend its capacity at once, then refills at capacity per period', () => {
    const b = buckets();
    expect(b.check('a', 60)).toEqual({ ok: true });
    b.take('a', 60);
    expect(b.check('a', 60)).toEqual({ ok: false, retryAfterMs: 2000 });
    expect(b.check('a', 40)).toEqual({ ok: true });
    now += 2000;
    expect(b.available('a')).toBe(60);
    expect(b.check('a', 60)).toEqual({ ok: true });
    now += 60_000;
    expect(b.available('a')).toBe(100);
  });

  it('keeps callers apart, never exceeds the capacity, and refuses a cost above it for good', () => {
    const b = buckets();
    b.take('a', 100);
    expect(b.check('a', 1).ok).toBe(false);
    expect(b.check('b', 100).ok).toBe(true);
    expect(b.check('b', 101)).toEqual({ ok: false, retryAfterMs: Number.POSITIVE_INFINITY });
  });

  it('is off with capacity 0', () => {
    const b = new TokenBuckets({ capacity: 0 });
    b.take('a', 1e9);
    expect(b.check('a', 1e9)).toEqual({ ok: true });
  });

  it('forgets callers whose bucket is full again once it holds too many keys', () => {
    const b = new TokenBuckets({ capacity: 10, periodMs: 1000, clock: () => now, maxKeys: 2 });
    b.take('a', 10);
    b.take('b', 10);
    now += 1000;
    b.take('c', 5);
    expect((b as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(1);
  });
});

describe('rateLimitPlugin', () => {
  const typeDefs = 'type Item { a: Int b: Int c: Int } type Query { cheap: Int items(first: Int): [Item] }';
  const resolvers = { Query: { cheap: () => 1, items: () => [{ a: 1, b: 2, c: 3 }] } };
  const limited: RateLimitedEntry[] = [];

  const server = (perUser: number, perIp: number) => {
    const costs = new DocumentCosts();
    const armor = new ApolloArmor({ costLimit: { maxCost: 5000, exposeLimits: false, onAccept: [costs.onAccept] } }).protect();
    return new ApolloServer({
      typeDefs,
      resolvers,
      formatError: formatGraphqlError,
      validationRules: armor.validationRules,
      plugins: [
        ...armor.plugins,
        rateLimitPlugin({
          perUser: new TokenBuckets({ capacity: perUser, periodMs: 3_600_000 }),
          perIp: new TokenBuckets({ capacity: perIp, periodMs: 3_600_000 }),
          costs,
          identify: async (req) => (req.headers?.authorization as string | undefined)?.replace('Bearer ', ''),
          onLimited: (e) => limited.push(e),
        }),
      ],
    });
  };
  const run = (s: ApolloServer, query: string, user?: string, ip = '10.0.0.1') =>
    s.executeOperation({ query }, { contextValue: { req: { ip, headers: user ? { authorization: `Bearer ${user}` } : {} } } });
  const outcome = (r: Awaited<ReturnType<typeof run>>) => {
    if (r.body.kind !== 'single') throw new Error('single result expected');
    return { status: r.http.status, errors: r.body.singleResult.errors, retryAfter: r.http.headers.get('retry-after') };
  };

  const EXPENSIVE = '{ items(first: 20) { a b c } }'; // (2 + 1.5 * 3) * 20 = 130 units, +1 base
  const CHEAP = '{ cheap }'; // 1 unit, +1 base

  it('charges the cost of each operation, answering 429 RATE_LIMITED once the user budget is spent', async () => {
    const s = server(200, 10_000);
    await s.start();
    expect(outcome(await run(s, EXPENSIVE, 'u1')).errors).toBeUndefined();
    const refused = outcome(await run(s, EXPENSIVE, 'u1'));
    expect(refused.status).toBe(429);
    expect(refused.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }),
    ]);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // The refused request spent nothing: cheap queries still fit in what is left.
    for (let i = 0; i < 30; i++) expect(outcome(await run(s, CHEAP, 'u1')).errors).toBeUndefined();
    // Another user has a budget of their own.
    expect(outcome(await run(s, EXPENSIVE, 'u2')).errors).toBeUndefined();
    expect(limited.at(-1)).toMatchObject({ limitedBy: 'user', userId: 'u1', cost: 131 });
    await s.stop();
  });

  it('charges every user of an address to its IP budget, and anonymous callers to it alone', async () => {
    const s = server(10_000, 300);
    await s.start();
    expect(outcome(await run(s, EXPENSIVE, 'a')).errors).toBeUndefined();
    expect(outcome(await run(s, EXPENSIVE, undefined)).errors).toBeUndefined();
    expect(outcome(await run(s, EXPENSIVE, 'b')).status).toBe(429);
    expect(outcome(await run(s, EXPENSIVE, 'b', '10.0.0.2')).errors).toBeUndefined();
    expect(limited.at(-1)).toMatchObject({ limitedBy: 'ip' });
    await s.stop();
  });

  it('refuses an operation dearer than the whole budget without a retry time', async () => {
    const s = server(100, 10_000);
    await s.start();
    const r = outcome(await run(s, EXPENSIVE, 'u'));
    expect(r.status).toBe(429);
    expect(r.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: null });
    expect(r.retryAfter).toBeUndefined();
    await s.stop();
  });

  it('makes requests that never reach execution (invalid documents) pay the base cost', async () => {
    const s = server(5, 10_000);
    await s.start();
    for (let i = 0; i < 5; i++) expect(outcome(await run(s, '{ nope }', 'u')).status).toBe(400);
    expect(outcome(await run(s, CHEAP, 'u')).status).toBe(429);
    await s.stop();
  });
});
