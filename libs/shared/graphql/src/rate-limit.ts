import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, type DocumentNode, type ValidationContext } from 'graphql';
import { ErrorCode } from './errors';
import { correlationIdFromContext } from './error-formatter';

/**
 * RELIABILITY.md §3 "rate limiting per user and per IP, weighted by cost". Counting requests
 * misses what matters in GraphQL: one request can ask for a thousand rows through aliases and
 * page sizes. So each caller has a budget of query-cost units (graphql-armor's cost, the same
 * number the per-query cost limit checks) that refills continuously: a token bucket. Buckets
 * live in this process; several instances behind a balancer each enforce their own share.
 */
export interface TokenBucketOptions {
  /** Units a caller may spend at once, and per `periodMs` on average. 0 disables the bucket. */
  capacity: number;
  periodMs?: number;
  clock?: () => number;
  /** Idle callers are forgotten when more keys than this are held (a full bucket needs no entry). */
  maxKeys?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { level: number; at: number }>();
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly clock: () => number;
  private readonly maxKeys: number;

  constructor(options: TokenBucketOptions) {
    this.capacity = options.capacity;
    this.perMs = options.capacity / (options.periodMs ?? 60_000);
    this.clock = options.clock ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Units `key` could spend now. */
  available(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return this.capacity;
    return Math.min(this.capacity, b.level + (this.clock() - b.at) * this.perMs);
  }

  /** Whether `cost` fits now; when not, how long until it will (a cost above the capacity never fits: Infinity). */
  check(key: string, cost: number): TakeResult {
    if (!this.enabled) return { ok: true };
    const level = this.available(key);
    if (cost <= level) return { ok: true };
    if (cost > this.capacity) return { ok: false, retryAfterMs: Number.POSITIVE_INFINITY };
    return { ok: false, retryAfterMs: Math.ceil((cost - level) / this.perMs) };
  }

  /** Spends `cost` (call after `check` said it fits; an overdraft just means a longer wait next time). */
  take(key: string, cost: number): void {
    if (!this.enabled) return;
    const now = this.clock();
    this.buckets.set(key, { level: this.available(key) - cost, at: now });
    if (this.buckets.size > this.maxKeys) this.forgetFull();
  }

  private forgetFull(): void {
    for (const key of this.buckets.keys()) if (this.available(key) >= this.capacity) this.buckets.delete(key);
  }
}

/**
 * The cost graphql-armor computed for each validated document, kept by document object. Pass
 * `onAccept` to armor's costLimit: Apollo validates a query text once and then reuses the same
 * parsed document from its cache, so the cost is known for every later request too.
 */
export class DocumentCosts {
  private readonly costs = new WeakMap<DocumentNode, number>();

  readonly onAccept = (context: ValidationContext | null, details: { n?: number }): void => {
    if (context && typeof details?.n === 'number') this.costs.set(context.getDocument(), details.n);
  };

  costOf(document: DocumentNode | undefined): number {
    return (document && this.costs.get(document)) ?? 0;
  }
}

export class RateLimitedError extends GraphQLError {
  constructor(retryAfterSeconds: number | null) {
    const headers = new HeaderMap();
    if (retryAfterSeconds !== null) headers.set('retry-after', String(retryAfterSeconds));
    super(
      retryAfterSeconds === null
        ? 'This operation costs more than your whole query budget; ask for fewer rows or fields'
        : `Too many requests: your query budget is spent; retry in ${retryAfterSeconds} s`,
      { extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds, http: { status: 429, headers } } },
    );
    this.name = 'RateLimitedError';
  }
}

export interface RateLimitedEntry {
  limitedBy: 'user' | 'ip';
  userId?: string;
  cost: number;
  operationName?: string | null;
  correlationId?: string;
}

export interface RateLimitPluginOptions {
  perUser: TokenBuckets;
  perIp: TokenBuckets;
  costs: DocumentCosts;
  /** The verified user id of a request, or undefined (anonymous or an invalid token: the IP budget only). */
  identify(req: RequestLike): Promise<string | undefined>;
  /** Every request costs at least this much (parse, validation, auth), whatever it asks for. */
  baseCost?: number;
  onLimited?(entry: RateLimitedEntry): void;
}

interface RequestLike {
  ip?: string;
  socket?: { remoteAddress?: string };
  headers?: Record<string, unknown>;
}

const requestOf = (rc: GraphQLRequestContext<any>): RequestLike | undefined => (rc.contextValue as { req?: RequestLike } | undefined)?.req;
const ipOf = (req: RequestLike | undefined): string => req?.ip ?? req?.socket?.remoteAddress ?? 'unknown';

/**
 * Charges each operation its cost before it executes, to the caller's user bucket and to their
 * IP's bucket (larger, as offices share an address); refused when either is short: HTTP 429,
 * `extensions.code` RATE_LIMITED and a Retry-After header. Nothing is spent on a refused request.
 * Requests that fail before an operation is resolved (syntax, validation) still pay the base cost.
 */
export const rateLimitPlugin = (options: RateLimitPluginOptions): ApolloServerPlugin => {
  const base = options.baseCost ?? 1;
  return {
    async requestDidStart() {
      let charged = false;
      let userId: string | undefined;
      let identified = false;
      const identify = async (req: RequestLike | undefined) => {
        if (!identified && req && options.perUser.enabled) userId = await options.identify(req).catch(() => undefined);
        identified = true;
        return userId;
      };
      return {
        async didResolveOperation(rc) {
          charged = true;
          const req = requestOf(rc);
          const cost = base + Math.ceil(options.costs.costOf(rc.document));
          const user = await identify(req);
          const userKey = user === undefined ? undefined : `user:${user}`;
          const ipKey = `ip:${ipOf(req)}`;
          const byUser = userKey ? options.perUser.check(userKey, cost) : ({ ok: true } as const);
          const byIp = options.perIp.check(ipKey, cost);
          if (!byUser.ok || !byIp.ok) {
            const waitMs = Math.max(byUser.ok ? 0 : byUser.retryAfterMs, byIp.ok ? 0 : byIp.retryAfterMs);
            options.onLimited?.({
              limitedBy: byUser.ok ? 'ip' : 'user',
              userId: user,
              cost,
              operationName: rc.operationName,
              correlationId: correlationIdFromContext(rc.contextValue),
            });
            throw new RateLimitedError(Number.isFinite(waitMs) ? Math.max(1, Math.ceil(waitMs / 1000)) : null);
          }
          if (userKey) options.perUser.take(userKey, cost);
          options.perIp.take(ipKey, cost);
        },
        async didEncounterErrors(rc) {
          if (charged) return;
          charged = true;
          const req = requestOf(rc);
          const user = await identify(req);
          if (user !== undefined) options.perUser.take(`user:${user}`, base);
          options.perIp.take(`ip:${ipOf(req)}`, base);
        },
      };
    },
  };
};
