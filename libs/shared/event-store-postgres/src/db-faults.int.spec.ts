import { randomUUID } from 'node:crypto';
import {
  isEventStoreUnavailableError,
  type AllSubscription,
  type GlobalPosition,
  type RecordedEvent,
} from '@gongzhi/event-store';
// The command path (load, decide, append) is what a request runs. Test-only: the lint's
// type:adapter rule does not list type:core even for specs (cf. the esdb spec's exception).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CommandProcessor, eventIdFor, type CommandResult, type RequestContext } from '@gongzhi/eventsourcing';
import type { Command, Decider, Event } from '@gongzhi/kernel';
import { FakeClock, freshSchemaName } from '@gongzhi/testing';
import { Client, Pool } from 'pg';
import { describeWithDedicatedCluster, startDedicatedCluster, type DedicatedCluster } from '../test/dedicated-cluster';
import { eventually, gate, newEvents, sleep, waitForLockWaiter } from '../test/support';
import { TEST_HOOKS, type AppendTestHooks } from './internal-test-hooks';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import { appendLockClass } from './sql';

/**
 * RELIABILITY.md 2.4 against a PostgreSQL cluster of this suite's own (test/dedicated-cluster.ts):
 * the shared server on 5432 serves other suites in parallel and is never touched.
 */

// A counter per stream: event k of a stream carries n = k + 1, so a lost or doubled event shows
// up in the data as well as in the revisions.
type Increment = Command<'Increment', { events: number }>;
type Incremented = Event<'Incremented', { n: number; at: string }>;
const counter: Decider<{ count: number }, Increment, Incremented> = {
  initialState: { count: 0 },
  decide: (command, state) =>
    Array.from({ length: command.data.events }, (_, i) => ({
      type: 'Incremented' as const,
      data: { n: state.count + i + 1, at: command.metadata.now },
    })),
  evolve: (_, event) => ({ count: event.data.n }),
};
const increment = (events: number) => ({ type: 'Increment' as const, data: { events } });
const context = (commandId: string): RequestContext => ({
  actor: { userId: 'db-fault-tester', roles: [], orgUnitPath: '/test' },
  correlationId: randomUUID(),
  commandId,
});

const rejection = async (p: Promise<unknown>): Promise<any> => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
};

/** Every event a subscription delivers, until unsubscribed; `failure` holds an error that ended it. */
const collect = (subscription: AllSubscription) => {
  const seen: RecordedEvent[] = [];
  const state: { failure?: unknown } = {};
  const done = (async () => {
    try {
      for await (const batch of subscription.batches()) seen.push(...batch);
    } catch (e) {
      state.failure = e;
    }
  })();
  return {
    seen,
    state,
    stop: async () => {
      await subscription.unsubscribe();
      await done;
    },
  };
};

/** The connection broke under a running statement (crash or admin shutdown), as opposed to a refused connect. */
const wasInFlight = (error: unknown): boolean => {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return /Connection terminated/.test(cause?.message ?? '') || cause?.code === '57P01' || cause?.code === '57P02';
};

const expectStrictlyIncreasing = (positions: GlobalPosition[]) => {
  const inversions = positions.flatMap((p, i) => (i > 0 && p <= positions[i - 1] ? [i] : []));
  expect(inversions).toEqual([]);
};

describeWithDedicatedCluster()('database-level faults on a dedicated PostgreSQL cluster (RELIABILITY.md 2.4)', () => {
  let cluster: DedicatedCluster;
  let admin: Pool;
  const stores: PostgresEventStore[] = [];

  beforeAll(async () => {
    cluster = await startDedicatedCluster();
    admin = new Pool({ connectionString: cluster.url, max: 3, connectionTimeoutMillis: 5000 });
    admin.on('error', () => undefined);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await admin?.end().catch(() => undefined);
    await cluster?.dispose();
  }, 60_000);

  const open = async (
    schema: string,
    options: Partial<PostgresEventStoreOptions> & { hooks?: AppendTestHooks } = {},
  ): Promise<PostgresEventStore> => {
    const { hooks, ...rest } = options;
    const store = new PostgresEventStore({ connectionString: cluster.url, schema, pollIntervalMs: 20, connectionTimeoutMillis: 2000, ...rest });
    if (hooks) store[TEST_HOOKS] = hooks;
    await store.ensureSchema();
    stores.push(store);
    return store;
  };

  const rowsOfCommand = async (schema: string, commandId: string): Promise<number> =>
    (await admin.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE metadata->>'commandId' = $1`, [commandId])).rows[0].n;

  it(
    'PG-1: restart -m immediate under a steady command load: in-flight commands fail retriable, the same store reconnects, ' +
      'nothing acknowledged is lost, resends apply once, the log and every hash chain stay whole, subscribers see each event once',
    async () => {
      const schema = freshSchemaName('pg1');
      const store = await open(schema, { poolSize: 8 });
      const processor = new CommandProcessor(store);

      const WRITERS = 6;
      const streams = Array.from({ length: WRITERS }, () => Array.from({ length: 3 }, () => `counter-${randomUUID()}`));
      interface Sent { streamId: string; commandId: string; events: number }
      const acked: { sent: Sent; result: CommandResult }[] = [];
      const failed: { sent: Sent; error: unknown; startedAfterRestart: boolean }[] = [];
      let restarted = false;
      let stopping = false;

      // Running through the restart: its reads fail while the server is down and must resume.
      const live = collect(store.subscribeToAll({ maxBatchSize: 50 }));

      const writer = async (w: number) => {
        for (let i = 0; !stopping; i++) {
          const sent: Sent = { streamId: streams[w][i % 3], commandId: randomUUID(), events: i % 4 === 3 ? 2 : 1 };
          const startedAfterRestart = restarted;
          try {
            const result = await processor.handle(counter, sent.streamId, increment(sent.events), context(sent.commandId));
            acked.push({ sent, result });
          } catch (error) {
            failed.push({ sent, error, startedAfterRestart });
            await sleep(50);
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      try {
        await eventually(() => acked.length >= 60, 'steady load before the restart', 20_000);
        await cluster.restartImmediate();
        restarted = true;
        const ackedBefore = acked.length;
        await eventually(() => acked.length >= ackedBefore + 60, 'commands succeeding again on the same store after the restart', 20_000);
      } finally {
        stopping = true;
        await Promise.all(writers);
      }

      // Commands failed only with the retriable typed error: those in flight when the server
      // died (their connection broke) as well as those sent while it was down or recovering.
      expect(failed.filter((f) => wasInFlight(f.error)).length).toBeGreaterThan(0);
      const untyped = failed.filter((f) => !(isEventStoreUnavailableError(f.error) && f.error.retriable === true));
      expect(untyped.map((f) => String(f.error))).toEqual([]);
      // After the restart the store recovered by itself; commands started then do not fail.
      expect(failed.filter((f) => f.startedAfterRestart).map((f) => String(f.error))).toEqual([]);

      // Resend every unacknowledged command with its commandId: the original result if it had
      // committed (a lost ack), else one append; never two. In order per stream, streams at once.
      await Promise.all(
        streams.flat().map(async (streamId) => {
          for (const { sent } of failed.filter((f) => f.sent.streamId === streamId)) {
            const committedBefore = await rowsOfCommand(schema, sent.commandId);
            expect([0, sent.events]).toContain(committedBefore);
            const result = await processor.handle(counter, sent.streamId, increment(sent.events), context(sent.commandId));
            expect(result.idempotentReplay).toBe(committedBefore > 0);
            expect(result.events.map((e) => e.id)).toEqual(Array.from({ length: sent.events }, (_, i) => eventIdFor(sent.commandId, i)));
            expect(await rowsOfCommand(schema, sent.commandId)).toBe(sent.events);
            acked.push({ sent, result });
          }
        }),
      );

      // Every acknowledged append is stored where its result said.
      const streamEvents = new Map<string, RecordedEvent[]>();
      for (const id of streams.flat()) streamEvents.set(id, await store.readStream(id));
      const missing: string[] = [];
      for (const { sent, result } of acked) {
        const stored = streamEvents.get(sent.streamId) ?? [];
        for (const e of result.events) {
          const at = stored[e.revision];
          if (!at || at.id !== e.id || at.position !== e.position) missing.push(`${sent.streamId}@${e.revision}`);
        }
      }
      expect(missing).toEqual([]);

      // Each stream: revisions 0..n-1, the counter never skips or repeats, the chain verifies.
      for (const [id, events] of streamEvents) {
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual(events.map((_, i) => i + 1));
        expect(await store.verifyStream(id)).toMatchObject({ valid: true, eventsChecked: events.length });
      }

      // The global log: strictly increasing positions, no duplicate id, and exactly the
      // acknowledged events (every failed command was resent, so nothing else may be there).
      const all = await store.readAll();
      expectStrictlyIncreasing(all.map((e) => e.position));
      const ackedIds = acked.flatMap(({ result }) => result.events.map((e) => e.id));
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
      expect(new Set(ackedIds).size).toBe(ackedIds.length);
      expect(all.map((e) => e.id).sort()).toEqual([...ackedIds].sort());

      // Subscribers: the one that ran through the restart, and a catch-up from 0 started now.
      const fresh = collect(store.subscribeToAll({ fromPosition: 0n, maxBatchSize: 37 }));
      try {
        for (const sub of [live, fresh]) {
          await eventually(() => sub.seen.length >= all.length || sub.state.failure !== undefined, 'a subscriber catching up', 15_000);
          expect(sub.state.failure).toBeUndefined();
          expect(sub.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
        }
      } finally {
        await live.stop();
        await fresh.stop();
      }
    },
    90_000,
  );

  describe.each([
    { mode: 'group commit', groupCommit: true },
    { mode: 'one transaction per append', groupCommit: false },
  ])('PG-2: pool exhausted ($mode)', ({ groupCommit }) => {
    it('a further append, read and command fail fast with the retriable typed error; after release everything goes through, nothing written twice', async () => {
      const schema = freshSchemaName('pg2');
      const CONNECT_TIMEOUT_MS = 500;
      const holding = gate();
      const held = new Set<number>();
      // Two append transactions held open before COMMIT take both connections of the pool. With
      // group commit they also take both group slots, so a further append waits in the store's
      // queue (bounded by the queue wait); without it, in pg's pool (bounded by pg's connect
      // timeout). Reads and the command's stream load wait in pg's pool either way.
      const store = await open(schema, {
        poolSize: 2,
        groupCommit,
        notify: false,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        hooks: {
          beforeCommit: async ({ backendPid }) => {
            held.add(backendPid);
            await holding.opened;
          },
        },
      });
      const processor = new CommandProcessor(store);
      const [a, b, c] = ['a', 'b', 'c'].map((x) => `pg2-${x}-${randomUUID()}`);
      const first = store.appendToStream(a, newEvents(1));
      await eventually(() => held.size === 1, 'the first append holding a connection');
      const second = store.appendToStream(b, newEvents(1));
      await eventually(() => held.size === 2, 'the second append holding the other connection');

      const timedOut = async <T>(what: string, call: () => Promise<T>) => {
        const started = Date.now();
        const error = await rejection(call());
        const elapsed = Date.now() - started;
        expect({ what, unavailable: isEventStoreUnavailableError(error), retriable: error?.retriable }).toEqual({ what, unavailable: true, retriable: true });
        // Bounded by the connection timeout (twice it, at worst, for an append that got a
        // group slot just before the bound), with slack for a loaded machine: never a hang.
        expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS * 2 + 3000);
        return error;
      };
      const blocked = newEvents(2);
      const commandId = randomUUID();
      try {
        await Promise.all([
          timedOut('append', () => store.appendToStream(c, blocked)),
          timedOut('readAll', () => store.readAll()),
          timedOut('command', () => processor.handle(counter, c, increment(1), context(commandId))),
        ]);
      } finally {
        holding.release();
      }
      const [r1, r2] = await Promise.all([first, second]);
      expect([r1.nextExpectedRevision, r2.nextExpectedRevision]).toEqual([0, 0]);
      // The timed-out calls wrote nothing; resent now, each lands exactly once.
      expect((await admin.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE stream_id = $1`, [c])).rows[0].n).toBe(0);
      const resent = await store.appendToStream(c, blocked);
      expect(resent).toMatchObject({ nextExpectedRevision: 1, idempotentReplay: false });
      const command = await processor.handle(counter, c, increment(1), context(commandId));
      expect(command).toMatchObject({ revision: 2, idempotentReplay: false });
      const more = await Promise.all(Array.from({ length: 10 }, (_, i) => store.appendToStream(`${c}-${i}`, newEvents(1))));
      expect(more.map((r) => r.nextExpectedRevision)).toEqual(Array(10).fill(0));
      expect((await store.readStream(c)).map((e) => e.id)).toEqual([...blocked.map((e) => e.id), eventIdFor(commandId, 0)]);
    }, 30_000);
  });

  /**
   * PG-3 "wall time set back". The server's OS clock cannot be moved here (no root over the
   * clock, no libfaketime), so these tests produce what a jump leaves in the log instead and check
   * that ordering, delivery and checkpoints follow positions (transaction ids), not timestamps:
   * - a real server-stamped `recorded_at` that goes backwards in log order (transaction start
   *   time vs commit order: an append that waited for a stream lock commits after a later one);
   * - the application clock set back, so `metadata.occurredAt` goes backwards;
   * - writers whose sessions run 25 hours apart in local time.
   */
  describe('PG-3: clock jumps', () => {
    it('recordedAt going backwards in log order (stamped by the server) changes nothing: readAll, delivery and a position checkpoint follow positions, which are transaction ids', async () => {
      const schema = freshSchemaName('pg3_srv');
      const store = await open(schema);
      const [x, y] = ['x', 'y'].map((s) => `pg3-${s}-${randomUUID()}`);
      await store.appendToStream(x, newEvents(1), { expectedRevision: 'no_stream' });
      await store.appendToStream(y, newEvents(1), { expectedRevision: 'no_stream' });
      const sub = collect(store.subscribeToAll());
      const locker = new Client({ connectionString: cluster.url });
      await locker.connect();
      try {
        // Another session holds stream x's append lock (no transaction, no xid): an append to x
        // starts its transaction, so now() is stamped, then waits for the lock.
        await locker.query('SELECT pg_advisory_lock($1, hashtext($2))', [appendLockClass(schema), x]);
        const [late] = newEvents(1);
        const lateAppend = store.appendToStream(x, [late], { expectedRevision: 0 });
        await waitForLockWaiter(admin, schema, 'advisory');
        await sleep(50);
        const [early] = newEvents(1);
        const earlyResult = await store.appendToStream(y, [early], { expectedRevision: 0 });
        // Readers are not held back by the waiting append: the subscriber passes `early` now.
        await eventually(() => sub.seen.some((e) => e.id === early.id), 'the subscriber seeing the committed append');
        const checkpoint = earlyResult.positions[0];
        await locker.query('SELECT pg_advisory_unlock($1, hashtext($2))', [appendLockClass(schema), x]);
        const lateResult = await lateAppend;
        expect(lateResult.nextExpectedRevision).toBe(1);

        const all = await store.readAll();
        const recLate = all.find((e) => e.id === late.id) as RecordedEvent;
        const recEarly = all.find((e) => e.id === early.id) as RecordedEvent;
        // The scenario is real: the later position carries the earlier server timestamp.
        expect(recLate.position).toBeGreaterThan(recEarly.position);
        expect(recLate.recordedAt.getTime()).toBeLessThan(recEarly.recordedAt.getTime());

        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(all.map((e) => e.id).slice(-2)).toEqual([early.id, late.id]);
        await eventually(() => sub.seen.length >= all.length, 'the subscriber seeing the late commit');
        expect(sub.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
        // Resuming from the position checkpoint taken before the late commit delivers it.
        const resumed = collect(store.subscribeToAll({ fromPosition: checkpoint }));
        await eventually(() => resumed.seen.length >= 1, 'the resumed subscriber');
        await sleep(100);
        await resumed.stop();
        expect(resumed.seen.map((e) => e.id)).toEqual([late.id]);

        // Positions are (transaction id << 20 | index): log order is transaction order.
        const { rows } = await admin.query(
          `SELECT event_id, (position >> 20) = tx_id::text::bigint AS from_xid FROM "${schema}".events ORDER BY tx_id, position`,
        );
        expect(rows.map((r) => r.event_id)).toEqual(all.map((e) => e.id));
        expect(rows.every((r) => r.from_xid)).toBe(true);
      } finally {
        await sub.stop();
        await locker.end();
      }
    });

    it('the application clock set back (occurredAt going backwards): order, revisions, delivery, checkpoints and command idempotency do not depend on it', async () => {
      const schema = freshSchemaName('pg3_app');
      const store = await open(schema);
      const clock = new FakeClock('2026-03-01T12:00:00.000Z');
      const processor = new CommandProcessor(store, { clock });
      const streams = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
      const results: CommandResult[] = [];
      const commandIds: string[] = [];
      for (let k = 0; k < 12; k++) {
        if (k === 4) clock.advance({ days: -1 });
        else if (k === 8) clock.advance({ minutes: -90 });
        else clock.advance({ minutes: 5 });
        commandIds.push(randomUUID());
        results.push(await processor.handle(counter, streams[k % 2], increment(1), context(commandIds[k])));
      }

      const all = await store.readAll();
      const occurred = all.map((e) => Date.parse((e.metadata as { occurredAt: string }).occurredAt));
      // The scenario is real: domain time goes backwards twice along the log.
      expect(occurred.filter((t, i) => i > 0 && t < occurred[i - 1])).toHaveLength(2);
      expect(all.map((e) => (e.data as { at: string }).at)).toEqual(all.map((e) => (e.metadata as { occurredAt: string }).occurredAt));
      // The log is in the order the commands were acknowledged, revisions count on per stream.
      expectStrictlyIncreasing(all.map((e) => e.position));
      expect(all.map((e) => e.id)).toEqual(results.map((r) => r.events[0].id));
      expect(results.map((r) => r.revision)).toEqual(results.map((_, k) => Math.floor(k / 2)));
      for (const id of streams) expect(await store.verifyStream(id)).toMatchObject({ valid: true, eventsChecked: 6 });

      const sub = collect(store.subscribeToAll({ maxBatchSize: 5 }));
      const resumed = collect(store.subscribeToAll({ fromPosition: results[3].events[0].position }));
      try {
        await eventually(() => sub.seen.length >= 12 && resumed.seen.length >= 8, 'the subscribers');
        await sleep(100);
      } finally {
        await sub.stop();
        await resumed.stop();
      }
      expect(sub.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(resumed.seen.map((e) => e.id)).toEqual(all.slice(4).map((e) => e.id));

      // A resend after the clock moved again returns the original result, stamped with its original time.
      clock.advance({ days: -30 });
      const replay = await processor.handle(counter, streams[0], increment(1), context(commandIds[2]));
      expect(replay).toMatchObject({ idempotentReplay: true, revision: 1, events: results[2].events });
      expect(await store.readAll()).toHaveLength(12);
    });

    it('writers whose sessions run 25 hours apart in local time (TimeZone +14 and -11) share one log: same order, same instants, valid chains', async () => {
      const schema = freshSchemaName('pg3_tz');
      const inZone = (tz: string) => `${cluster.url}?options=${encodeURIComponent(`-c TimeZone=${tz}`)}`;
      const east = await open(schema, { connectionString: inZone('Pacific/Kiritimati') });
      const west = await open(schema, { connectionString: inZone('Pacific/Pago_Pago') });
      const probe = new Client({ connectionString: inZone('Pacific/Kiritimati') });
      await probe.connect();
      try {
        expect((await probe.query('SHOW TimeZone')).rows[0].TimeZone).toBe('Pacific/Kiritimati');
      } finally {
        await probe.end();
      }
      const stream = `pg3-tz-${randomUUID()}`;
      const written: string[] = [];
      for (let k = 0; k < 8; k++) {
        const batch = newEvents(1);
        await (k % 2 === 0 ? east : west).appendToStream(stream, batch, { expectedRevision: k === 0 ? 'no_stream' : k - 1 });
        written.push(batch[0].id);
      }
      const [fromEast, fromWest] = await Promise.all([east.readAll(), west.readAll()]);
      expect(fromEast.map((e) => e.id)).toEqual(written);
      expect(fromWest.map((e) => [e.id, e.position, e.recordedAt.getTime()])).toEqual(fromEast.map((e) => [e.id, e.position, e.recordedAt.getTime()]));
      // Sequential commits on one server clock: the instants never go back, whatever the session zone.
      const instants = fromEast.map((e) => e.recordedAt.getTime());
      expect(instants).toEqual([...instants].sort((p, q) => p - q));
      expect(await west.verifyStream(stream)).toMatchObject({ valid: true, eventsChecked: 8 });
    });
  });
});
