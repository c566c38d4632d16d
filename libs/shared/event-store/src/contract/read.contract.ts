import { isStreamNotFoundError } from '../errors';
import {
  type FixtureRef,
  expectContiguousRevisions,
  expectStrictlyIncreasing,
  ids,
  newEvents,
  rejectionOf,
  streamName,
} from './fixtures';

export const readContract = (fx: FixtureRef): void => {
  describe('readStream', () => {
    const fiveEvents = async () => {
      const stream = streamName('read');
      await fx().store.appendToStream(stream, newEvents(2));
      await fx().store.appendToStream(stream, newEvents(3));
      return stream;
    };
    const revisions = (events: { revision: number }[]) => events.map((e) => e.revision);

    it('reads forward from revision 0 by default', async () => {
      const stream = await fiveEvents();
      expect(revisions(await fx().store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
    });

    it('reads forward from an inclusive fromRevision', async () => {
      const stream = await fiveEvents();
      expect(revisions(await fx().store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4]);
    });

    it('reads backward from the last revision by default', async () => {
      const stream = await fiveEvents();
      expect(revisions(await fx().store.readStream(stream, { direction: 'backward' }))).toEqual([4, 3, 2, 1, 0]);
    });

    it('reads backward from an inclusive fromRevision', async () => {
      const stream = await fiveEvents();
      expect(revisions(await fx().store.readStream(stream, { direction: 'backward', fromRevision: 2 }))).toEqual([2, 1, 0]);
    });

    it('limits with maxCount in both directions', async () => {
      const { store } = fx();
      const stream = await fiveEvents();
      expect(revisions(await store.readStream(stream, { maxCount: 2 }))).toEqual([0, 1]);
      expect(revisions(await store.readStream(stream, { fromRevision: 3, maxCount: 10 }))).toEqual([3, 4]);
      expect(revisions(await store.readStream(stream, { direction: 'backward', maxCount: 2 }))).toEqual([4, 3]);
      expect(revisions(await store.readStream(stream, { direction: 'backward', fromRevision: 1, maxCount: 5 }))).toEqual([1, 0]);
    });

    it('returns nothing when fromRevision is past the end', async () => {
      const stream = await fiveEvents();
      expect(await fx().store.readStream(stream, { fromRevision: 5 })).toEqual([]);
    });

    it('throws StreamNotFoundError for a stream without events', async () => {
      const stream = streamName('missing');
      const error = await rejectionOf(fx().store.readStream(stream));
      expect(isStreamNotFoundError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EVENT_STORE.STREAM_NOT_FOUND', streamId: stream });
    });

    it('reports the last revision, or undefined for a missing stream', async () => {
      const stream = await fiveEvents();
      expect(await fx().store.streamRevision(stream)).toBe(4);
      expect(await fx().store.streamRevision(streamName('missing'))).toBeUndefined();
    });
  });

  describe('readAll', () => {
    /** a, b, a, c, b interleaved: 8 events in commit order. */
    const interleaved = async () => {
      const { store } = fx();
      const [a, b, c] = [streamName('all-a'), streamName('all-b'), streamName('all-c')];
      const order: string[] = [];
      for (const [stream, n] of [[a, 2], [b, 1], [a, 1], [c, 3], [b, 1]] as const) {
        const batch = newEvents(n);
        await store.appendToStream(stream, batch);
        order.push(...ids(batch));
      }
      return { order, streams: [a, b, c] };
    };

    it('an empty log reads as nothing and has head position 0', async () => {
      expect(await fx().store.readAll()).toEqual([]);
      expect(await fx().store.headPosition()).toBe(0n);
    });

    it('lists every event in commit order with strictly increasing positions above 0 (ES-8)', async () => {
      const { store } = fx();
      const { order } = await interleaved();
      const all = await store.readAll();

      expect(ids(all)).toEqual(order);
      expect(all[0].position > 0n).toBe(true);
      expectStrictlyIncreasing(all.map((e) => e.position));
      expectContiguousRevisions(all);
      expect(await store.headPosition()).toBe(all[all.length - 1].position);
    });

    it('reads the same order twice (ES-8)', async () => {
      const { store } = fx();
      await interleaved();
      const first = await store.readAll();
      const second = await store.readAll();
      expect(second.map((e) => [e.id, e.position])).toEqual(first.map((e) => [e.id, e.position]));
    });

    it('treats fromPosition as exclusive', async () => {
      const { store } = fx();
      const { order } = await interleaved();
      const all = await store.readAll();

      expect(ids(await store.readAll({ fromPosition: all[1].position }))).toEqual(order.slice(2));
      expect(await store.readAll({ fromPosition: all[all.length - 1].position })).toEqual([]);
      expect(ids(await store.readAll({ fromPosition: 0n }))).toEqual(order);
    });

    it('pages with maxCount and the last position read, without gaps or repeats', async () => {
      const { store } = fx();
      const { order } = await interleaved();
      const paged: string[] = [];
      let from: bigint | undefined;
      for (let page = 0; page < 10; page++) {
        const events = await store.readAll({ fromPosition: from, maxCount: 3 });
        expect(events.length).toBeLessThanOrEqual(3);
        if (events.length === 0) break;
        paged.push(...ids(events));
        from = events[events.length - 1].position;
      }
      expect(paged).toEqual(order);
    });
  });
};
