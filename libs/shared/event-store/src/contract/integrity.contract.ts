import { computeEventHash } from '../hash-chain';
import { isStreamNotFoundError } from '../errors';
import { type FixtureRef, newEvent, newEvents, rejectionOf, streamName } from './fixtures';

const tamperOf = (fx: FixtureRef) => {
  const { tamper } = fx();
  if (!tamper) {
    throw new Error('The fixture has no tamper(): provide one, or pass { tamperTests: false } to runEventStoreContract');
  }
  return tamper;
};

export const integrityContract = (fx: FixtureRef, options: { tamperTests: boolean }): void => {
  describe('hash chain', () => {
    it('links each event to the previous one of its stream, across appends', async () => {
      const { store } = fx();
      const stream = streamName('chain');
      const other = streamName('chain-other');
      await store.appendToStream(stream, newEvents(2));
      await store.appendToStream(other, newEvents(1));
      await store.appendToStream(stream, newEvents(2));

      const events = await store.readStream(stream);
      expect(events[0].prevHash).toBeNull();
      events.forEach((e, i) => {
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
        expect(e.hash).toBe(computeEventHash(e, e.prevHash));
      });
      expect((await store.readStream(other))[0].prevHash).toBeNull();
    });

    it('verifyStream finds an untouched stream valid', async () => {
      const { store } = fx();
      const stream = streamName('verify');
      await store.appendToStream(stream, newEvents(3));
      await store.appendToStream(stream, [newEvent({ text: '春暉行動' }, 'Other', { actor: { userId: 'u' } })]);
      expect(await store.verifyStream(stream)).toEqual({ streamId: stream, valid: true, eventsChecked: 4 });
    });

    const tamperIt = options.tamperTests ? it : it.skip;

    tamperIt('verifyStream reports an event whose data was altered in storage (hash_mismatch)', async () => {
      const { store } = fx();
      const tamper = tamperOf(fx);
      const stream = streamName('tamper-data');
      const batch = newEvents(3);
      await store.appendToStream(stream, batch);
      await tamper(batch[1].id, { data: { i: 99 } });

      expect(await store.verifyStream(stream)).toEqual({
        streamId: stream,
        valid: false,
        eventsChecked: 2,
        firstInvalid: { revision: 1, eventId: batch[1].id, reason: 'hash_mismatch' },
      });
    });

    tamperIt('verifyStream reports an event whose metadata was altered in storage (hash_mismatch)', async () => {
      const { store } = fx();
      const tamper = tamperOf(fx);
      const stream = streamName('tamper-meta');
      const batch = [newEvent({ a: 1 }, 'T', { actor: { userId: 'alice' } }), newEvent({ a: 2 }, 'T', { actor: { userId: 'alice' } })];
      await store.appendToStream(stream, batch);
      await tamper(batch[0].id, { metadata: { actor: { userId: 'mallory' } } });

      const result = await store.verifyStream(stream);
      expect(result.valid).toBe(false);
      expect(result.firstInvalid).toEqual({ revision: 0, eventId: batch[0].id, reason: 'hash_mismatch' });
    });
  });

  describe('stream metadata', () => {
    it('is undefined until set, then reads back as set', async () => {
      const { store } = fx();
      const stream = streamName('meta');
      await store.appendToStream(stream, newEvents(1));
      expect(await store.getStreamMetadata(stream)).toBeUndefined();

      const metadata = { retention: { days: 1095 }, owner: '汝城縣總工會', tags: ['a', 'b'], erased: false, note: null };
      await store.setStreamMetadata(stream, metadata);
      expect(await store.getStreamMetadata(stream)).toEqual(metadata);
    });

    it('a second set replaces the first', async () => {
      const { store } = fx();
      const stream = streamName('meta-replace');
      await store.setStreamMetadata(stream, { a: 1, b: 2 });
      await store.setStreamMetadata(stream, { b: 3 });
      expect(await store.getStreamMetadata(stream)).toEqual({ b: 3 });
    });

    it('can be set before the stream has events, without creating it', async () => {
      const { store } = fx();
      const stream = streamName('meta-first');
      await store.setStreamMetadata(stream, { owner: 'x' });

      expect(isStreamNotFoundError(await rejectionOf(store.readStream(stream)))).toBe(true);
      expect(await store.streamRevision(stream)).toBeUndefined();
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
      expect(await store.getStreamMetadata(stream)).toEqual({ owner: 'x' });
      expect(await store.verifyStream(stream)).toMatchObject({ valid: true, eventsChecked: 1 });
    });

    it('is kept per stream', async () => {
      const { store } = fx();
      const [a, b] = [streamName('meta-a'), streamName('meta-b')];
      await store.setStreamMetadata(a, { who: 'a' });
      await store.setStreamMetadata(b, { who: 'b' });
      expect(await store.getStreamMetadata(a)).toEqual({ who: 'a' });
      expect(await store.getStreamMetadata(b)).toEqual({ who: 'b' });
    });
  });
};
