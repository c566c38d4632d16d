import { createHash } from 'node:crypto';
import type { JsonValue, RecordedEvent, StreamRevision, VerifyResult } from './types';

/**
 * Deterministic JSON: object keys sorted, no whitespace. Same value → same bytes, on every store.
 * The bytes are part of every stored hash, so they must never change; this is written as loops
 * over one string because it runs for every appended and verified event (a map/join version
 * allocated an array per object and showed as the largest cost of an append in tools/bench).
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole stays empty, as Array.prototype.join leaves it.
      if (i in value) out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
};

export interface HashedContent {
  id: string;
  streamId: string;
  revision: StreamRevision;
  type: string;
  data: JsonValue;
  metadata: JsonValue;
}

/**
 * hash = sha256(prevHash || canonical event). The global position and record time are left out:
 * they are assigned by the store, and the chain must be verifiable from the event alone.
 */
export const computeEventHash = (event: HashedContent, prevHash: string | null): string =>
  createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(
      canonicalJson({
        id: event.id,
        streamId: event.streamId,
        revision: event.revision,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      }),
    )
    .digest('hex');

/** Walks a stream's events in revision order and reports the first one that fails the chain. */
export const verifyChain = (streamId: string, events: RecordedEvent[]): VerifyResult => {
  let prev: string | null = null;
  for (const e of events) {
    if (e.prevHash !== prev) {
      return { streamId, valid: false, eventsChecked: e.revision + 1, firstInvalid: { revision: e.revision, eventId: e.id, reason: 'broken_link' } };
    }
    if (computeEventHash(e, prev) !== e.hash) {
      return { streamId, valid: false, eventsChecked: e.revision + 1, firstInvalid: { revision: e.revision, eventId: e.id, reason: 'hash_mismatch' } };
    }
    prev = e.hash;
  }
  return { streamId, valid: true, eventsChecked: events.length };
};
