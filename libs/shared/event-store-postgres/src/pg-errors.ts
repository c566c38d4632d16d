import { EventStoreUnavailableError, InvalidAppendError, isEventStoreError } from '@gongzhi/event-store';

interface PgLikeError {
  code?: string;
  message?: string;
  constraint?: string;
}

const asPg = (e: unknown): PgLikeError => (typeof e === 'object' && e !== null ? (e as PgLikeError) : {});

const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Client was closed and is not queryable',
  'Connection refused',
];

/**
 * The database could not be reached or ended the session: connection failures (class 08), admin
 * or crash shutdown (57P01-57P03), too many connections and other resource shortages (class 53),
 * I/O errors (58030), a cancelled statement (57014), and the node-side network errors. Retrying
 * the same call may succeed; an append interrupted at COMMIT may or may not have committed, and a
 * resend of the same batch then returns the original result (ES-3), so retrying is always safe.
 */
export const isUnavailable = (e: unknown): boolean => {
  const { code, message } = asPg(e);
  if (typeof code === 'string') {
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '57014' || code === '58030') return true;
    if (NODE_NETWORK_CODES.has(code)) return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
};

/** Conflicts PostgreSQL resolves by aborting one side; the whole transaction can simply be rerun. */
export const isTransientConflict = (e: unknown): boolean => {
  const { code } = asPg(e);
  return code === '40001' || code === '40P01';
};

export const isUniqueViolation = (e: unknown): boolean => asPg(e).code === '23505';

/** Bad input the database rejected (class 22 data exceptions, e.g. \u0000 in jsonb; class 54 limits). */
export const isDataError = (e: unknown): boolean => {
  const { code } = asPg(e);
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
};

/** Maps a native error to the port's errors; anything unrecognised is passed on unchanged. */
export const translateError = (e: unknown, what: string): unknown => {
  if (isEventStoreError(e)) return e;
  if (isUnavailable(e) || isTransientConflict(e)) {
    return new EventStoreUnavailableError(`${what}: PostgreSQL unavailable (${asPg(e).message ?? String(e)})`, { cause: e });
  }
  if (isDataError(e)) return new InvalidAppendError(`${what}: rejected by PostgreSQL (${asPg(e).message ?? String(e)})`);
  return e;
};
