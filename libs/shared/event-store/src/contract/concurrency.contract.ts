import { isConcurrencyError } from '../errors';
import type { AppendResult, ExpectedRevision } from '../types';
import {
  type FixtureRef,
  expectContiguousRevisions,
  expectStrictlyIncreasing,
  ids,
  newEvents,
  ofStream,
  streamName,
} from './fixtures';

/**
 * The calls here are started together and awaited with Promise.allSettled, so an adapter with a
 * connection pool really runs them on several connections at once.
 */
export const concurrencyContract = (fx: FixtureRef): void => {
  const settle = (stream: string, batches: ReturnType<typeof newEvents>[], expectedRevision: ExpectedRevision) =>
    Promise.allSettled(batches.map((batch) => fx().store.appendToStream(stream, batch, { expectedRevision })));
  const fulfilled = (results: PromiseSettledResult<AppendResult>[]) =>
    results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ index: i, value: r.value }] : []));
  const rejected = (results: PromiseSettledResult<AppendResult>[]) =>
    results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));

  describe('concurrent appends', () => {
    it('ES-1: of 20 concurrent appends with the same expected revision exactly one wins, whole', async () => {
      const { store } = fx();
      const stream = streamName('es1');
      const [first] = newEvents(1);
      await store.appendToStream(stream, [first], { expectedRevision: 'no_stream' });
      const batches = Array.from({ length: 20 }, () => newEvents(2));

      const results = await settle(stream, batches, 0);

      const winners = fulfilled(results);
      expect(winners).toHaveLength(1);
      expect(winners[0].value).toMatchObject({ nextExpectedRevision: 2, idempotentReplay: false });
      const losers = rejected(results);
      expect(losers).toHaveLength(19);
      for (const error of losers) {
        expect(isConcurrencyError(error)).toBe(true);
        expect(error).toMatchObject({ streamId: stream, expected: 0, actual: 2 });
      }
      const winningBatch = batches[winners[0].index];
      const events = await store.readStream(stream);
      expect(events.map((e) => [e.id, e.revision])).toEqual([[first.id, 0], [winningBatch[0].id, 1], [winningBatch[1].id, 2]]);
      expect(ofStream(await store.readAll(), stream).map((e) => e.id)).toEqual(ids(events));
      expect(events.map((e) => e.position)).toEqual([expect.any(BigInt), ...winners[0].value.positions]);
    });

    it('ES-2: of two concurrent no_stream creates one wins and the other gets a ConcurrencyError', async () => {
      for (let round = 0; round < 5; round++) {
        const stream = streamName('es2');
        const batches = [newEvents(1), newEvents(1)];
        const results = await settle(stream, batches, 'no_stream');

        const winners = fulfilled(results);
        expect(winners).toHaveLength(1);
        const [loser] = rejected(results);
        expect(isConcurrencyError(loser)).toBe(true);
        expect(loser).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0 });
        expect(ids(await fx().store.readStream(stream))).toEqual(ids(batches[winners[0].index]));
      }
    });

    it("concurrent 'any' appends to one stream all succeed with contiguous revisions", async () => {
      const { store } = fx();
      const stream = streamName('any-race');
      const batches = Array.from({ length: 10 }, () => newEvents(2));
      const results = await settle(stream, batches, 'any');

      expect(rejected(results)).toEqual([]);
      const events = await store.readStream(stream);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expectStrictlyIncreasing(events.map((e) => e.position));
      // Each batch stays in one piece: its two events got consecutive revisions.
      for (const { index, value } of fulfilled(results)) {
        const at = events.findIndex((e) => e.id === batches[index][0].id);
        expect(events[at + 1].id).toBe(batches[index][1].id);
        expect(value.nextExpectedRevision).toBe(at + 1);
      }
    });

    it('the same batch sent concurrently is written once; every other call is an idempotent replay', async () => {
      const { store } = fx();
      const stream = streamName('resend-race');
      const batch = newEvents(3);
      const results = await settle(stream, Array.from({ length: 6 }, () => batch), 'no_stream');

      expect(rejected(results)).toEqual([]);
      const values = fulfilled(results).map((r) => r.value);
      expect(values.filter((v) => !v.idempotentReplay)).toHaveLength(1);
      for (const v of values) expect(v.positions).toEqual(values[0].positions);
      expect(ids(await store.readStream(stream))).toEqual(ids(batch));
      expect((await store.readAll()).length).toBe(3);
    });

    it('concurrent appends to different streams all land, with unique increasing positions (ES-8)', async () => {
      const { store } = fx();
      const streams = Array.from({ length: 8 }, (_, i) => streamName(`parallel-${i}`));
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const results = await Promise.allSettled(streams.map((s) => store.appendToStream(s, newEvents(2), { expectedRevision: round === 0 ? 'no_stream' : round * 2 - 1 })));
        expect(rejected(results)).toEqual([]);
      }
      const all = await store.readAll();
      expect(all).toHaveLength(streams.length * rounds * 2);
      expectStrictlyIncreasing(all.map((e) => e.position));
      expectContiguousRevisions(all);
      expect(new Set(ids(all)).size).toBe(all.length);
    });
  });
};
