import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors';
import { isDomainError } from '@gongzhi/kernel';

/** Request-level codes Apollo and graphql-js assign themselves; their messages are safe to show. */
const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL));

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

interface Classified {
  message: string;
  extensions: Record<string, unknown>;
}

const codeOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);
const nameOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined);

/**
 * The port's ConcurrencyError and the command path's CommandConflictError (raised after the
 * bounded re-read/re-decide retries). Matched by code/name, not instanceof, so copies of the
 * modules and the adapters' own subclasses all count.
 */
const isConflict = (e: unknown): boolean =>
  codeOf(e) === 'EVENT_STORE.CONCURRENCY' ||
  nameOf(e) === 'CommandConflictError' ||
  nameOf(e) === 'ConcurrencyError' ||
  (typeof codeOf(e) === 'string' && /(^|\.)CONFLICT$/.test(codeOf(e) as string));

const revisionsOf = (e: unknown): { expected?: unknown; actual?: unknown } => {
  for (let cur: any = e, depth = 0; cur && depth < 4; cur = cur.cause, depth++) {
    if (cur.expected !== undefined || cur.actual !== undefined) {
      return { expected: cur.expectedRevision ?? cur.expected, actual: cur.actualRevision ?? cur.actual };
    }
    if (cur.expectedRevision !== undefined || cur.actualRevision !== undefined) {
      return { expected: cur.expectedRevision, actual: cur.actualRevision };
    }
  }
  return {};
};

const jsonSafe = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/** A NestJS HttpException (ValidationPipe's BadRequestException, guards' Unauthorized/Forbidden). */
const httpStatusOf = (e: unknown): number | undefined => {
  if (typeof e !== 'object' || e === null) return undefined;
  const x = e as { getStatus?: () => unknown; getResponse?: () => unknown };
  if (typeof x.getStatus !== 'function' || typeof x.getResponse !== 'function') return undefined;
  const s = x.getStatus();
  return typeof s === 'number' ? s : undefined;
};

const validationMessages = (e: unknown): string[] => {
  const response = (e as { getResponse(): unknown }).getResponse();
  const m = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (Array.isArray(m)) return m.map(String);
  if (typeof m === 'string') return [m];
  return [];
};

/**
 * Maps a raw error (what a resolver threw, or what graphql-js/Apollo produced) to what the
 * client may see. Returns undefined for anything that must be masked as INTERNAL.
 */
export const classifyError = (raw: unknown): Classified | undefined => {
  if (isDomainError(raw)) {
    const details = (raw as { details?: unknown }).details;
    return {
      message: (raw as Error).message,
      extensions: {
        code: ErrorCode.DOMAIN_RULE,
        ruleCode: (raw as { code: string }).code,
        ...(details && typeof details === 'object' ? { details } : {}),
      },
    };
  }
  if (isConflict(raw)) {
    const { expected, actual } = revisionsOf(raw);
    return {
      message: 'The aggregate was changed by another command; re-read it and retry',
      extensions: { code: ErrorCode.CONFLICT, expected: jsonSafe(expected), actual: jsonSafe(actual) },
    };
  }
  if (codeOf(raw) === 'EVENT_STORE.DUPLICATE_EVENT') {
    return {
      message: 'This commandId was already used for a different command',
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  if (codeOf(raw) === 'EVENT_STORE.STREAM_NOT_FOUND') {
    return { message: 'Not found', extensions: { code: ErrorCode.NOT_FOUND } };
  }
  const status = httpStatusOf(raw);
  if (status !== undefined) {
    switch (status) {
      case 400:
      case 422: {
        const messages = validationMessages(raw);
        return {
          message: messages.length ? `Invalid input: ${messages.join('; ')}` : 'Invalid input',
          extensions: { code: ErrorCode.BAD_USER_INPUT, ...(messages.length ? { validationErrors: messages } : {}) },
        };
      }
      case 401:
        return { message: (raw as Error).message || 'Authentication required', extensions: { code: ErrorCode.UNAUTHENTICATED } };
      case 403:
        return { message: (raw as Error).message || 'Not allowed', extensions: { code: ErrorCode.FORBIDDEN } };
      case 404:
        return { message: (raw as Error).message || 'Not found', extensions: { code: ErrorCode.NOT_FOUND } };
      case 409:
        return { message: (raw as Error).message || 'Conflict', extensions: { code: ErrorCode.CONFLICT } };
      default:
        return undefined;
    }
  }
  if (raw instanceof GraphQLError) {
    const code = raw.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      // `http` (status, headers) is for Apollo's response head, not for the client's JSON.
      const { stacktrace: _s, exception: _e, http: _h, ...extensions } = raw.extensions as Record<string, unknown>;
      return { message: raw.message, extensions: { ...extensions, code } };
    }
    // Apollo's own request-level errors (parse, validation incl. the query limits, variable
    // coercion): their messages describe the document the client sent, nothing internal.
    if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code)) {
      return { message: raw.message, extensions: { code } };
    }
  }
  return undefined;
};

/** True when the client will see only "Internal server error" for this error. */
export const isMaskedError = (error: unknown): boolean => classifyError(unwrapResolverError(error)) === undefined;

/**
 * Apollo `formatError`: the one place where errors become client responses (STYLE.md "Errors").
 * Stack traces and the text of unexpected errors never leave the server; the correlation id
 * is stamped afterwards by `errorHandlingPlugin`, which also logs the detail.
 * Set `autoTransformHttpErrors: false` on the Nest driver so this sees the raw HttpExceptions.
 */
export const formatGraphqlError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const raw = unwrapResolverError(error);
  const c = classifyError(raw);
  const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (c) return { message: c.message, ...base, extensions: c.extensions };
  return { message: INTERNAL_ERROR_MESSAGE, ...base, extensions: { code: ErrorCode.INTERNAL } };
};

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Finds the request's correlation id in a GraphQL context ({ req } from Nest, or set directly). */
export const correlationIdFromContext = (context: unknown): string | undefined => {
  const ctx = context as { correlationId?: unknown; req?: { correlationId?: unknown; id?: unknown; headers?: Record<string, unknown> } } | undefined;
  const candidates = [ctx?.correlationId, ctx?.req?.correlationId, ctx?.req?.id, ctx?.req?.headers?.[CORRELATION_ID_HEADER]];
  for (const c of candidates) if (typeof c === 'string' && c.length > 0) return c;
  return undefined;
};

export interface ErrorLogEntry {
  correlationId?: string;
  operationName?: string | null;
  path?: ReadonlyArray<string | number>;
  error: unknown;
}

export interface ErrorHandlingPluginOptions {
  /** Receives every error that is masked as INTERNAL, with its detail (never sent to the client). */
  logInternalError: (entry: ErrorLogEntry) => void;
}

/**
 * Logs masked errors with the correlation id (didEncounterErrors still has the raw error and the
 * context) and stamps the same id on every error of the response, so a user can quote it.
 */
export const errorHandlingPlugin = (options: ErrorHandlingPluginOptions): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async didEncounterErrors(rc) {
        const correlationId = correlationIdFromContext(rc.contextValue);
        for (const error of rc.errors) {
          if (isMaskedError(error)) {
            options.logInternalError({
              correlationId,
              operationName: rc.operationName,
              path: error.path,
              error: unwrapResolverError(error),
            });
          }
        }
      },
      async willSendResponse(rc) {
        const body = rc.response.body;
        if (body.kind !== 'single' || !body.singleResult.errors?.length) return;
        const correlationId = correlationIdFromContext(rc.contextValue);
        if (!correlationId) return;
        body.singleResult.errors = body.singleResult.errors.map((e) => ({
          ...e,
          extensions: { ...e.extensions, correlationId },
        }));
      },
    };
  },
});
