import { GraphQLError } from 'graphql';

/**
 * Authorization failures as GraphQL errors with the stable codes of DESIGN.md "GraphQL API".
 * They extend GraphQLError so the error formatter passes their `extensions.code` through, and
 * carry `code` as a property too for non-GraphQL callers (CLI, Kafka consumers).
 */
abstract class AuthError extends GraphQLError {
  abstract readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
}

/** No token, a malformed, expired or badly signed one, or one naming an unknown org unit. */
export class UnauthenticatedError extends AuthError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message = 'Authentication required') {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
    this.name = 'UnauthenticatedError';
  }
}

/** Authenticated, and the object is visible, but the caller's roles do not allow the action. */
export class ForbiddenError extends AuthError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message = 'Not allowed') {
    super(message, { extensions: { code: 'FORBIDDEN' } });
    this.name = 'ForbiddenError';
  }
}

/**
 * The target lies outside the caller's scope. It answers exactly like a missing object (same
 * code, same message shape), so ids cannot be probed.
 */
export class OutOfScopeError extends AuthError {
  readonly code = 'NOT_FOUND' as const;
  constructor(what: string, id?: string) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
    this.name = 'NotFoundError';
  }
}

export const isAuthError = (e: unknown): e is UnauthenticatedError | ForbiddenError | OutOfScopeError =>
  e instanceof AuthError;
