import {
  isConcurrencyError,
  isDuplicateEventError,
  isEventStoreUnavailableError,
  isInvalidAppendError,
  type AppendResult,
} from '@gongzhi/event-store';
import { describeWithPostgres, eventually, gate, newEvent, newEvents, testSchema, waitForLockWaiter } from '../test/support';
import { PostgresEventStore } from './postgres-event-store';

const rejection = async (p: Promise<unknown>): Promise<any> => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
};

describeWithPostgres()('PostgresEventStore appends under faults and races (RELIABILITY.md 2.1)', () => {
  const db = testSchema('es_faults');
  afterAll(() => db.dispose());

  const streamRow = async (streamId: string) =>
    (await db.sql().query(`SELECT revision FROM "${db.schema}".streams WHERE stream_id = $1`, [streamId])).rows[0]?.revision as number | undefined;
  const rowsOf = (ids: string[]) => db.count('event_id = ANY($1)', [ids]);

  it('ES-1: 20 concurrent appends on 20 pooled connections with the same expected revision: one wins whole, 19 ConcurrencyError', async () => {
    const pids = new Set<number>();
    const store = await db.open({ groupCommit: false, poolSize: 20, notify: false, hooks: { beforeCommit: ({ backendPid }) => void pids.add(backendPid) } });
    const stream = 'es1.race-1';
    const [first] = newEvents(1);
    await store.appendToStream(stream, [first], { expectedRevision: 'no_stream' });
    pids.clear();
    const batches = Array.from({ length: 20 }, () => newEvents(3));

    const results = await Promise.allSettled(batches.map((b) => store.appendToStream(stream, b, { expectedRevision: 0 })));

    // Many backends took part at once (a connection released early may serve a later attempt).
    expect(pids.size).toBeGreaterThanOrEqual(15);
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, value: r.value }] : []));
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const e of losers) {
      expect(isConcurrencyError(e)).toBe(true);
      expect(e).toMatchObject({ streamId: stream, expected: 0, actual: 3 });
    }
    const { rows } = await db.sql().query(`SELECT event_id, revision FROM "${db.schema}".events WHERE stream_id = $1 ORDER BY position`, [stream]);
    expect(rows.map((r) => r.revision)).toEqual([0, 1, 2, 3]);
    expect(rows.map((r) => r.event_id)).toEqual([first.id, ...batches[winners[0].i].map((e) => e.id)]);
    expect(await rowsOf(losers.length ? batches.filter((_, i) => i !== winners[0].i).flat().map((e) => e.id) : [])).toBe(0);
    expect(await streamRow(stream)).toBe(3);
  });

  it('ES-1 with group commit: the 20 appends share transactions and still get one winner and 19 typed errors', async () => {
    const groups: number[] = [];
    const store = await db.open({ hooks: { onGroup: (n) => groups.push(n) } });
    const stream = 'es1.grouped-1';
    await store.appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
    groups.length = 0;
    const batches = Array.from({ length: 20 }, () => newEvents(2));
    const results = await Promise.allSettled(batches.map((b) => store.appendToStream(stream, b, { expectedRevision: 0 })));

    expect(Math.max(...groups)).toBeGreaterThan(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY', actual: 2 });
    }
    expect(await db.count('stream_id = $1', [stream])).toBe(3);
  });

  describe('races with a transaction held open before COMMIT', () => {
    let held: ReturnType<typeof gate>;
    let reached: ReturnType<typeof gate>;
    let holder: PostgresEventStore;
    let other: PostgresEventStore;

    beforeAll(async () => {
      holder = await db.open({
        hooks: {
          beforeCommit: async () => {
            reached.release();
            await held.opened;
          },
        },
      });
      other = await db.open();
    });
    beforeEach(() => {
      held = gate();
      reached = gate();
    });

    it('ES-2: a no_stream create that waits for a concurrent create of the same stream gets ConcurrencyError(actual 0)', async () => {
      const stream = 'es2.create-1';
      const [a, b] = [newEvents(1), newEvents(1)];
      const first = holder.appendToStream(stream, a, { expectedRevision: 'no_stream' });
      await reached.opened;
      const second = other.appendToStream(stream, b, { expectedRevision: 'no_stream' });
      await waitForLockWaiter(db.sql(), db.schema, 'advisory');
      held.release();

      expect((await first).nextExpectedRevision).toBe(0);
      const error = await rejection(second);
      expect(isConcurrencyError(error)).toBe(true);
      expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0 });
      expect(await rowsOf(b.map((e) => e.id))).toBe(0);
      expect(await streamRow(stream)).toBe(0);
    });

    it('ES-3: the same batch resent while the original is still committing returns the original positions, one copy stored', async () => {
      const stream = 'es3.race-1';
      const batch = newEvents(2);
      const original = holder.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      await reached.opened;
      const resent = other.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      await waitForLockWaiter(db.sql(), db.schema);
      held.release();

      const [o, r] = await Promise.all([original, resent]);
      expect(r).toEqual({ ...o, idempotentReplay: true });
      expect(await rowsOf(batch.map((e) => e.id))).toBe(2);
    });

    it('an event id committed first on another stream by a concurrent append makes the waiting append a DuplicateEventError', async () => {
      const shared = newEvent();
      const first = holder.appendToStream('dup.race-a', [shared]);
      await reached.opened;
      const extra = newEvent();
      const second = other.appendToStream('dup.race-b', [extra, shared]);
      // The second append's insert waits on the first one's uncommitted event id.
      await waitForLockWaiter(db.sql(), db.schema, 'transactionid');
      held.release();

      await first;
      const error = await rejection(second);
      expect(isDuplicateEventError(error)).toBe(true);
      expect(error).toMatchObject({ streamId: 'dup.race-b', eventIds: [shared.id] });
      expect(await rowsOf([extra.id])).toBe(0);
      expect(await streamRow('dup.race-b')).toBeUndefined();
    });

    it('when the append holding that event id rolls back instead, the waiting append goes through', async () => {
      const shared = newEvent();
      const first = holder.appendToStream('dup.rollback-a', [shared]);
      await reached.opened;
      const second = other.appendToStream('dup.rollback-b', [shared]);
      await waitForLockWaiter(db.sql(), db.schema, 'transactionid');
      // Make the held transaction fail: terminate its backend.
      const { rows } = await db.sql().query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND position($1 in query) > 0`,
        [`"${db.schema}"`],
      );
      expect(rows).toHaveLength(1);
      await db.sql().query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      held.release();

      expect(isEventStoreUnavailableError(await rejection(first))).toBe(true);
      const result = await second;
      expect(result).toMatchObject({ streamId: 'dup.rollback-b', nextExpectedRevision: 0, idempotentReplay: false });
      expect(await streamRow('dup.rollback-a')).toBeUndefined();
    });
  });

  it('ES-3/ES-4/ES-5 on the database: a replay or a rejected overlap adds zero rows', async () => {
    const store = await db.open();
    const stream = 'es345.counted-1';
    const batch = newEvents(3);
    const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    await store.appendToStream(stream, newEvents(1), { expectedRevision: 2 });
    const before = await db.count();

    // ES-3: lost ack, resent with the now-stale expected revision.
    expect(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual({ ...original, idempotentReplay: true });
    // ES-4: resent with 'any', and with the current revision.
    expect(await store.appendToStream(stream, batch, { expectedRevision: 'any' })).toEqual({ ...original, idempotentReplay: true });
    expect(await store.appendToStream(stream, batch, { expectedRevision: 3 })).toEqual({ ...original, idempotentReplay: true });
    // ES-4: the same ids on another stream never land.
    expect(isDuplicateEventError(await rejection(store.appendToStream('es345.other-1', batch)))).toBe(true);
    // ES-5: overlap plus one new event, rejected whole.
    const fresh = newEvent();
    expect(isDuplicateEventError(await rejection(store.appendToStream(stream, [...batch, fresh], { expectedRevision: 'no_stream' })))).toBe(true);

    expect(await db.count()).toBe(before);
    expect(await rowsOf([fresh.id])).toBe(0);
    expect(await streamRow('es345.other-1')).toBeUndefined();
    expect(await streamRow(stream)).toBe(3);
  });

  describe('ES-6: all or nothing when an append dies before COMMIT', () => {
    it('backend terminated during a multi-event insert: no rows, revision unchanged, no orphan streams row; a resend succeeds', async () => {
      const store = await db.open();
      const existing = 'es6.existing-1';
      await store.appendToStream(existing, newEvents(2));
      const t = `"${db.schema}"`;
      await db.sql().query(`CREATE FUNCTION ${t}.slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.15); RETURN NEW; END $$`);
      await db.sql().query(`CREATE TRIGGER slow_insert BEFORE INSERT ON ${t}.events FOR EACH ROW EXECUTE FUNCTION ${t}.slow_insert()`);
      try {
        for (const [stream, expectedRevision] of [[existing, 1], ['es6.new-1', 'no_stream']] as const) {
          const batch = newEvents(5);
          const append = store.appendToStream(stream, batch, { expectedRevision });
          let pid: number | undefined;
          await eventually(async () => {
            const { rows } = await db.sql().query(
              `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND position($1 in query) > 0`,
              [t],
            );
            pid = rows[0]?.pid;
            return pid !== undefined;
          }, 'the append sleeping in its insert trigger');
          await db.sql().query('SELECT pg_terminate_backend($1)', [pid]);

          const error = await rejection(append);
          expect(isEventStoreUnavailableError(error)).toBe(true);
          expect(error.retriable).toBe(true);
          expect(await rowsOf(batch.map((e) => e.id))).toBe(0);
          expect(await streamRow(stream)).toBe(stream === existing ? 1 : undefined);
          expect(await store.streamRevision(stream)).toBe(stream === existing ? 1 : undefined);
          await db.sql().query(`ALTER TABLE ${t}.events DISABLE TRIGGER slow_insert`);
          const resent = await store.appendToStream(stream, batch, { expectedRevision });
          expect(resent.idempotentReplay).toBe(false);
          await db.sql().query(`ALTER TABLE ${t}.events ENABLE TRIGGER slow_insert`);
        }
        expect(await store.streamRevision(existing)).toBe(6);
        expect((await store.verifyStream(existing)).valid).toBe(true);
      } finally {
        await db.sql().query(`DROP TRIGGER slow_insert ON ${t}.events`);
      }
    });

    it('an exception thrown before COMMIT (after the insert) rolls back everything, for a new and an existing stream', async () => {
      const boom = new Error('before-commit hook failed');
      const failing = await db.open({ hooks: { beforeCommit: () => Promise.reject(boom) } });
      const store = await db.open();
      await store.appendToStream('es6.hook-existing', newEvents(1));
      const headBefore = await store.headPosition();

      for (const stream of ['es6.hook-existing', 'es6.hook-new']) {
        const batch = newEvents(4);
        expect(await rejection(failing.appendToStream(stream, batch))).toBe(boom);
        expect(await rowsOf(batch.map((e) => e.id))).toBe(0);
      }
      expect(await streamRow('es6.hook-existing')).toBe(0);
      expect(await streamRow('es6.hook-new')).toBeUndefined();
      expect(await store.headPosition()).toBe(headBefore);
    });
  });

  it('a value PostgreSQL cannot store (\\u0000 in jsonb) is an InvalidAppendError for that append only, even inside a group', async () => {
    const store = await db.open({ maxConcurrentGroups: 1 });
    const bad = newEvent({ text: 'nul \u0000 inside' });
    const goods = Array.from({ length: 4 }, (_, i) => [`bad-data.ok-${i}`, newEvents(1)] as const);
    const results = await Promise.allSettled([
      ...goods.slice(0, 2).map(([s, b]) => store.appendToStream(s, b)),
      store.appendToStream('bad-data.bad', [bad]),
      ...goods.slice(2).map(([s, b]) => store.appendToStream(s, b)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(isInvalidAppendError((results[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(await rowsOf([bad.id])).toBe(0);
    expect(await rowsOf(goods.flatMap(([, b]) => b.map((e) => e.id)))).toBe(4);
  });

  it('an unreachable database is EventStoreUnavailableError (retriable) for appends and reads', async () => {
    const store = new PostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/gongzhi_test', schema: db.schema, connectionTimeoutMillis: 2000 });
    try {
      const append = await rejection(store.appendToStream('unreachable-1', newEvents(1)));
      expect(isEventStoreUnavailableError(append)).toBe(true);
      expect(append.retriable).toBe(true);
      expect(isEventStoreUnavailableError(await rejection(store.readAll()))).toBe(true);
      expect(isEventStoreUnavailableError(await rejection(store.readStream('unreachable-1')))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('after close, calls fail with EventStoreUnavailableError and close is idempotent', async () => {
    const store = await db.open();
    const result: AppendResult = await store.appendToStream('closing-1', newEvents(1));
    expect(result.positions).toHaveLength(1);
    await store.close();
    await store.close();
    expect(isEventStoreUnavailableError(await rejection(store.appendToStream('closing-1', newEvents(1))))).toBe(true);
    expect(isEventStoreUnavailableError(await rejection(store.readAll()))).toBe(true);
  });
});
