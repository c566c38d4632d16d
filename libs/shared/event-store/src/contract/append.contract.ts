import { isConcurrencyError, isInvalidAppendError } from '../errors';
import type { ExpectedRevision, JsonValue } from '../types';
import { type FixtureRef, ids, newEvent, newEvents, rejectionOf, streamName } from './fixtures';

export const appendContract = (fx: FixtureRef): void => {
  describe('append and read back', () => {
    it('stores a batch with revisions from 0 and returns its positions', async () => {
      const { store } = fx();
      const stream = streamName('append');
      const batch = newEvents(3);
      const result = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

      expect(result).toEqual({ streamId: stream, nextExpectedRevision: 2, positions: expect.any(Array), idempotentReplay: false });
      expect(result.positions).toHaveLength(3);
      const read = await store.readStream(stream);
      expect(read.map((e) => [e.id, e.revision, e.position])).toEqual(batch.map((e, i) => [e.id, i, result.positions[i]]));
      expect(await store.streamRevision(stream)).toBe(2);
    });

    it('round-trips any JSON value as data, and metadata, unchanged', async () => {
      const { store } = fx();
      const stream = streamName('json');
      const rich: JsonValue = {
        text: '吳江松陵辦事處 — 綠絲帶 🎗️ "quoted" \\ back\nline',
        numbers: [0, -5, 3.25, 1e21, Number.MAX_SAFE_INTEGER],
        flags: { yes: true, no: false, nothing: null },
        nested: { deep: { deeper: [{ a: 1 }, [], {}] } },
      };
      const metadata = { commandId: 'c-1', actor: { userId: 'u-1', orgUnitId: 'ou-9' }, orgUnitPath: 'cn.32.3205', schemaVersion: 2 };
      const batch = [
        newEvent(rich, 'RichData', metadata),
        newEvent(null, 'NullData'),
        newEvent('just a string', 'StringData'),
        newEvent([1, 'two', { three: 3 }], 'ArrayData'),
        newEvent(42, 'NumberData'),
      ];
      await store.appendToStream(stream, batch);

      const read = await store.readStream(stream);
      expect(read.map((e) => ({ type: e.type, data: e.data }))).toEqual(batch.map((e) => ({ type: e.type, data: e.data })));
      expect(read[0].metadata).toEqual(metadata);
      expect(read[1].metadata).toEqual({});
      for (const e of read) {
        expect(e.streamId).toBe(stream);
        expect(e.recordedAt).toBeInstanceOf(Date);
        expect(Number.isNaN(e.recordedAt.getTime())).toBe(false);
        expect(typeof e.position).toBe('bigint');
      }
    });

    it('continues revisions across appends and reports positions that readAll agrees with', async () => {
      const { store } = fx();
      const stream = streamName('continue');
      const first = await store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      const second = await store.appendToStream(stream, newEvents(2), { expectedRevision: first.nextExpectedRevision });

      expect(second.nextExpectedRevision).toBe(3);
      const all = await store.readAll();
      expect(all.map((e) => e.position)).toEqual([...first.positions, ...second.positions]);
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    });

    it('gives callers copies: mutating a read or appended event changes nothing stored', async () => {
      const { store } = fx();
      const stream = streamName('copies');
      const event = newEvent({ list: [1, 2] });
      await store.appendToStream(stream, [event]);
      (event.data as { list: number[] }).list.push(3);
      const [read] = await store.readStream(stream);
      (read.data as { list: number[] }).list.push(4);

      expect((await store.readStream(stream))[0].data).toEqual({ list: [1, 2] });
    });
  });

  describe('expected revision', () => {
    const conflict = async (promise: Promise<unknown>, stream: string, expected: ExpectedRevision, actual: number | 'no_stream') => {
      const error = await rejectionOf(promise);
      expect(isConcurrencyError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY', retriable: false, streamId: stream, expected, actual });
    };

    it('a number must equal the last revision', async () => {
      const { store } = fx();
      const stream = streamName('exact');
      await store.appendToStream(stream, newEvents(2));
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: 0 }), stream, 0, 1);
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: 5 }), stream, 5, 1);
      const ok = await store.appendToStream(stream, newEvents(1), { expectedRevision: 1 });
      expect(ok.nextExpectedRevision).toBe(2);
    });

    it('a number on a missing stream conflicts with actual no_stream', async () => {
      const { store } = fx();
      const stream = streamName('exact-missing');
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: 0 }), stream, 0, 'no_stream');
      expect(await store.streamRevision(stream)).toBeUndefined();
    });

    it("'no_stream' creates a stream and conflicts once it exists", async () => {
      const { store } = fx();
      const stream = streamName('no-stream');
      await store.appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' }), stream, 'no_stream', 2);
    });

    it('-1 means no_stream', async () => {
      const { store } = fx();
      const stream = streamName('minus-one');
      await store.appendToStream(stream, newEvents(1), { expectedRevision: -1 });
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: -1 }), stream, -1, 0);
    });

    it("'stream_exists' conflicts on a missing stream and appends to an existing one", async () => {
      const { store } = fx();
      const stream = streamName('exists');
      await conflict(store.appendToStream(stream, newEvents(1), { expectedRevision: 'stream_exists' }), stream, 'stream_exists', 'no_stream');
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
      const ok = await store.appendToStream(stream, newEvents(1), { expectedRevision: 'stream_exists' });
      expect(ok.nextExpectedRevision).toBe(1);
    });

    it("'any' appends whether or not the stream exists, and is the default", async () => {
      const { store } = fx();
      const stream = streamName('any');
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 'any' });
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 'any' });
      const result = await store.appendToStream(stream, newEvents(1));
      expect(result.nextExpectedRevision).toBe(2);
    });

    it('a conflicting append writes nothing', async () => {
      const { store } = fx();
      const stream = streamName('conflict-nothing');
      await store.appendToStream(stream, newEvents(1));
      const head = await store.headPosition();
      const rejected = newEvents(3);
      await rejectionOf(store.appendToStream(stream, rejected, { expectedRevision: 7 }));

      expect(await store.headPosition()).toBe(head);
      expect(await store.streamRevision(stream)).toBe(0);
      const all = await store.readAll();
      expect(ids(all)).not.toEqual(expect.arrayContaining([rejected[0].id]));
      // The ids of a rejected batch are free to use: nothing of it was stored.
      await store.appendToStream(stream, rejected, { expectedRevision: 0 });
    });
  });

  describe('invalid input', () => {
    const invalidCases: [string, (stream: string) => [string, ReturnType<typeof newEvents>, ExpectedRevision]][] = [
      ['an empty batch', (s) => [s, [], 'any']],
      ['the same event id twice in one batch', (s) => {
        const e = newEvent();
        return [s, [newEvent(), e, { ...e, type: 'Other' }], 'any'];
      }],
      ['an empty stream id', () => ['', newEvents(1), 'any']],
      ['a stream id starting with $', () => ['$all', newEvents(1), 'any']],
      ['an event without a type', (s) => [s, [{ ...newEvent(), type: '' }], 'any']],
      ['an event without an id', (s) => [s, [{ ...newEvent(), id: '' }], 'any']],
      ['an expected revision below -1', (s) => [s, newEvents(1), -2]],
    ];

    it.each(invalidCases)('rejects %s with InvalidAppendError and writes nothing', async (_label, make) => {
      const { store } = fx();
      const existing = streamName('invalid');
      await store.appendToStream(existing, newEvents(1));
      const head = await store.headPosition();
      const [stream, events, expectedRevision] = make(existing);

      const error = await rejectionOf(store.appendToStream(stream, events, { expectedRevision }));
      expect(isInvalidAppendError(error)).toBe(true);
      expect(error.code).toBe('EVENT_STORE.INVALID_APPEND');
      expect(await store.headPosition()).toBe(head);
      expect(await store.streamRevision(existing)).toBe(0);
    });
  });
};
