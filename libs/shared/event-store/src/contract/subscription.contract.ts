import type { AllSubscription, RecordedEvent } from '../types';
import { type FixtureRef, expectStrictlyIncreasing, ids, newEvent, newEvents, streamName, take, within } from './fixtures';

export const subscriptionContract = (fx: FixtureRef): void => {
  describe('subscribeToAll', () => {
    const open: AllSubscription[] = [];
    const subscribe = (...args: Parameters<ReturnType<FixtureRef>['store']['subscribeToAll']>) => {
      const sub = fx().store.subscribeToAll(...args);
      open.push(sub);
      return sub;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.unsubscribe()));
    });

    const seed = async (n: number) => {
      const stream = streamName('sub');
      await fx().store.appendToStream(stream, newEvents(n));
      return stream;
    };

    it('catches up from the start, then delivers new events live', async () => {
      const { store } = fx();
      await seed(5);
      const it = subscribe()[Symbol.asyncIterator]();

      const caughtUp = await take(it, 5);
      expect(ids(caughtUp)).toEqual(ids(await store.readAll()));

      const live = newEvents(3);
      await store.appendToStream(streamName('sub-live'), live);
      expect(ids(await take(it, 3, 'live delivery'))).toEqual(ids(live));
    });

    it('catches up from an exclusive fromPosition', async () => {
      const { store } = fx();
      await seed(6);
      const all = await store.readAll();
      const it = subscribe({ fromPosition: all[2].position })[Symbol.asyncIterator]();

      expect(ids(await take(it, 3))).toEqual(ids(all.slice(3)));
      const [next] = newEvents(1);
      await store.appendToStream(streamName('sub-after'), [next]);
      expect(ids(await take(it, 1))).toEqual([next.id]);
    });

    it('starting on an empty log, delivers the first event when it is appended', async () => {
      const it = subscribe()[Symbol.asyncIterator]();
      const pending = take(it, 1, 'first event');
      const [event] = newEvents(1);
      await fx().store.appendToStream(streamName('sub-empty'), [event]);
      expect(ids(await pending)).toEqual([event.id]);
    });

    it('batches() groups events in position order, at most maxBatchSize each', async () => {
      const { store } = fx();
      await seed(7);
      const all = await store.readAll();
      const it = subscribe({ maxBatchSize: 3 }).batches()[Symbol.asyncIterator]();

      const received: RecordedEvent[] = [];
      while (received.length < all.length) {
        const r = await within(it.next(), `batches delivered ${received.length} of ${all.length}`);
        if (r.done) throw new Error('batches ended early');
        expect(r.value.length).toBeGreaterThan(0);
        expect(r.value.length).toBeLessThanOrEqual(3);
        received.push(...r.value);
      }
      expect(ids(received)).toEqual(ids(all));
    });

    it('two subscribers each receive every event', async () => {
      const { store } = fx();
      await seed(2);
      const a = subscribe()[Symbol.asyncIterator]();
      const b = subscribe()[Symbol.asyncIterator]();
      await store.appendToStream(streamName('sub-two'), newEvents(2));
      const all = ids(await store.readAll());
      expect(ids(await take(a, 4))).toEqual(all);
      expect(ids(await take(b, 4))).toEqual(all);
    });

    it('unsubscribe ends a pending iteration, and nothing is delivered afterwards', async () => {
      const { store } = fx();
      await seed(2);
      const sub = subscribe();
      const it = sub[Symbol.asyncIterator]();
      await take(it, 2);

      const pending = it.next();
      await sub.unsubscribe();
      expect(await within(pending, 'iteration end after unsubscribe')).toEqual({ done: true, value: undefined });
      await store.appendToStream(streamName('sub-late'), newEvents(1));
      expect(await within(it.next(), 'next() after the end')).toEqual({ done: true, value: undefined });
      await sub.unsubscribe(); // idempotent
    });

    it('SP-6: with writes going on during catch-up, every event arrives exactly once, in position order', async () => {
      const { store } = fx();
      const writers = [streamName('sp6-a'), streamName('sp6-b'), streamName('sp6-c')];
      for (const stream of writers) await store.appendToStream(stream, newEvents(10), { expectedRevision: 'no_stream' });
      const sentinel = newEvent({ last: true }, 'Sentinel');
      const total = 3 * 10 + 3 * 40 + 1;

      // Small batches make the catch-up take many reads, so the writers overtake it repeatedly.
      const it = subscribe({ maxBatchSize: 4 })[Symbol.asyncIterator]();
      const reader = (async () => {
        const received: RecordedEvent[] = [];
        for (;;) {
          const r = await within(it.next(), `SP-6 reader after ${received.length} events`);
          if (r.done) throw new Error(`subscription ended after ${received.length} events`);
          received.push(r.value);
          if (r.value.id === sentinel.id) return received;
          // A store that redelivers could otherwise keep this loop busy forever.
          if (received.length >= total) throw new Error(`SP-6 reader got ${received.length} events and no sentinel yet: duplicates`);
        }
      })();
      const writing = Promise.all(
        writers.map(async (stream) => {
          for (let revision = 9; revision < 9 + 20 * 2; revision += 2) {
            await store.appendToStream(stream, newEvents(2), { expectedRevision: revision });
          }
        }),
      );
      await writing;
      await store.appendToStream(streamName('sp6-end'), [sentinel]);

      const received = await reader;
      const all = await store.readAll();
      expect(all).toHaveLength(total);
      expect(new Set(ids(received)).size).toBe(received.length);
      expectStrictlyIncreasing(received.map((e) => e.position));
      expect(ids(received)).toEqual(ids(all));
    });
  });
};
