import { ConcurrencyError, DuplicateEventError, InvalidAppendError } from './errors';
import type { AppendResult, EventToAppend, ExpectedRevision, GlobalPosition, StreamRevision } from './types';

/** Shared rules every adapter applies, so the contract suite holds them to one behaviour. */

export const MAX_EVENTS_PER_APPEND = 10_000;

export const validateAppend = (streamId: string, events: EventToAppend[], expected: ExpectedRevision): void => {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 512 || streamId.startsWith('$')) {
    throw new InvalidAppendError(`Invalid stream id: ${JSON.stringify(streamId)}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`Stream ${streamId}: nothing to append`);
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError(`Stream ${streamId}: ${events.length} events exceed ${MAX_EVENTS_PER_APPEND} per append`);
  }
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < -1)) {
    throw new InvalidAppendError(`Stream ${streamId}: invalid expected revision ${expected}`);
  }
  const seen = new Set<string>();
  for (const e of events) {
    if (!e || typeof e.id !== 'string' || e.id.length === 0) throw new InvalidAppendError(`Stream ${streamId}: event without id`);
    if (typeof e.type !== 'string' || e.type.length === 0) throw new InvalidAppendError(`Stream ${streamId}: event ${e.id} without type`);
    if (seen.has(e.id)) throw new InvalidAppendError(`Stream ${streamId}: event id ${e.id} twice in one batch`);
    seen.add(e.id);
  }
};

/** Throws ConcurrencyError unless the stream's current last revision satisfies `expected`. */
export const checkExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  current: StreamRevision | undefined,
): void => {
  const actual = current === undefined ? 'no_stream' : current;
  switch (expected) {
    case 'any':
      return;
    case 'no_stream':
      if (current !== undefined) throw new ConcurrencyError(streamId, expected, actual);
      return;
    case 'stream_exists':
      if (current === undefined) throw new ConcurrencyError(streamId, expected, actual);
      return;
    default:
      // -1 is accepted as a numeric spelling of 'no_stream'.
      if ((expected === -1 && current !== undefined) || (expected !== -1 && current !== expected)) {
        throw new ConcurrencyError(streamId, expected, actual);
      }
  }
};

export interface StoredIdRow {
  id: string;
  streamId: string;
  revision: StreamRevision;
  position: GlobalPosition;
}

/**
 * Decides what to do with a batch given the rows that already carry its event ids:
 * - none stored → undefined (append normally);
 * - every id stored, in this stream, at consecutive revisions in batch order → the original
 *   result, and nothing is written (lost-ack resend, ES-3; any expected revision, ES-4);
 * - anything else (overlap with new events, ES-5; ids used on another stream) →
 *   DuplicateEventError, and nothing of the batch is written.
 * Our rule is stricter than ESDB's: an event id is unique across the whole store.
 */
export const classifyExistingIds = (
  streamId: string,
  events: EventToAppend[],
  stored: StoredIdRow[],
): AppendResult | undefined => {
  if (stored.length === 0) return undefined;
  const byId = new Map(stored.map((r) => [r.id, r]));
  const rows = events.map((e) => byId.get(e.id));
  const isReplay =
    rows.every((r): r is StoredIdRow => r !== undefined && r.streamId === streamId) &&
    rows.every((r, i) => i === 0 || r!.revision === rows[i - 1]!.revision + 1);
  if (!isReplay) throw new DuplicateEventError(streamId, stored.map((r) => r.id));
  const full = rows as StoredIdRow[];
  return {
    streamId,
    nextExpectedRevision: full[full.length - 1].revision,
    positions: full.map((r) => r.position),
    idempotentReplay: true,
  };
};
