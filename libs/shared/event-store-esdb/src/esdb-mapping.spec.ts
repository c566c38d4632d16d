import {
  computeEventHash,
  isConcurrencyError,
  isEventStoreUnavailableError,
  isInvalidAppendError,
  isStreamNotFoundError,
  verifyChain,
  ConcurrencyError,
} from '@gongzhi/event-store';
import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  HASH_KEY,
  PREV_HASH_KEY,
  STREAM_METADATA_KEY,
  WRITE_ID_KEY,
  actualFromEsdb,
  appendStateFor,
  assertEsdbAppendable,
  comparePositions,
  esdbStreamMetadataWith,
  expectedFromEsdb,
  mapResolvedEvent,
  portStreamMetadataFrom,
  positionFromEsdb,
  positionToEsdb,
  revisionFromEsdb,
  revisionToEsdb,
  splitMetadata,
  translateEsdbError,
  withChainMetadata,
} from './esdb-mapping';

const ID = '6f1c2a4e-8a55-4a53-9d27-1c4b0e0e1a11';

/** A resolved event shaped as the client yields it from readAll / subscribeToAll. */
const mapped = (r: AllStreamResolvedEvent, prefix?: string) => {
  const m = mapResolvedEvent(r, prefix);
  if (!m) throw new Error('expected the event to map');
  return m.event;
};

const resolved = (over: Partial<NonNullable<AllStreamResolvedEvent['event']>> = {}): AllStreamResolvedEvent =>
  ({
    event: {
      streamId: 'union.labor-dispute-7f3c',
      id: ID,
      revision: 3n,
      type: 'DisputeFiled',
      isJson: true,
      created: new Date('2025-03-01T08:00:00Z'),
      data: { disputeId: '7f3c' },
      metadata: { commandId: 'c-1', [HASH_KEY]: 'h3', [PREV_HASH_KEY]: 'h2' },
      position: { commit: 4242n, prepare: 4242n },
      ...over,
    },
    commitPosition: (over.position ?? { commit: 4242n }).commit,
  }) as AllStreamResolvedEvent;

describe('revisions', () => {
  it('convert between the client bigint and the port number both ways', () => {
    expect(revisionFromEsdb(0n)).toBe(0);
    expect(revisionFromEsdb(41n)).toBe(41);
    expect(revisionToEsdb(41)).toBe(41n);
    expect(revisionFromEsdb(revisionToEsdb(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuse a revision the port cannot represent exactly, rather than round it', () => {
    expect(() => revisionFromEsdb(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
    expect(() => revisionFromEsdb(-1n)).toThrow(RangeError);
  });
});

describe('positions', () => {
  it('the port position is the commit position', () => {
    expect(positionFromEsdb({ commit: 9_000_000_000_123n, prepare: 9_000_000_000_123n })).toBe(9_000_000_000_123n);
    expect(positionFromEsdb({ commit: 500n, prepare: 480n })).toBe(500n);
  });

  it('falls back to the resolved event commit position, and fails loudly when the server gave none', () => {
    expect(positionFromEsdb(undefined, 77n)).toBe(77n);
    expect(() => positionFromEsdb(undefined, undefined)).toThrow(/22\.6/);
  });

  it('a port position becomes a start point with prepare == commit', () => {
    expect(positionToEsdb(123n)).toEqual({ commit: 123n, prepare: 123n });
  });

  it('orders client positions by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 2n }, { commit: 2n, prepare: 2n })).toBe(0);
  });
});

describe('expected revision', () => {
  it('the adapter appends with the state it read: no_stream, or that exact revision', () => {
    expect(appendStateFor(undefined)).toBe('no_stream');
    expect(appendStateFor(0)).toBe(0n);
    expect(appendStateFor(17)).toBe(17n);
  });

  it('maps the client expected and current states back to the port', () => {
    expect(expectedFromEsdb(5n)).toBe(5);
    expect(expectedFromEsdb('no_stream')).toBe('no_stream');
    expect(expectedFromEsdb('stream_exists')).toBe('stream_exists');
    expect(expectedFromEsdb('any')).toBe('any');
    expect(actualFromEsdb(2n)).toBe(2);
    expect(actualFromEsdb('no_stream')).toBe('no_stream');
    // KurrentDB reports a deleted (-5) or tombstoned (-6) stream with a negative revision.
    expect(actualFromEsdb(-5n)).toBe('no_stream');
  });
});

describe('translateEsdbError', () => {
  it('WrongExpectedVersionError becomes ConcurrencyError with the caller expectation and the actual revision', () => {
    const native = new WrongExpectedVersionError(undefined, { streamName: 'p:s-1', expected: 1n, current: 4n });
    const error = translateEsdbError(native, { streamId: 's-1', expected: 'any' });
    expect(isConcurrencyError(error)).toBe(true);
    expect(error).toMatchObject({ streamId: 's-1', expected: 'any', actual: 4, retriable: false });
  });

  it('without a caller context it reports what the server was sent, and no_stream as actual', () => {
    const native = new WrongExpectedVersionError(undefined, { streamName: 's-2', expected: 'stream_exists', current: 'no_stream' });
    expect(translateEsdbError(native)).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY', streamId: 's-2', expected: 'stream_exists', actual: 'no_stream' });
  });

  it('a missing, deleted or tombstoned stream is StreamNotFoundError for the port stream id', () => {
    for (const native of [new EsdbStreamNotFoundError(undefined, 'p:s-3'), StreamDeletedError.fromStreamName('p:s-3'), { type: 'stream-tombstoned' }]) {
      const error = translateEsdbError(native, { streamId: 's-3' });
      expect(isStreamNotFoundError(error)).toBe(true);
      expect(error).toMatchObject({ streamId: 's-3' });
    }
  });

  it('unavailable, deadline and not-leader errors become the retriable EventStoreUnavailableError, keeping the cause', () => {
    const natives = [
      new UnavailableError(undefined, 'no connection'),
      new DeadlineExceededError(),
      new NotLeaderError({ code: 5, details: '', metadata: { getMap: () => ({ 'leader-endpoint-host': 'n2', 'leader-endpoint-port': '2113' }) } } as never),
      Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2113'), { code: 'ECONNREFUSED' }),
    ];
    for (const native of natives) {
      const error = translateEsdbError(native) as Error;
      expect(isEventStoreUnavailableError(error)).toBe(true);
      expect(error).toMatchObject({ retriable: true });
      expect(error.cause).toBe(native);
    }
  });

  it("a batch over the server's size limit is an InvalidAppendError: resending it cannot succeed", () => {
    const error = translateEsdbError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), { streamId: 's-4' });
    expect(isInvalidAppendError(error)).toBe(true);
    expect(error).toMatchObject({ retriable: false });
  });

  it('leaves errors the port has no name for, and port errors, as they are', () => {
    const denied = new AccessDeniedError();
    expect(translateEsdbError(denied)).toBe(denied);
    const bug = new TypeError('x is undefined');
    expect(translateEsdbError(bug)).toBe(bug);
    const portError = new ConcurrencyError('s', 1, 2);
    expect(translateEsdbError(portError, { streamId: 'other' })).toBe(portError);
  });
});

describe('event metadata and the hash chain', () => {
  it('stores hash, prevHash and the write nonce under reserved keys and strips them on read', () => {
    const stored = withChainMetadata({ commandId: 'c-1', actor: { userId: 'u' } }, { hash: 'abc', prevHash: null, writeId: 'w-1' });
    expect(stored).toEqual({ commandId: 'c-1', actor: { userId: 'u' }, [HASH_KEY]: 'abc', [PREV_HASH_KEY]: null, [WRITE_ID_KEY]: 'w-1' });
    expect(splitMetadata(JSON.parse(JSON.stringify(stored)))).toEqual({
      metadata: { commandId: 'c-1', actor: { userId: 'u' } },
      hash: 'abc',
      prevHash: null,
      writeId: 'w-1',
    });
  });

  it('an event written by someone else (no metadata, binary metadata) reads with an empty hash, so verification flags it', () => {
    expect(splitMetadata(undefined)).toEqual({ metadata: {}, hash: '', prevHash: null });
    expect(splitMetadata(new Uint8Array([1, 2]))).toEqual({ metadata: {}, hash: '', prevHash: null });
    const foreign = mapped(resolved({ metadata: undefined, revision: 0n }));
    expect(verifyChain(foreign.streamId, [foreign])).toMatchObject({ valid: false, firstInvalid: { reason: 'hash_mismatch' } });
  });

  it('a hash computed over the stored content verifies after the round trip through the client shape', () => {
    const content = { id: ID, streamId: 'union.x-1', revision: 0, type: 'T', data: { a: [1, null] }, metadata: { commandId: 'c' } };
    const hash = computeEventHash(content, null);
    const read = mapped(
      resolved({
        streamId: 'tenant-a:union.x-1',
        revision: 0n,
        type: 'T',
        data: content.data,
        metadata: JSON.parse(JSON.stringify(withChainMetadata(content.metadata, { hash, prevHash: null, writeId: 'w' }))),
      }),
      'tenant-a:',
    );
    expect(read).toMatchObject({ streamId: 'union.x-1', metadata: { commandId: 'c' }, hash, prevHash: null });
    expect(verifyChain('union.x-1', [read])).toEqual({ streamId: 'union.x-1', valid: true, eventsChecked: 1 });
  });

  it('rejects caller metadata that uses the reserved prefix, non-UUID ids and non-object metadata', () => {
    const base = { id: ID, type: 'T', data: {} };
    expect(() => assertEsdbAppendable('s', [base])).not.toThrow();
    for (const bad of [
      { ...base, metadata: { [HASH_KEY]: 'forged' } },
      { ...base, id: 'event-1' },
      { ...base, metadata: [] as never },
    ]) {
      let error: unknown;
      try {
        assertEsdbAppendable('s', [bad]);
      } catch (e) {
        error = e;
      }
      expect(isInvalidAppendError(error)).toBe(true);
    }
  });
});

describe('mapResolvedEvent', () => {
  it('maps a client event to the port shape', () => {
    const mapped = mapResolvedEvent(resolved({ id: ID.toUpperCase() }));
    expect(mapped).toEqual({
      event: {
        id: ID,
        streamId: 'union.labor-dispute-7f3c',
        type: 'DisputeFiled',
        revision: 3,
        position: 4242n,
        data: { disputeId: '7f3c' },
        metadata: { commandId: 'c-1' },
        recordedAt: new Date('2025-03-01T08:00:00Z'),
        hash: 'h3',
        prevHash: 'h2',
      },
    });
  });

  it('hides system streams, system event types, links and streams outside the prefix', () => {
    expect(mapResolvedEvent(resolved({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' }))).toBeUndefined();
    expect(mapResolvedEvent(resolved({ streamId: '$$union.x-1', type: '$metadata' }))).toBeUndefined();
    expect(mapResolvedEvent(resolved({ streamId: '$et-DisputeFiled', type: '$>' }))).toBeUndefined();
    expect(mapResolvedEvent(resolved({ type: '$streamDeleted' }))).toBeUndefined();
    expect(mapResolvedEvent({ commitPosition: 5n } as AllStreamResolvedEvent)).toBeUndefined();
    expect(mapResolvedEvent(resolved({ streamId: 'tenant-b:union.x-1' }), 'tenant-a:')).toBeUndefined();
    expect(mapResolvedEvent(resolved({ streamId: 'tenant-a:union.x-1' }), 'tenant-a:')?.event.streamId).toBe('union.x-1');
  });

  it('surfaces a binary payload from another writer as base64 text', () => {
    const mapped = mapResolvedEvent(resolved({ isJson: false, data: new Uint8Array([104, 105]) } as never));
    expect(mapped?.event.data).toBe('aGk=');
  });
});

describe('stream metadata', () => {
  it('keeps the port metadata under its own key, beside what operators set on the stream', () => {
    const previous = { $maxAge: 86400, $acl: { $r: ['ops'] }, [STREAM_METADATA_KEY]: { owner: 'old' } };
    const next = esdbStreamMetadataWith(previous, { owner: '汝城縣總工會', maxCount: 1 });
    expect(next).toEqual({ $maxAge: 86400, $acl: { $r: ['ops'] }, [STREAM_METADATA_KEY]: { owner: '汝城縣總工會', maxCount: 1 } });
    // A port key named like a server setting stays inside the namespace: no `$maxCount` appears.
    expect(Object.keys(next)).not.toContain('$maxCount');
    expect(portStreamMetadataFrom(next)).toEqual({ owner: '汝城縣總工會', maxCount: 1 });
  });

  it('reads as undefined when only server settings, or nothing usable, are stored', () => {
    expect(portStreamMetadataFrom({ $maxAge: 10 })).toBeUndefined();
    expect(portStreamMetadataFrom(undefined)).toBeUndefined();
    expect(portStreamMetadataFrom({ [STREAM_METADATA_KEY]: 'text' })).toBeUndefined();
    expect(esdbStreamMetadataWith(new Uint8Array([1]), { a: 1 })).toEqual({ [STREAM_METADATA_KEY]: { a: 1 } });
  });
});
