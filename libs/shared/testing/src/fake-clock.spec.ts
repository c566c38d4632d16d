import { CommandProcessor } from '@gongzhi/eventsourcing';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import type { Decider, Event, Command } from '@gongzhi/kernel';
import { FakeClock } from './fake-clock';
import { aCommandMetadata, aRequestContext, anEventMetadata, TEST_NOW, TEST_ORG_UNIT_PATH } from './fixtures';

describe('FakeClock', () => {
  it('stands still until set or advanced', () => {
    const clock = new FakeClock('2024-03-01T08:00:00.000Z');
    expect(clock.nowIso()).toBe('2024-03-01T08:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-03-01T08:00:00.000Z');
    clock.advance({ days: 15 });
    expect(clock.nowIso()).toBe('2024-03-16T08:00:00.000Z');
    clock.advance({ hours: 1, minutes: 30, seconds: 5, milliseconds: 7 }).advance(-7);
    expect(clock.nowIso()).toBe('2024-03-16T09:30:05.000Z');
    clock.set('2025-01-01T00:00:00+08:00');
    expect(clock.nowIso()).toBe('2024-12-31T16:00:00.000Z');
  });

  it('returns a fresh Date, so a caller mutating it does not move the clock', () => {
    const clock = new FakeClock();
    clock.now().setFullYear(1990);
    expect(clock.nowIso()).toBe(TEST_NOW);
  });

  it('rejects invalid instants and units', () => {
    expect(() => new FakeClock('soon')).toThrow(RangeError);
    expect(() => new FakeClock().advance({ weeks: 1 } as never)).toThrow(/weeks/);
  });

  it('drives the command processor’s now', async () => {
    type Pinged = Event<'Pinged', { at: string }>;
    type Ping = Command<'Ping', Record<string, never>>;
    const decider: Decider<null, Ping, Pinged> = {
      initialState: null,
      decide: (c) => [{ type: 'Pinged', data: { at: c.metadata.now } }],
      evolve: (s) => s,
    };
    const store = new InMemoryEventStore();
    const clock = new FakeClock('2024-03-01T00:00:00.000Z');
    const processor = new CommandProcessor(store, { clock });
    await processor.handle(decider, 'test.ping-1', { type: 'Ping', data: {} }, aRequestContext());
    clock.advance({ days: 1 });
    await processor.handle(decider, 'test.ping-1', { type: 'Ping', data: {} }, aRequestContext());
    const events = await store.readStream('test.ping-1');
    expect(events.map((e) => e.metadata.occurredAt)).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z']);
    expect(events.map((e) => e.data)).toEqual([{ at: '2024-03-01T00:00:00.000Z' }, { at: '2024-03-02T00:00:00.000Z' }]);
    await store.close();
  });
});

describe('fixtures', () => {
  it('builds a request context with a scoped staff actor, overridable in part', () => {
    expect(aRequestContext()).toEqual({
      correlationId: 'test-correlation-1',
      actor: { userId: 'test-staff-1', roles: ['staff'], orgUnitId: 'ou-test-songling', orgUnitPath: TEST_ORG_UNIT_PATH },
    });
    const ctx = aRequestContext({ commandId: 'cmd-9', actor: { roles: ['analyst'] } });
    expect(ctx.commandId).toBe('cmd-9');
    expect(ctx.actor).toEqual({ userId: 'test-staff-1', roles: ['analyst'], orgUnitId: 'ou-test-songling', orgUnitPath: TEST_ORG_UNIT_PATH });
  });

  it('builds command and event metadata at TEST_NOW', () => {
    expect(aCommandMetadata({ commandId: 'x' })).toMatchObject({ now: TEST_NOW, commandId: 'x', orgUnitPath: TEST_ORG_UNIT_PATH });
    expect(anEventMetadata({ schemaVersion: 2 })).toMatchObject({ occurredAt: TEST_NOW, schemaVersion: 2, orgUnitPath: TEST_ORG_UNIT_PATH });
  });
});
