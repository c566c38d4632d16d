import { isDuplicateEventError } from '../errors';
import type { ExpectedRevision } from '../types';
import { type FixtureRef, ids, newEvents, rejectionOf, streamName } from './fixtures';

export const idempotencyContract = (fx: FixtureRef): void => {
  describe('idempotency and duplicate event ids', () => {
    it('ES-3: a lost-ack resend with the now-stale expected revision returns the original positions and writes nothing', async () => {
      const { store } = fx();
      const stream = streamName('es3');
      const batch = newEvents(2);
      const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 1 });
      const head = await store.headPosition();
      const rowsBefore = (await store.readAll()).length;

      const resent = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

      expect(resent).toEqual({ ...original, idempotentReplay: true });
      expect(await store.headPosition()).toBe(head);
      expect((await store.readAll()).length).toBe(rowsBefore);
      expect(await store.streamRevision(stream)).toBe(2);
    });

    it('ES-3: a resend with the exact stale numeric revision is also a replay', async () => {
      const { store } = fx();
      const stream = streamName('es3-numeric');
      await store.appendToStream(stream, newEvents(1));
      const batch = newEvents(2);
      const original = await store.appendToStream(stream, batch, { expectedRevision: 0 });
      await store.appendToStream(stream, newEvents(1), { expectedRevision: 2 });

      const resent = await store.appendToStream(stream, batch, { expectedRevision: 0 });
      expect(resent).toEqual({ ...original, idempotentReplay: true });
      expect(await store.streamRevision(stream)).toBe(3);
    });

    const es4: [string, (current: number) => ExpectedRevision][] = [
      ["'any'", () => 'any'],
      ['the current revision', (current) => current],
      ["'stream_exists'", () => 'stream_exists'],
    ];
    it.each(es4)('ES-4: the same ids resent with %s never add a row', async (_label, expectedFor) => {
      const { store } = fx();
      const stream = streamName('es4');
      const batch = newEvents(3);
      const original = await store.appendToStream(stream, batch);
      const head = await store.headPosition();

      const resent = await store.appendToStream(stream, batch, { expectedRevision: expectedFor(original.nextExpectedRevision) });

      expect(resent).toEqual({ ...original, idempotentReplay: true });
      expect(await store.headPosition()).toBe(head);
      expect(ids(await store.readStream(stream))).toEqual(ids(batch));
    });

    it('ES-5: a resend that overlaps a committed batch and adds a new event is rejected whole', async () => {
      const { store } = fx();
      const stream = streamName('es5');
      const batch = newEvents(2);
      await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      const [fresh] = newEvents(1);

      const error = await rejectionOf(store.appendToStream(stream, [...batch, fresh], { expectedRevision: 'no_stream' }));

      expect(isDuplicateEventError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EVENT_STORE.DUPLICATE_EVENT', retriable: false, streamId: stream });
      expect([...error.eventIds].sort()).toEqual(ids(batch).sort());
      expect(await store.headPosition()).toBe(head);
      expect(await store.streamRevision(stream)).toBe(1);
      expect(ids(await store.readAll())).not.toContain(fresh.id);
    });

    it('ES-5: an overlap is rejected even with the current expected revision', async () => {
      const { store } = fx();
      const stream = streamName('es5-current');
      const batch = newEvents(2);
      await store.appendToStream(stream, batch);
      const error = await rejectionOf(store.appendToStream(stream, [batch[1], ...newEvents(1)], { expectedRevision: 1 }));
      expect(isDuplicateEventError(error)).toBe(true);
      expect(await store.streamRevision(stream)).toBe(1);
    });

    it('a committed batch resent in another order is a duplicate, not a replay', async () => {
      const { store } = fx();
      const stream = streamName('reordered');
      const batch = newEvents(2);
      await store.appendToStream(stream, batch);
      const error = await rejectionOf(store.appendToStream(stream, [batch[1], batch[0]]));
      expect(isDuplicateEventError(error)).toBe(true);
      expect(await store.streamRevision(stream)).toBe(1);
    });

    it('an event id is unique across the store: reusing it on another stream is a DuplicateEventError', async () => {
      const { store } = fx();
      const [first, second] = [streamName('dup-a'), streamName('dup-b')];
      const batch = newEvents(1);
      await store.appendToStream(first, batch);
      const head = await store.headPosition();

      for (const expectedRevision of ['any', 'no_stream'] as const) {
        const error = await rejectionOf(store.appendToStream(second, batch, { expectedRevision }));
        expect(isDuplicateEventError(error)).toBe(true);
        expect(error).toMatchObject({ streamId: second, eventIds: ids(batch) });
      }
      expect(await store.streamRevision(second)).toBeUndefined();
      expect(await store.headPosition()).toBe(head);
    });
  });
};
