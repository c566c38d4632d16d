import type { AllSubscription, RecordedEvent } from '@gongzhi/event-store';
import { Client } from 'pg';
import { describeWithPostgres, eventually, gate, newEvent, newEvents, postgresTestUrl, sleep, testSchema } from '../test/support';
import { PostgresEventStore } from './postgres-event-store';

const ES9_ITERATIONS = Number(process.env.GONGZHI_ES9_ITERATIONS ?? 200);
const ES11_HOLD_MS = Number(process.env.GONGZHI_ES11_HOLD_MS ?? 3000);

const expectStrictlyIncreasing = (events: RecordedEvent[]) => {
  for (let i = 1; i < events.length; i++) {
    if (!(events[i].position > events[i - 1].position)) throw new Error(`position ${events[i].position} after ${events[i - 1].position}`);
  }
};

/** A subscriber that records what it has been delivered, in order. */
const consume = (subscription: AllSubscription) => {
  const delivered: RecordedEvent[] = [];
  const ids = new Set<string>();
  const done = (async () => {
    for await (const e of subscription) {
      delivered.push(e);
      ids.add(e.id);
    }
  })();
  return { delivered, ids, stop: async () => { await subscription.unsubscribe(); await done; } };
};

describeWithPostgres()('PostgresEventStore global order: readers never skip a late commit (RELIABILITY.md ES-8..ES-11)', () => {
  const db = testSchema('es_order');
  afterAll(() => db.dispose());

  /** Appends through `holder` stop after their insert and wait for `hold.opened` before COMMIT. */
  let hold = gate();
  let reached = gate();
  let rollback: Error | undefined;
  let holder: PostgresEventStore;
  let writer: PostgresEventStore;
  let reader: PostgresEventStore;

  beforeAll(async () => {
    holder = await db.open({
      hooks: {
        beforeCommit: async () => {
          reached.release();
          await hold.opened;
          if (rollback) throw rollback;
        },
      },
    });
    writer = await db.open();
    reader = await db.open({ pollIntervalMs: 2 });
  });
  beforeEach(() => {
    hold = gate();
    reached = gate();
    rollback = undefined;
  });

  it('ES-8: readAll gives the same order twice and after reconnecting, with increasing positions and contiguous revisions', async () => {
    const streams = Array.from({ length: 6 }, (_, i) => `es8.s-${i}`);
    await Promise.all(
      streams.map(async (s, k) => {
        for (let round = 0; round < 5; round++) await (k % 2 ? writer : reader).appendToStream(s, newEvents(1 + (round % 3)));
      }),
    );
    const first = await reader.readAll();
    const second = await reader.readAll();
    const reopened = await db.open();
    const third = await reopened.readAll();
    await reopened.close();

    const key = (events: RecordedEvent[]) => events.map((e) => `${e.id}@${e.position}`);
    expect(key(second)).toEqual(key(first));
    expect(key(third)).toEqual(key(first));
    expectStrictlyIncreasing(first);
    const next = new Map<string, number>();
    for (const e of first) {
      expect(e.revision).toBe(next.get(e.streamId) ?? 0);
      next.set(e.streamId, e.revision + 1);
    }
    expect(first.length).toBe(streams.length * (1 + 2 + 3 + 1 + 2));
  });

  it(`ES-9: late-commit race, ${ES9_ITERATIONS} iterations: no reader passes an open append, and the late event is delivered`, async () => {
    const consumer = consume(reader.subscribeToAll({ fromPosition: await reader.headPosition() }));
    let checkpoint = await reader.headPosition();
    const started = Date.now();
    try {
      for (let i = 0; i < ES9_ITERATIONS; i++) {
        hold = gate();
        reached = gate();
        const late = newEvent({ i, who: 'T1' });
        const early = newEvent({ i, who: 'T2' });
        const t1 = holder.appendToStream(`es9.t1-${i}`, [late]);
        await reached.opened; // T1 has inserted (lower position) and not committed
        const t2 = await writer.appendToStream(`es9.t2-${i}`, [early]); // T2 inserts and commits

        // Readers poll while T1 is open, for a random few to tens of milliseconds.
        const until = Date.now() + 1 + Math.floor(Math.random() * 40);
        do {
          const polled = await reader.readAll({ fromPosition: checkpoint });
          if (polled.some((e) => e.id === early.id)) throw new Error(`iteration ${i}: readAll returned T2's event while T1 was open`);
          if (polled.length > 0) checkpoint = polled[polled.length - 1].position;
          await sleep(Math.random() < 0.5 ? 0 : 2);
        } while (Date.now() < until);
        if (consumer.ids.has(early.id)) throw new Error(`iteration ${i}: the subscriber got T2's event while T1 was open`);

        hold.release();
        const r1 = await t1;
        expect(r1.positions[0] < t2.positions[0]).toBe(true);
        await eventually(() => consumer.ids.has(late.id) && consumer.ids.has(early.id), `iteration ${i}: both events delivered`);
        const polled = await reader.readAll({ fromPosition: checkpoint });
        expect(polled.map((e) => e.id)).toEqual([late.id, early.id]);
        checkpoint = polled[polled.length - 1].position;
      }
    } finally {
      hold.release();
      await consumer.stop();
    }
    expectStrictlyIncreasing(consumer.delivered);
    expect(consumer.delivered).toHaveLength(2 * ES9_ITERATIONS);
    expect(consumer.ids.size).toBe(2 * ES9_ITERATIONS);
    expect(consumer.delivered.map((e) => (e.data as { who: string }).who)).toEqual(
      Array.from({ length: 2 * ES9_ITERATIONS }, (_, k) => (k % 2 === 0 ? 'T1' : 'T2')),
    );
    // A loose bound that keeps the loop from running away (about 2 minutes for the default 200).
    expect(Date.now() - started).toBeLessThan(ES9_ITERATIONS * 600);
  }, Math.max(60_000, ES9_ITERATIONS * 700));

  it('ES-10: an append that inserts and then rolls back leaves a gap readers pass without stalling', async () => {
    const consumer = consume(reader.subscribeToAll({ fromPosition: await reader.headPosition() }));
    try {
      for (let i = 0; i < 20; i++) {
        hold = gate();
        reached = gate();
        rollback = new Error('rolled back on purpose');
        const doomed = newEvent({ i, who: 'T1' });
        const t1 = holder.appendToStream(`es10.t1-${i}`, [doomed]).catch((e) => e);
        await reached.opened;
        const survivor = newEvent({ i, who: 'T2' });
        await writer.appendToStream(`es10.t2-${i}`, [survivor]);
        await sleep(Math.random() * 10);
        expect(consumer.ids.has(survivor.id)).toBe(false);
        hold.release();
        expect(await t1).toBe(rollback);

        await eventually(() => consumer.ids.has(survivor.id), `iteration ${i}: the event after the rolled-back gap`, 5_000);
        expect(consumer.ids.has(doomed.id)).toBe(false);
      }
    } finally {
      hold.release();
      await consumer.stop();
    }
    expect(await db.count("stream_id LIKE 'es10.t1-%'")).toBe(0);
    expectStrictlyIncreasing(consumer.delivered);
  });

  it(`ES-11: an append held open (${ES11_HOLD_MS} ms here, not 60 s) stalls readers without skipping, and lag reports what it holds back`, async () => {
    const start = await reader.headPosition();
    const consumer = consume(reader.subscribeToAll({ fromPosition: start }));
    try {
      const late = newEvent({ who: 'held' });
      const t1 = holder.appendToStream('es11.held', [late]);
      await reached.opened;
      const behind = newEvents(5);
      const committed = await writer.appendToStream('es11.behind', behind);

      const deadline = Date.now() + ES11_HOLD_MS;
      let samples = 0;
      while (Date.now() < deadline) {
        expect(consumer.delivered).toHaveLength(0);
        expect(await reader.headPosition()).toBe(start);
        const lag = await reader.lag(start);
        expect(lag).toMatchObject({ eventsBehind: 5, eventsHeldBack: 5, safeHeadPosition: start });
        expect(lag.headPosition).toBe(committed.positions[4]);
        samples++;
        await sleep(100);
      }
      expect(samples).toBeGreaterThan(3);

      hold.release();
      await t1;
      await eventually(() => consumer.delivered.length === 6, 'the held event and the five behind it');
      expect(consumer.delivered.map((e) => e.id)).toEqual([late.id, ...behind.map((e) => e.id)]);
      const lag = await reader.lag(consumer.delivered[5].position);
      expect(lag).toMatchObject({ eventsBehind: 0, eventsHeldBack: 0 });
    } finally {
      hold.release();
      await consumer.stop();
    }
  }, ES11_HOLD_MS + 30_000);

  it('an unrelated transaction held open elsewhere in the cluster does not hold the log back (the plain xmin rule would)', async () => {
    const other = new Client({ connectionString: postgresTestUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      const { rows } = await other.query('SELECT pg_current_xact_id()::text AS xid');
      const event = newEvent();
      const result = await writer.appendToStream('unrelated.open-tx', [event]);

      // The open transaction really holds the cluster's xmin below the append...
      const { rows: snap } = await db.sql().query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      expect(BigInt(snap[0].xmin)).toBeLessThanOrEqual(BigInt(rows[0].xid));
      // ...yet readers see the committed append at once.
      expect((await reader.readAll({ fromPosition: result.positions[0] - 1n })).map((e) => e.id)).toEqual([event.id]);
      expect(await reader.headPosition()).toBe(result.positions[0]);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('after a dump/restore into a cluster with lower transaction ids, ensureSchema lifts new positions above the restored ones', async () => {
    const restored = testSchema('es_restore');
    try {
      const store = await restored.open();
      const old = newEvents(3);
      await store.appendToStream('restore.old', old);
      // What a logical restore looks like to the new cluster: positions from xids it has not reached.
      const ahead = 5_000_000_000n << 20n;
      await restored.sql().query(`UPDATE "${restored.schema}".events SET position = position + $1`, [ahead.toString()]);
      expect(await store.readAll()).toEqual([]); // stalled, never skipping

      await store.ensureSchema();
      const after = await store.readAll();
      expect(after.map((e) => e.id)).toEqual(old.map((e) => e.id));
      const fresh = await store.appendToStream('restore.new', newEvents(1));
      expect(fresh.positions[0] > after[2].position).toBe(true);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['restore.old', 'restore.old', 'restore.old', 'restore.new']);
      await store.ensureSchema(); // idempotent: no second lift
      const again = await store.appendToStream('restore.new', newEvents(1));
      expect(again.positions[0] - fresh.positions[0] < 1_000_000n << 20n).toBe(true);
    } finally {
      await restored.dispose();
    }
  });
});
