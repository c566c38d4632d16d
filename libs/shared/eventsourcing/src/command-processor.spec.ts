import { ConcurrencyError, isEventStoreUnavailableError, type EventStore } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { DisputeAlreadyFiled, DisputeNotFiled, disputeDecider, disputeFiledV1ToV2 } from './__fixtures__/labor-dispute.fixture';
import type { Clock } from './clock';
import { CommandProcessor, aggregateIdFromStreamId } from './command-processor';
import { CommandConflictError, InvalidRequestContextError, MissingOrgUnitPathError, SchemaVersionError } from './errors';
import { eventIdFor } from './event-ids';
import type { CommandObservation } from './metrics';
import type { RequestContext } from './request-context';
import { UpcasterRegistry } from './upcasting';

const DISPUTE_ID = '0b6f6c1e-5d0e-4a8e-9d55-3f1f7c2a9b10';
const STREAM = `union.labor-dispute-${DISPUTE_ID}`;
const NOW = '2024-03-01T08:00:00.000Z';
const clock: Clock = { now: () => new Date(NOW) };

const ctx = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  actor: { userId: 'staff-1', roles: ['union-staff'], orgUnitId: 'ou-songling', orgUnitPath: 'cn.32.3205.320509.songling' },
  correlationId: 'corr-1',
  ...overrides,
});

const file = { type: 'FileDispute', data: { disputeId: DISPUTE_ID, amount: 12800 } } as const;
const note = (text: string) => ({ type: 'AddNote', data: { text } }) as const;

/**
 * Wraps a store so that `beforeAppend` runs just before each append reaches it: a concurrent
 * writer slipping in between the processor's read and its append.
 */
const racing = (inner: EventStore, beforeAppend: (call: number) => Promise<void>) => {
  let calls = 0;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          calls++;
          await beforeAppend(calls);
          return target.appendToStream(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, appendCalls: () => calls };
};

describe('CommandProcessor', () => {
  let store: InMemoryEventStore;
  let observations: CommandObservation[];
  let processor: CommandProcessor;

  beforeEach(() => {
    store = new InMemoryEventStore();
    observations = [];
    processor = new CommandProcessor(store, { clock, observer: { onCommand: (o) => observations.push(o) } });
  });

  afterEach(() => store.close());

  it('appends the decided events to a new stream and reports them', async () => {
    const result = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1' }));

    expect(result).toEqual({
      aggregateId: DISPUTE_ID,
      streamId: STREAM,
      revision: 0,
      idempotentReplay: false,
      events: [{ id: eventIdFor('cmd-1', 0), type: 'DisputeFiled', revision: 0, position: 1n }],
    });
    const [stored] = await store.readStream(STREAM);
    expect(stored.data).toEqual({ disputeId: DISPUTE_ID, claim: { amount: 12800, currency: 'CNY' } });
    expect(observations).toEqual([
      expect.objectContaining({ commandType: 'FileDispute', streamId: STREAM, outcome: 'appended', attempts: 1, eventCount: 1 }),
    ]);
  });

  it('folds the existing stream before deciding', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx());
    await processor.handle(disputeDecider, STREAM, note('first'), ctx());
    const result = await processor.handle(disputeDecider, STREAM, note('second'), ctx());

    expect(result.revision).toBe(2);
    const events = await store.readStream(STREAM);
    expect(events.map((e) => e.data)).toEqual([expect.anything(), { seq: 1, text: 'first' }, { seq: 2, text: 'second' }]);
  });

  it('stamps every event with the command metadata', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1', causationId: 'kafka-msg-9' }));
    await processor.handle(disputeDecider, STREAM, note('n'), ctx({ commandId: 'cmd-2', actor: { userId: 'staff-2', roles: [] } }), {
      orgUnitPath: (state) => (state.status === 'None' ? undefined : state.orgUnitPath),
    });

    const [filed, noted] = await store.readStream(STREAM);
    expect(filed.metadata).toEqual({
      eventId: eventIdFor('cmd-1', 0),
      commandId: 'cmd-1',
      correlationId: 'corr-1',
      causationId: 'kafka-msg-9',
      actor: { userId: 'staff-1', orgUnitId: 'ou-songling' },
      orgUnitPath: 'cn.32.3205.320509.songling',
      occurredAt: NOW,
      schemaVersion: 1,
    });
    // An actor without an org unit acts in the aggregate's scope, taken from its state.
    expect(noted.metadata).toEqual({
      eventId: eventIdFor('cmd-2', 0),
      commandId: 'cmd-2',
      correlationId: 'corr-1',
      causationId: 'cmd-2',
      actor: { userId: 'staff-2' },
      orgUnitPath: 'cn.32.3205.320509.songling',
      occurredAt: NOW,
      schemaVersion: 1,
    });
  });

  it('gives decide the clock time, or the time the caller fixed, and uses it as occurredAt', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx());
    await processor.handle(disputeDecider, STREAM, { type: 'StartMediation', data: { committeeId: 'c-1' } }, ctx({ now: '2024-03-05T00:00:00.000Z' }));

    const [, started] = await store.readStream(STREAM);
    expect(started.data).toEqual({ committeeId: 'c-1', startedAt: '2024-03-05T00:00:00.000Z', windowEndsAt: '2024-03-20T00:00:00.000Z' });
    expect(started.metadata.occurredAt).toBe('2024-03-05T00:00:00.000Z');
  });

  it('uses an explicit orgUnitPath option over the actor’s', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx(), { orgUnitPath: 'cn.32.3205.320509.songling.c01' });
    const [filed] = await store.readStream(STREAM);
    expect(filed.metadata.orgUnitPath).toBe('cn.32.3205.320509.songling.c01');
  });

  it('refuses to append events without a scope', async () => {
    const noScope = ctx({ actor: { userId: 'system', roles: [] } });
    await expect(processor.handle(disputeDecider, STREAM, file, noScope)).rejects.toBeInstanceOf(MissingOrgUnitPathError);
    expect(await store.streamRevision(STREAM)).toBeUndefined();
  });

  it('derives event ids from the commandId and the index, the same on every store', async () => {
    const other = new InMemoryEventStore();
    const a = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'same-command' }));
    const b = await new CommandProcessor(other, { clock }).handle(disputeDecider, STREAM, file, ctx({ commandId: 'same-command' }));
    const c = await processor.handle(disputeDecider, 'union.labor-dispute-other', file, ctx({ commandId: 'other-command' }));
    await other.close();

    expect(a.events[0].id).toBe(eventIdFor('same-command', 0));
    expect(b.events[0].id).toBe(a.events[0].id);
    expect(c.events[0].id).not.toBe(a.events[0].id);
    expect(eventIdFor('same-command', 1)).not.toBe(eventIdFor('same-command', 0));
    expect(a.events[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('generates a commandId when none is given, so two sends are two commands', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx());
    await processor.handle(disputeDecider, STREAM, note('x'), ctx());
    await processor.handle(disputeDecider, STREAM, note('x'), ctx());
    const events = await store.readStream(STREAM);
    expect(events.map((e) => e.data)).toEqual([expect.anything(), { seq: 1, text: 'x' }, { seq: 2, text: 'x' }]);
    expect(new Set(events.map((e) => e.metadata.commandId)).size).toBe(3);
  });

  describe('concurrency', () => {
    it('re-reads and re-decides when a concurrent writer appended between read and append', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      const { store: raced, appendCalls } = racing(store, async (call) => {
        if (call === 1) await store.appendToStream(STREAM, [{ id: 'b1c7f0a2-0000-4000-8000-000000000001', type: 'NoteAdded', data: { seq: 1, text: 'by someone else' } }]);
      });
      const racedProcessor = new CommandProcessor(raced, { clock, observer: { onCommand: (o) => observations.push(o) } });

      const result = await racedProcessor.handle(disputeDecider, STREAM, note('mine'), ctx({ commandId: 'cmd-note' }));

      expect(appendCalls()).toBe(2);
      expect(result.revision).toBe(2);
      expect(result.idempotentReplay).toBe(false);
      const events = await store.readStream(STREAM);
      // Decided again on the newer state: the note is the second one, not a second "first".
      expect(events.map((e) => e.data)).toEqual([expect.anything(), { seq: 1, text: 'by someone else' }, { seq: 2, text: 'mine' }]);
      expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'appended', attempts: 2 }));
    });

    it('gives up after maxRetries lost races with a CommandConflictError and appends nothing of its own', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      let foreign = 0;
      const { store: raced, appendCalls } = racing(store, async () => {
        foreign++;
        await store.appendToStream(STREAM, [{ id: `b1c7f0a2-0000-4000-8000-00000000000${foreign}`, type: 'NoteAdded', data: { seq: foreign, text: 'other' } }]);
      });
      const racedProcessor = new CommandProcessor(raced, { clock, maxRetries: 2, observer: { onCommand: (o) => observations.push(o) } });

      const error = await racedProcessor.handle(disputeDecider, STREAM, note('mine'), ctx({ commandId: 'cmd-note' })).catch((e) => e);

      expect(error).toBeInstanceOf(CommandConflictError);
      expect(error).toMatchObject({ code: 'EVENTSOURCING.CONFLICT', streamId: STREAM, expected: 2, actual: 3, attempts: 3 });
      expect(error.cause).toBeInstanceOf(ConcurrencyError);
      expect(appendCalls()).toBe(3);
      const events = await store.readStream(STREAM);
      expect(events.map((e) => e.metadata.commandId ?? 'foreign')).not.toContain('cmd-note');
      expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'conflict', attempts: 3, errorCode: 'EVENTSOURCING.CONFLICT' }));
    });

    it('defaults to 3 retries', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      let n = 0;
      const { store: raced, appendCalls } = racing(store, async () => {
        n++;
        await store.appendToStream(STREAM, [{ id: `c1c7f0a2-0000-4000-8000-00000000000${n}`, type: 'NoteAdded', data: { seq: n, text: 'other' } }]);
      });
      await expect(new CommandProcessor(raced, { clock }).handle(disputeDecider, STREAM, note('mine'), ctx())).rejects.toBeInstanceOf(CommandConflictError);
      expect(appendCalls()).toBe(4);
    });

    it('reports a stale caller-given expectedRevision as a conflict at once, without deciding or appending', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      await processor.handle(disputeDecider, STREAM, note('a'), ctx());
      const { store: spied, appendCalls } = racing(store, async () => undefined);

      const error = await new CommandProcessor(spied, { clock })
        .handle(disputeDecider, STREAM, note('b'), ctx(), { expectedRevision: 0 })
        .catch((e) => e);

      expect(error).toBeInstanceOf(CommandConflictError);
      expect(error).toMatchObject({ expected: 0, actual: 1, attempts: 1 });
      expect(appendCalls()).toBe(0);
      expect(await store.streamRevision(STREAM)).toBe(1);
    });

    it('does not retry when the stream moves between read and append and the caller named the revision', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      const { store: raced, appendCalls } = racing(store, async (call) => {
        if (call === 1) await store.appendToStream(STREAM, [{ id: 'd1c7f0a2-0000-4000-8000-000000000001', type: 'NoteAdded', data: { seq: 1, text: 'other' } }]);
      });

      const error = await new CommandProcessor(raced, { clock })
        .handle(disputeDecider, STREAM, note('mine'), ctx(), { expectedRevision: 0 })
        .catch((e) => e);

      expect(error).toBeInstanceOf(CommandConflictError);
      expect(error).toMatchObject({ expected: 0, actual: 1, attempts: 1 });
      expect(appendCalls()).toBe(1);
      expect(await store.streamRevision(STREAM)).toBe(1);
    });

    it('accepts a caller-given expectedRevision that matches, and -1 for a new stream', async () => {
      const created = await processor.handle(disputeDecider, STREAM, file, ctx(), { expectedRevision: -1 });
      const noted = await processor.handle(disputeDecider, STREAM, note('a'), ctx(), { expectedRevision: created.revision });
      expect(noted.revision).toBe(1);
      await expect(processor.handle(disputeDecider, 'union.labor-dispute-x', file, ctx(), { expectedRevision: 0 })).rejects.toMatchObject({
        expected: 0,
        actual: -1,
      });
    });
  });

  describe('idempotency', () => {
    it('returns the original result and appends nothing when a command is resent at once (lost ack)', async () => {
      const first = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1' }));
      const head = await store.headPosition();

      const again = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1' }));

      expect(again).toEqual({ ...first, idempotentReplay: true });
      expect(await store.headPosition()).toBe(head);
      expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'replayed', eventCount: 1 }));
    });

    it('returns the original result when the resend arrives after the stream moved on and the decider would now refuse', async () => {
      const first = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-file' }));
      await processor.handle(disputeDecider, STREAM, note('later'), ctx({ commandId: 'cmd-later' }));
      const head = await store.headPosition();

      // Deciding FileDispute again would throw DisputeAlreadyFiled.
      const again = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-file' }));

      expect(again).toEqual({ ...first, idempotentReplay: true });
      expect(again.revision).toBe(0);
      expect(await store.headPosition()).toBe(head);
    });

    it('returns the original result when the resend would now decide different events', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      const first = await processor.handle(disputeDecider, STREAM, note('mine'), ctx({ commandId: 'cmd-note' }));
      await processor.handle(disputeDecider, STREAM, note('other'), ctx());

      const again = await processor.handle(disputeDecider, STREAM, note('mine'), ctx({ commandId: 'cmd-note' }));

      expect(again).toEqual({ ...first, idempotentReplay: true });
      expect((await store.readStream(STREAM)).map((e) => e.data)).toEqual([
        expect.anything(),
        { seq: 1, text: 'mine' },
        { seq: 2, text: 'other' },
      ]);
    });

    it('replays even against a caller-given expectedRevision that is now stale', async () => {
      const first = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1' }), { expectedRevision: -1 });
      const again = await processor.handle(disputeDecider, STREAM, file, ctx({ commandId: 'cmd-1' }), { expectedRevision: -1 });
      expect(again).toEqual({ ...first, idempotentReplay: true });
    });

    it('stores one copy when the same command runs twice concurrently, and both callers get its result', async () => {
      await processor.handle(disputeDecider, STREAM, file, ctx());
      const [a, b] = await Promise.all([
        processor.handle(disputeDecider, STREAM, note('once'), ctx({ commandId: 'cmd-twice' })),
        processor.handle(disputeDecider, STREAM, note('once'), ctx({ commandId: 'cmd-twice' })),
      ]);
      expect(a.events).toEqual(b.events);
      expect([a.idempotentReplay, b.idempotentReplay].sort()).toEqual([false, true]);
      expect(await store.streamRevision(STREAM)).toBe(1);
    });
  });

  it('appends nothing and reports the current revision when decide returns no events', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx());
    const head = await store.headPosition();
    const { store: spied, appendCalls } = racing(store, async () => undefined);

    const result = await new CommandProcessor(spied, { clock, observer: { onCommand: (o) => observations.push(o) } }).handle(
      disputeDecider,
      STREAM,
      { type: 'CheckDispute', data: {} },
      ctx({ commandId: 'cmd-check' }),
    );

    expect(result).toEqual({ aggregateId: DISPUTE_ID, streamId: STREAM, revision: 0, idempotentReplay: false, events: [] });
    expect(appendCalls()).toBe(0);
    expect(await store.headPosition()).toBe(head);
    expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'no_op', eventCount: 0 }));
  });

  it('lets domain errors through unchanged and appends nothing', async () => {
    await processor.handle(disputeDecider, STREAM, file, ctx());
    const error = await processor.handle(disputeDecider, STREAM, file, ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(DisputeAlreadyFiled);
    expect(error.code).toBe('TEST.DISPUTE_ALREADY_FILED');
    expect(error.details).toEqual({ disputeId: DISPUTE_ID });
    await expect(processor.handle(disputeDecider, 'union.labor-dispute-none', note('x'), ctx())).rejects.toBeInstanceOf(DisputeNotFiled);
    expect(await store.streamRevision(STREAM)).toBe(0);
    expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'rejected', errorCode: 'TEST.DISPUTE_NOT_FILED' }));
  });

  it('lets store failures through and reports them as failed', async () => {
    await store.close();
    const error = await processor.handle(disputeDecider, STREAM, file, ctx()).catch((e) => e);
    expect(isEventStoreUnavailableError(error)).toBe(true);
    expect(observations.at(-1)).toEqual(expect.objectContaining({ outcome: 'failed', errorCode: 'EVENT_STORE.UNAVAILABLE' }));
  });

  it('never lets a throwing observer change the result', async () => {
    const p = new CommandProcessor(store, { clock, observer: { onCommand: () => { throw new Error('metrics down'); } } });
    await expect(p.handle(disputeDecider, STREAM, file, ctx())).resolves.toMatchObject({ revision: 0 });
  });

  it.each([
    ['no actor', { actor: undefined }],
    ['an empty user id', { actor: { userId: '', roles: [] } }],
    ['no correlation id', { correlationId: '' }],
    ['a local time as now', { now: '2024-03-01 08:00' }],
    ['an empty commandId', { commandId: '' }],
  ])('rejects a request context with %s', async (_why, overrides) => {
    await expect(processor.handle(disputeDecider, STREAM, file, { ...ctx(), ...(overrides as Partial<RequestContext>) })).rejects.toBeInstanceOf(
      InvalidRequestContextError,
    );
  });

  describe('upcasting', () => {
    const seedV1 = () =>
      store.appendToStream(STREAM, [
        {
          id: 'e1c7f0a2-0000-4000-8000-000000000001',
          type: 'DisputeFiled',
          data: { disputeId: DISPUTE_ID, claimAmount: 5000 },
          metadata: {
            commandId: 'old', correlationId: 'old', causationId: 'old', actor: { userId: 'staff-0' },
            orgUnitPath: 'cn.32', occurredAt: '2020-01-01T00:00:00.000Z', schemaVersion: 1,
          },
        },
      ]);

    it('upcasts stored v1 events before evolve, stamps new events with the current version, and never rewrites the old ones', async () => {
      await seedV1();
      const before = await store.readStream(STREAM);
      const p = new CommandProcessor(store, { clock, upcasters: new UpcasterRegistry([disputeFiledV1ToV2]) });

      // StartMediation requires a Filed state, which only the upcast event produces.
      await p.handle(disputeDecider, STREAM, { type: 'StartMediation', data: { committeeId: 'c-1' } }, ctx());
      await p.handle(disputeDecider, 'union.labor-dispute-new', file, ctx());

      const [oldEvent, started] = await store.readStream(STREAM);
      expect(oldEvent).toEqual(before[0]);
      expect(oldEvent.data).toEqual({ disputeId: DISPUTE_ID, claimAmount: 5000 });
      expect(started.type).toBe('MediationStarted');
      expect(started.metadata.schemaVersion).toBe(1);
      const [fresh] = await store.readStream('union.labor-dispute-new');
      expect(fresh.metadata.schemaVersion).toBe(2);
      expect((await store.verifyStream(STREAM)).valid).toBe(true);
    });

    it('refuses to fold an event stored by a newer schema than it knows', async () => {
      await store.appendToStream(STREAM, [
        { id: 'e1c7f0a2-0000-4000-8000-000000000002', type: 'DisputeFiled', data: {}, metadata: { orgUnitPath: 'cn', schemaVersion: 3 } },
      ]);
      const p = new CommandProcessor(store, { clock, upcasters: new UpcasterRegistry([disputeFiledV1ToV2]) });
      await expect(p.handle(disputeDecider, STREAM, note('x'), ctx())).rejects.toBeInstanceOf(SchemaVersionError);
    });
  });
});

describe('aggregateIdFromStreamId', () => {
  it('takes the UUID at the end of the stream id, even when the aggregate name has dashes', () => {
    expect(aggregateIdFromStreamId(`union.labor-dispute-${DISPUTE_ID}`)).toBe(DISPUTE_ID);
    expect(aggregateIdFromStreamId('community.grid-case-42')).toBe('42');
  });

  it('is overridden by options.aggregateId', async () => {
    const store = new InMemoryEventStore();
    const result = await new CommandProcessor(store, { clock }).handle(disputeDecider, 'community.work-order-WO-2024-7', file, ctx(), {
      aggregateId: 'WO-2024-7',
    });
    expect(result.aggregateId).toBe('WO-2024-7');
    await store.close();
  });
});
