import { isConcurrencyError, isDuplicateEventError, type AppendResult } from '@gongzhi/event-store';
import { describeWithPostgres, gate, newEvent, newEvents, testSchema } from '../test/support';
import type { PostgresEventStore } from './postgres-event-store';

describeWithPostgres()('PostgresEventStore group commit', () => {
  const db = testSchema('es_group');
  afterAll(() => db.dispose());

  /**
   * A store whose first group after `arm()` is held before COMMIT until `release`, so every
   * append made in the meantime queues and then goes out together in the next group.
   */
  const heldStore = async () => {
    const groups: number[] = [];
    const first = gate();
    const reached = gate();
    let held = false;
    const store = await db.open({
      maxConcurrentGroups: 1,
      hooks: {
        onGroup: (n) => groups.push(n),
        beforeCommit: async () => {
          if (!held) return;
          held = false;
          reached.release();
          await first.opened;
        },
      },
    });
    const arm = () => {
      held = true;
    };
    return { store, groups, arm, reached: reached.opened, release: first.release };
  };

  const txIdsOf = async (ids: string[]) =>
    (await db.sql().query(`SELECT DISTINCT tx_id::text FROM "${db.schema}".events WHERE event_id = ANY($1)`, [ids])).rows.map((r) => r.tx_id);

  const settle = (ps: Promise<AppendResult>[]) => Promise.allSettled(ps);

  it('appends to different streams and to one stream share one transaction, each with its own result or ConcurrencyError', async () => {
    const { store, groups, arm, reached, release } = await heldStore();
    await store.appendToStream('gc.same', newEvents(1), { expectedRevision: 'no_stream' });
    arm();
    const blocker = store.appendToStream('gc.blocker', newEvents(1));
    await reached;

    const different = Array.from({ length: 4 }, (_, i) => [`gc.diff-${i}`, newEvents(2)] as const);
    const same = [newEvents(1), newEvents(1), newEvents(1)];
    const followUp = newEvents(1);
    const pending = settle([
      ...different.map(([s, b]) => store.appendToStream(s, b, { expectedRevision: 'no_stream' })),
      ...same.map((b) => store.appendToStream('gc.same', b, { expectedRevision: 0 })),
      // Expects the revision the first of `same` produces: later appends of a group see earlier ones.
      store.appendToStream('gc.same', followUp, { expectedRevision: 1 }),
    ]);
    release();
    await blocker;
    const results = await pending;

    expect(groups.slice(-1)).toEqual([8]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const r of results.slice(5, 7)) {
      expect(isConcurrencyError((r as PromiseRejectedResult).reason)).toBe(true);
      expect((r as PromiseRejectedResult).reason).toMatchObject({ streamId: 'gc.same', expected: 0, actual: 1 });
    }
    expect((results[7] as PromiseFulfilledResult<AppendResult>).value.nextExpectedRevision).toBe(2);
    for (const [k, [stream]] of different.entries()) {
      const value = (results[k] as PromiseFulfilledResult<AppendResult>).value;
      expect(value).toMatchObject({ streamId: stream, nextExpectedRevision: 1, idempotentReplay: false });
      expect((await store.readStream(stream)).map((e) => e.position)).toEqual(value.positions);
    }
    const written = [...different.flatMap(([, b]) => b), ...same[0], ...followUp].map((e) => e.id);
    expect(await txIdsOf(written)).toHaveLength(1);
    expect(await db.count('event_id = ANY($1)', [[...same[1], ...same[2]].map((e) => e.id)])).toBe(0);
    expect((await store.readStream('gc.same')).map((e) => e.id)).toEqual([expect.any(String), same[0][0].id, followUp[0].id]);
    expect((await store.verifyStream('gc.same')).valid).toBe(true);
  });

  it('a failing append (duplicate id, wrong revision) does not fail the others; an identical batch twice in a group is one write and one replay', async () => {
    const { store, groups, arm, reached, release } = await heldStore();
    const taken = newEvent();
    await store.appendToStream('gc2.owner', [taken]);
    arm();
    const blocker = store.appendToStream('gc2.blocker', newEvents(1));
    await reached;

    const twice = newEvents(2);
    const ok = newEvents(1);
    const pending = settle([
      store.appendToStream('gc2.dup', [newEvent(), taken]),
      store.appendToStream('gc2.twice', twice, { expectedRevision: 'no_stream' }),
      store.appendToStream('gc2.stale', newEvents(1), { expectedRevision: 4 }),
      store.appendToStream('gc2.twice', twice, { expectedRevision: 'no_stream' }),
      store.appendToStream('gc2.ok', ok),
    ]);
    release();
    await blocker;
    const results = await pending;

    expect(groups.slice(-1)).toEqual([5]);
    expect(isDuplicateEventError((results[0] as PromiseRejectedResult).reason)).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ streamId: 'gc2.dup', eventIds: [taken.id] });
    const [first, replay] = [results[1], results[3]].map((r) => (r as PromiseFulfilledResult<AppendResult>).value);
    expect(first.idempotentReplay).toBe(false);
    expect(replay).toEqual({ ...first, idempotentReplay: true });
    expect(isConcurrencyError((results[2] as PromiseRejectedResult).reason)).toBe(true);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ expected: 4, actual: 'no_stream' });
    expect(results[4].status).toBe('fulfilled');

    expect(await db.count("stream_id IN ('gc2.dup', 'gc2.stale')")).toBe(0);
    expect(await db.count('stream_id = $1', ['gc2.twice'])).toBe(2);
    expect(await txIdsOf([...twice, ...ok].map((e) => e.id))).toHaveLength(1);
  });

  it('with groupCommit: false every append is its own transaction', async () => {
    const groups: number[] = [];
    const store: PostgresEventStore = await db.open({ groupCommit: false, hooks: { onGroup: (n) => groups.push(n) } });
    const batches = Array.from({ length: 6 }, (_, i) => [`gc3.s-${i}`, newEvents(1)] as const);
    await Promise.all(batches.map(([s, b]) => store.appendToStream(s, b)));
    expect(groups.every((n) => n === 1)).toBe(true);
    expect(await txIdsOf(batches.flatMap(([, b]) => b.map((e) => e.id)))).toHaveLength(6);
  });
});
