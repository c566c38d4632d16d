import {
  ConcurrencyError,
  EventStoreUnavailableError,
  InvalidAppendError,
  StreamNotFoundError,
  isEventStoreError,
  type ExpectedRevision,
  type EventToAppend,
  type GlobalPosition,
  type JsonObject,
  type JsonValue,
  type RecordedEvent,
  type StreamMetadata,
  type StreamRevision,
} from '@gongzhi/event-store';
import {
  NO_STREAM,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';

/**
 * Pure translations between the EventStore port and the KurrentDB client's shapes. They hold
 * every decision about revisions, positions, errors and metadata, so they are unit tested
 * without a server.
 */

/** Event metadata keys the adapter owns; the caller's metadata may not use the prefix. */
export const RESERVED_METADATA_PREFIX = '$gongzhi.';
export const HASH_KEY = '$gongzhi.hash';
export const PREV_HASH_KEY = '$gongzhi.prevHash';
/**
 * A per-call nonce on the batch's first event. KurrentDB answers a resend of an already written
 * batch (same ids, exact expected revision) with plain success; reading the nonce back is how
 * the adapter tells its own write from such a server-side idempotent replay.
 */
export const WRITE_ID_KEY = '$gongzhi.writeId';

/**
 * The port's metadata lives under this key of the KurrentDB stream metadata, beside the
 * server's own `$`-keys. Passing the caller's keys through unchanged would let a key such as
 * `maxCount` or `truncateBefore` reach the server as retention settings and scavenge history.
 */
export const STREAM_METADATA_KEY = 'gongzhi';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const revisionFromEsdb = (revision: bigint): StreamRevision => {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Stream revision ${revision} does not fit the port's revision (a safe integer)`);
  }
  return Number(revision);
};

export const revisionToEsdb = (revision: StreamRevision): bigint => BigInt(revision);

/**
 * The port has one bigint position; KurrentDB has a (commit, prepare) pair. Every event this
 * adapter writes goes through a gRPC append, which the server commits implicitly: each event's
 * prepare record is its own commit, so commit == prepare and the commit position alone orders
 * the log strictly (KurrentDB AllReader: `new CommitEventRecord(eventRecord, eventRecord.LogPosition)`).
 * Only the legacy TCP API's explicit transactions give several events one commit position;
 * Gongzhi never writes those, and `readAll` keeps its output strictly increasing regardless.
 */
export const positionFromEsdb = (position: Position | undefined, commitPosition?: bigint): GlobalPosition => {
  const commit = position?.commit ?? commitPosition;
  if (commit === undefined) {
    throw new Error('The server reported no log position for an event (EventStoreDB before 22.6 does not); the esdb adapter needs 22.6 or later');
  }
  return commit;
};

/** An event position as a read/subscribe start point: commit == prepare for our events (see above). */
export const positionToEsdb = (position: GlobalPosition): Position => ({ commit: position, prepare: position });

/** Lexicographic order of KurrentDB positions, as the server orders `$all`. */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

/**
 * The expected state the adapter sends with an append: always the stream state it has just
 * read, never `any`. Hashes chain to the event read as the last one, so the write must land
 * exactly after it; and KurrentDB only guarantees idempotency for an exact expected revision.
 * The caller's own expectation is checked against the same read, before (see the store).
 */
export const appendStateFor = (current: StreamRevision | undefined): AppendStreamState =>
  current === undefined ? NO_STREAM : revisionToEsdb(current);

export const expectedFromEsdb = (state: AppendStreamState): ExpectedRevision =>
  typeof state === 'bigint' ? revisionFromEsdb(state) : state;

export const actualFromEsdb = (state: CurrentStreamState): StreamRevision | 'no_stream' =>
  typeof state === 'bigint' ? (state < 0n ? 'no_stream' : revisionFromEsdb(state)) : 'no_stream';

const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);
/** The server's size limits (1 MiB per append by default): the same batch will never pass. */
const TOO_LARGE_TYPES = new Set(['maximum-append-size-exceeded', 'append-record-size-exceeded', 'transaction-max-size-exceeded']);
const NOT_FOUND_TYPES = new Set(['stream-not-found', 'stream-deleted', 'stream-tombstoned']);
/** gRPC status codes of a call that may succeed when retried: DEADLINE_EXCEEDED, UNAVAILABLE. */
const UNAVAILABLE_GRPC_CODES = new Set([4, 14]);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

export interface ErrorContext {
  /** The port's stream id (without the adapter's stream prefix). */
  streamId?: string;
  /** What the caller expected; reported in ConcurrencyError instead of the state the adapter sent. */
  expected?: ExpectedRevision;
}

/**
 * Turns a client error into the port's error. Port errors pass through; errors the port has no
 * name for (access denied, invalid argument) are returned unchanged for the caller to surface.
 * A deleted or tombstoned stream reads as not found: the port has no deletion.
 */
export const translateEsdbError = (error: unknown, context: ErrorContext = {}): unknown => {
  if (isEventStoreError(error) || typeof error !== 'object' || error === null) return error;
  const e = error as {
    type?: unknown;
    name?: unknown;
    code?: unknown;
    message?: unknown;
    streamName?: unknown;
    expectedState?: AppendStreamState;
    actualState?: CurrentStreamState;
  };
  const message = typeof e.message === 'string' && e.message.length > 0 ? e.message : String(e.type ?? e.name ?? 'error');
  const streamId = context.streamId ?? (typeof e.streamName === 'string' ? e.streamName : 'unknown stream');

  if (e.type === 'wrong-expected-version') {
    const expected = context.expected ?? (e.expectedState === undefined ? 'any' : expectedFromEsdb(e.expectedState));
    return new ConcurrencyError(streamId, expected, e.actualState === undefined ? 'no_stream' : actualFromEsdb(e.actualState));
  }
  if (typeof e.type === 'string' && NOT_FOUND_TYPES.has(e.type)) return new StreamNotFoundError(streamId);
  if (typeof e.type === 'string' && TOO_LARGE_TYPES.has(e.type)) {
    return new InvalidAppendError(`Stream ${streamId}: the batch exceeds the server's append size limit (${message})`);
  }
  if (
    (typeof e.type === 'string' && UNAVAILABLE_TYPES.has(e.type)) ||
    (e.type === undefined && typeof e.code === 'number' && UNAVAILABLE_GRPC_CODES.has(e.code)) ||
    (typeof e.code === 'string' && UNAVAILABLE_SOCKET_CODES.has(e.code))
  ) {
    return new EventStoreUnavailableError(`KurrentDB unavailable: ${message}`, { cause: error });
  }
  return error;
};

export const isWrongExpectedVersion = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'wrong-expected-version';

export const isStreamMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && NOT_FOUND_TYPES.has(String((error as { type?: unknown }).type));

/** Checks what KurrentDB needs beyond the shared rules (`validateAppend` runs first). */
export const assertEsdbAppendable = (streamId: string, events: EventToAppend[]): void => {
  for (const e of events) {
    if (!UUID.test(e.id)) throw new InvalidAppendError(`Stream ${streamId}: event id ${JSON.stringify(e.id)} is not a UUID (KurrentDB event ids are UUIDs)`);
    if (e.metadata !== undefined && !isPlainObject(e.metadata)) {
      throw new InvalidAppendError(`Stream ${streamId}: metadata of event ${e.id} is not an object`);
    }
    const reserved = Object.keys(e.metadata ?? {}).find((k) => k.startsWith(RESERVED_METADATA_PREFIX));
    if (reserved) throw new InvalidAppendError(`Stream ${streamId}: metadata key ${reserved} of event ${e.id} is reserved by the store`);
  }
};

/**
 * KurrentDB formats event ids in lower case on read, and the id is part of the hash, so the
 * adapter stores, hashes and matches ids in lower case from the start.
 */
export const normaliseEventId = (id: string): string => id.toLowerCase();

export const withChainMetadata = (
  metadata: JsonObject,
  chain: { hash: string; prevHash: string | null; writeId?: string },
): JsonObject => ({
  ...metadata,
  [HASH_KEY]: chain.hash,
  [PREV_HASH_KEY]: chain.prevHash,
  ...(chain.writeId === undefined ? {} : { [WRITE_ID_KEY]: chain.writeId }),
});

export interface SplitMetadata {
  metadata: JsonObject;
  /** '' for an event written without a hash (not by this adapter): verifyStream flags it. */
  hash: string;
  prevHash: string | null;
  writeId?: string;
}

/** Separates the adapter's reserved keys from the caller's metadata, as stored. */
export const splitMetadata = (raw: unknown): SplitMetadata => {
  if (!isPlainObject(raw)) return { metadata: {}, hash: '', prevHash: null };
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(raw as Record<string, JsonValue>)) {
    if (!key.startsWith(RESERVED_METADATA_PREFIX)) metadata[key] = value;
  }
  const r = raw as Record<string, unknown>;
  const writeId = r[WRITE_ID_KEY];
  return {
    metadata,
    hash: typeof r[HASH_KEY] === 'string' ? (r[HASH_KEY] as string) : '',
    prevHash: typeof r[PREV_HASH_KEY] === 'string' ? (r[PREV_HASH_KEY] as string) : null,
    ...(typeof writeId === 'string' ? { writeId } : {}),
  };
};

export interface MappedEvent {
  event: RecordedEvent;
  writeId?: string;
}

const isSystemName = (name: string): boolean => name.startsWith('$');

/**
 * A resolved client event as the port's RecordedEvent, or undefined when the port must not see
 * it: system streams and system event types (`$`-prefixed: metadata, stats, links, epochs), and
 * streams outside the adapter's prefix. The prefix is stripped from the stream id.
 */
export const mapResolvedEvent = (
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  streamPrefix = '',
): MappedEvent | undefined => {
  const e = resolved.event;
  if (!e || isSystemName(e.streamId) || isSystemName(e.type) || !e.streamId.startsWith(streamPrefix)) return undefined;
  const { metadata, hash, prevHash, writeId } = splitMetadata(e.metadata);
  // A binary payload can only come from another writer; it surfaces as base64 text rather than
  // being dropped, so revisions stay contiguous (and its missing hash shows in verifyStream).
  const data = e.isJson ? (e.data as JsonValue) : Buffer.from(e.data as Uint8Array).toString('base64');
  return {
    event: {
      id: normaliseEventId(e.id),
      streamId: e.streamId.slice(streamPrefix.length),
      type: e.type,
      revision: revisionFromEsdb(e.revision),
      position: positionFromEsdb(e.position, resolved.commitPosition),
      data,
      metadata,
      recordedAt: e.created,
      hash,
      prevHash,
    },
    ...(writeId === undefined ? {} : { writeId }),
  };
};

/** The port's metadata from the raw data of a stream's latest `$metadata` event. */
export const portStreamMetadataFrom = (raw: unknown): StreamMetadata | undefined => {
  const ours = isPlainObject(raw) ? raw[STREAM_METADATA_KEY] : undefined;
  return isPlainObject(ours) ? (ours as StreamMetadata) : undefined;
};

/**
 * The next raw `$metadata` event data: the previous one with only the port's part replaced, so
 * ACLs and retention that operators set on the stream survive a `setStreamMetadata`.
 */
export const esdbStreamMetadataWith = (previousRaw: unknown, metadata: StreamMetadata): Record<string, unknown> => {
  const previous = isPlainObject(previousRaw) ? previousRaw : {};
  return { ...previous, [STREAM_METADATA_KEY]: metadata };
};
