import { ApolloServer } from '@apollo/server';
import { BadRequestException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { DomainError } from '@gongzhi/kernel';
import { ErrorCode, NotFoundError } from './errors';
import { errorHandlingPlugin, formatGraphqlError, type ErrorLogEntry } from './error-formatter';

class MediationWindowClosed extends DomainError {
  readonly code = 'UNION.MEDIATION_WINDOW_CLOSED';
}
class FakeConcurrencyError extends Error {
  readonly code = 'EVENT_STORE.CONCURRENCY';
  constructor(readonly expected: number, readonly actual: number) {
    super(`expected ${expected}, actual ${actual}`);
  }
}
/** Mirrors @gongzhi/eventsourcing's CommandConflictError (matched by code). */
class CommandConflictError extends Error {
  readonly code = 'EVENTSOURCING.CONFLICT';
  constructor(readonly expected: number, readonly actual: number) {
    super(`expected ${expected}, actual ${actual}`);
  }
}

const throwing: Record<string, () => unknown> = {
  domain: () => new MediationWindowClosed('The 15-day mediation window has closed', { windowEndsAt: '2024-03-01T00:00:00.000Z' }),
  unknownCoded: () => Object.assign(new Error('ENOENT: /srv/x'), { code: 'FS.ENOENT' }),
  concurrency: () => new FakeConcurrencyError(3, 5),
  commandConflict: () => new CommandConflictError(1, 2),
  validation: () => new BadRequestException(['commandId must be a UUID']),
  unauthenticated: () => new UnauthorizedException(),
  forbidden: () => new ForbiddenException('Role analyst may not do this'),
  notFound: () => new NotFoundError('Org unit', 'x'),
  internal: () => new Error('SQLITE_BUSY: database is locked at /srv/data/secret-path.db'),
};

const typeDefs = `type Query { ${Object.keys(throwing).map((k) => `${k}: Int`).join(' ')} ok: Int }`;
const resolvers = {
  Query: {
    ok: () => 1,
    ...Object.fromEntries(Object.entries(throwing).map(([k, f]) => [k, () => { throw f(); }])),
  },
};

describe('GraphQL error formatter', () => {
  const logged: ErrorLogEntry[] = [];
  const server = new ApolloServer({
    typeDefs,
    resolvers,
    formatError: formatGraphqlError,
    includeStacktraceInErrorResponses: true, // the formatter must strip them regardless
    plugins: [errorHandlingPlugin({ logInternalError: (e) => logged.push(e) })],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => (logged.length = 0));

  const run = async (query: string, correlationId = 'corr-123') => {
    const res = await server.executeOperation({ query }, { contextValue: { correlationId } });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };
  const firstError = async (field: string) => ((await run(`{ ${field} }`)).errors ?? [])[0];

  it('maps a domain error to DOMAIN_RULE with the rule code and details', async () => {
    const e = await firstError('domain');
    expect(e.message).toBe('The 15-day mediation window has closed');
    expect(e.extensions).toMatchObject({
      code: ErrorCode.DOMAIN_RULE,
      ruleCode: 'UNION.MEDIATION_WINDOW_CLOSED',
      details: { windowEndsAt: '2024-03-01T00:00:00.000Z' },
    });
  });

  it('maps the store concurrency error and the command conflict to CONFLICT with revisions', async () => {
    expect((await firstError('concurrency')).extensions).toMatchObject({ code: 'CONFLICT', expected: 3, actual: 5 });
    expect((await firstError('commandConflict')).extensions).toMatchObject({ code: 'CONFLICT', expected: 1, actual: 2 });
  });

  it('maps validation, auth and not-found errors to their codes', async () => {
    const v = await firstError('validation');
    expect(v.extensions).toMatchObject({ code: 'BAD_USER_INPUT', validationErrors: ['commandId must be a UUID'] });
    expect((await firstError('unauthenticated')).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await firstError('forbidden')).extensions?.code).toBe('FORBIDDEN');
    expect((await firstError('notFound')).extensions?.code).toBe('NOT_FOUND');
    expect(logged).toEqual([]);
  });

  it('masks anything else as INTERNAL with the correlation id, and logs the detail', async () => {
    const e = await firstError('internal');
    expect(e.message).toBe('Internal server error');
    expect(e.extensions).toEqual({ code: 'INTERNAL', correlationId: 'corr-123' });
    expect(JSON.stringify(e)).not.toContain('SQLITE_BUSY');
    expect(logged).toHaveLength(1);
    expect((await firstError('unknownCoded')).extensions?.code).toBe('INTERNAL');
    expect(logged[0]).toMatchObject({ correlationId: 'corr-123', path: ['internal'] });
    expect(String((logged[0].error as Error).message)).toContain('SQLITE_BUSY');
  });

  it('keeps request-level validation errors as they are, without stack traces', async () => {
    const res = await run('{ nope }');
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', correlationId: 'corr-123' });
    expect(logged).toEqual([]);
  });
});
