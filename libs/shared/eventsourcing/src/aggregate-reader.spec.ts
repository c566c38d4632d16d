import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { disputeDecider, disputeFiledV1ToV2 } from './__fixtures__/labor-dispute.fixture';
import { AggregateReader, aggregateAsOf, loadAggregate } from './aggregate-reader';
import { CommandProcessor } from './command-processor';
import type { RequestContext } from './request-context';
import { UpcasterRegistry } from './upcasting';

const STREAM = 'union.labor-dispute-0b6f6c1e-5d0e-4a8e-9d55-3f1f7c2a9b10';
const ctx = (now: string): RequestContext => ({
  actor: { userId: 'staff-1', roles: [], orgUnitPath: 'cn.43.4310' },
  correlationId: 'corr',
  now,
});

describe('as-of queries', () => {
  let store: InMemoryEventStore;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    const p = new CommandProcessor(store);
    await p.handle(disputeDecider, STREAM, { type: 'FileDispute', data: { disputeId: 'd', amount: 100 } }, ctx('2024-01-10T02:00:00.000Z'));
    await p.handle(disputeDecider, STREAM, { type: 'AddNote', data: { text: 'a' } }, ctx('2024-02-01T00:00:00.000Z'));
    await p.handle(disputeDecider, STREAM, { type: 'StartMediation', data: { committeeId: 'c' } }, ctx('2024-03-01T00:00:00.000Z'));
  });

  afterEach(() => store.close());

  it('folds only the events that had occurred by the instant', async () => {
    const before = await aggregateAsOf(store, disputeDecider, STREAM, new Date('2024-01-01T00:00:00Z'));
    expect(before).toEqual({ state: { status: 'None' }, revision: -1, exists: false });

    const february = await aggregateAsOf(store, disputeDecider, STREAM, new Date('2024-02-15T00:00:00Z'));
    expect(february.revision).toBe(1);
    expect(february.state).toMatchObject({ status: 'Filed', notes: 1 });

    const now = await aggregateAsOf(store, disputeDecider, STREAM, new Date('2025-01-01T00:00:00Z'));
    expect(now.state).toMatchObject({ status: 'Mediating' });
    expect(now).toEqual(await loadAggregate(store, disputeDecider, STREAM));
  });

  it('includes an event that occurred exactly at the instant, comparing instants not strings', async () => {
    // 10:00 in Beijing is 02:00 UTC: the moment the dispute was filed.
    const atFiling = await aggregateAsOf(store, disputeDecider, STREAM, '2024-01-10T10:00:00+08:00');
    expect(atFiling.state).toMatchObject({ status: 'Filed', notes: 0 });
    const justBefore = await aggregateAsOf(store, disputeDecider, STREAM, '2024-01-10T09:59:59.999+08:00');
    expect(justBefore.exists).toBe(false);
  });

  it('stops at the first later event, so a backdated event appended afterwards is not folded out of order', async () => {
    await new CommandProcessor(store).handle(disputeDecider, STREAM, { type: 'AddNote', data: { text: 'backdated' } }, ctx('2024-01-20T00:00:00.000Z'));
    const asOf = await aggregateAsOf(store, disputeDecider, STREAM, '2024-01-25T00:00:00Z');
    expect(asOf.revision).toBe(0);
    expect(asOf.state).toMatchObject({ notes: 0 });
  });

  it('answers for a stream that does not exist with the initial state', async () => {
    expect(await aggregateAsOf(store, disputeDecider, 'union.labor-dispute-none', new Date())).toEqual({
      state: { status: 'None' },
      revision: -1,
      exists: false,
    });
    await expect(aggregateAsOf(store, disputeDecider, STREAM, 'not a date')).rejects.toThrow(RangeError);
  });

  it('upcasts through the injected registry in AggregateReader', async () => {
    await store.appendToStream('union.labor-dispute-old', [
      {
        id: 'f1c7f0a2-0000-4000-8000-000000000001',
        type: 'DisputeFiled',
        data: { disputeId: 'old', claimAmount: 7 },
        metadata: { orgUnitPath: 'cn', actor: { userId: 'u' }, occurredAt: '2019-01-01T00:00:00.000Z', schemaVersion: 1 },
      },
    ]);
    const reader = new AggregateReader(store, new UpcasterRegistry([disputeFiledV1ToV2]));
    expect((await reader.aggregateAsOf(disputeDecider, 'union.labor-dispute-old', '2019-06-01T00:00:00Z')).state).toMatchObject({
      status: 'Filed',
      claim: { amount: 7, currency: 'CNY' },
    });
    expect((await reader.load(disputeDecider, STREAM)).revision).toBe(2);
  });
});
