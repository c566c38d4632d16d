import { GraphQLError } from 'graphql';

/**
 * The stable codes a client sees in `errors[].extensions.code` (DESIGN.md "GraphQL API").
 * Apollo's own request-level codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST…)
 * pass through unchanged; everything not listed here is masked as INTERNAL.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  DOMAIN_RULE: 'DOMAIN_RULE',
  /** HTTP 429: the caller's query-cost budget (per user, per IP) is spent; retry after `retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** HTTP 503: the request ran past the server's time limit and was stopped. */
  TIMEOUT: 'TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Thrown by a resolver or query handler when an object does not exist *or* lies outside the
 * caller's org scope: both answer the same, so ids cannot be probed.
 */
export class NotFoundError extends GraphQLError {
  constructor(what: string, id?: string) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`, {
      extensions: { code: ErrorCode.NOT_FOUND },
    });
    this.name = 'NotFoundError';
  }
}

/** Input the schema accepts but the server refuses (a bad cursor, a malformed id). */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(details ? { details } : {}) } });
    this.name = 'BadUserInputError';
  }
}
