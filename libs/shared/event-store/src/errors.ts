import type { ExpectedRevision, StreamRevision } from './types';

/**
 * Infrastructure errors owned by the port. Every adapter translates its native errors (a
 * PostgreSQL unique violation, a SQLite constraint error, ESDB WrongExpectedVersion) into these.
 * Guards check `code`, not `instanceof`, so they work across module copies.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  /** Whether retrying the same call may succeed (a lost connection) or not (a conflict). */
  abstract readonly retriable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConcurrencyError extends EventStoreError {
  readonly code = 'EVENT_STORE.CONCURRENCY';
  readonly retriable = false;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'EVENT_STORE.STREAM_NOT_FOUND';
  readonly retriable = false;
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`);
  }
}

/**
 * Some event ids of the batch are already stored, but the batch is not an exact replay of a
 * committed one (ES-4 on another stream, ES-5 overlap). Nothing of the batch was written.
 */
export class DuplicateEventError extends EventStoreError {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT';
  readonly retriable = false;
  constructor(readonly streamId: string, readonly eventIds: string[]) {
    super(`Stream ${streamId}: event id(s) already stored: ${eventIds.join(', ')}`);
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
  }
}

/** The store could not be reached or the operation was interrupted; safe to retry. */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const hasCode = (e: unknown, code: string): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;

export const isEventStoreError = (e: unknown): e is EventStoreError =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
  String((e as { code: string }).code).startsWith('EVENT_STORE.');
export const isConcurrencyError = (e: unknown): e is ConcurrencyError => hasCode(e, 'EVENT_STORE.CONCURRENCY');
export const isStreamNotFoundError = (e: unknown): e is StreamNotFoundError => hasCode(e, 'EVENT_STORE.STREAM_NOT_FOUND');
export const isDuplicateEventError = (e: unknown): e is DuplicateEventError => hasCode(e, 'EVENT_STORE.DUPLICATE_EVENT');
export const isInvalidAppendError = (e: unknown): e is InvalidAppendError => hasCode(e, 'EVENT_STORE.INVALID_APPEND');
export const isEventStoreUnavailableError = (e: unknown): e is EventStoreUnavailableError =>
  hasCode(e, 'EVENT_STORE.UNAVAILABLE');
