import type { EventToAppend } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import golden from './__fixtures__/dispute-filed.golden.json';
import { disputeDecider, disputeFiledV1ToV2 } from './__fixtures__/labor-dispute.fixture';
import { loadAggregate } from './aggregate-reader';
import { SchemaVersionError } from './errors';
import { UpcasterRegistry } from './upcasting';

const meta = (schemaVersion?: number) => ({ orgUnitPath: 'cn', ...(schemaVersion === undefined ? {} : { schemaVersion }) });

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry([
    disputeFiledV1ToV2,
    { type: 'DisputeFiled', fromVersion: 2, upcast: (d: any) => ({ ...d, channel: 'walk-in' }) },
  ]);

  it('derives the current version from the highest upcaster (1 without any)', () => {
    expect(registry.currentVersion('DisputeFiled')).toBe(3);
    expect(registry.currentVersion('NoteAdded')).toBe(1);
  });

  it('runs the whole chain from the stored version and raises schemaVersion, leaving the input untouched', () => {
    const stored = { type: 'DisputeFiled', data: { disputeId: 'd', claimAmount: 1 }, metadata: meta(1) };
    const snapshot = structuredClone(stored);
    expect(registry.upcast(stored)).toEqual({
      type: 'DisputeFiled',
      data: { disputeId: 'd', claim: { amount: 1, currency: 'CNY' }, channel: 'walk-in' },
      metadata: meta(3),
    });
    expect(stored).toEqual(snapshot);
    expect(registry.upcast({ ...stored, data: { disputeId: 'd', claim: { amount: 1, currency: 'CNY' } }, metadata: meta(2) }).data).toEqual({
      disputeId: 'd',
      claim: { amount: 1, currency: 'CNY' },
      channel: 'walk-in',
    });
  });

  it('returns a current event as is and treats a missing version as 1', () => {
    const current = { type: 'NoteAdded', data: { seq: 1 }, metadata: meta() };
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast({ type: 'DisputeFiled', data: { disputeId: 'd', claimAmount: 2 }, metadata: meta() }).metadata.schemaVersion).toBe(3);
  });

  it('fails loudly on a gap in the chain or a version newer than the code', () => {
    const gappy = new UpcasterRegistry([{ type: 'X', fromVersion: 2, upcast: (d) => d }]);
    expect(() => gappy.upcast({ type: 'X', data: {}, metadata: meta(1) })).toThrow(SchemaVersionError);
    expect(() => registry.upcast({ type: 'NoteAdded', data: {}, metadata: meta(2) })).toThrow(/newer schema/);
    expect(() => registry.upcast({ type: 'NoteAdded', data: {}, metadata: { schemaVersion: 0 } })).toThrow(SchemaVersionError);
  });

  it('rejects a second upcaster for the same version', () => {
    expect(() => new UpcasterRegistry([disputeFiledV1ToV2, disputeFiledV1ToV2])).toThrow(/twice/);
    expect(() => new UpcasterRegistry([{ ...disputeFiledV1ToV2, fromVersion: 0 }])).toThrow(/fromVersion/);
  });
});

describe('SP-7: old events fold to the same state after a schema change (golden fixture)', () => {
  const registry = new UpcasterRegistry([disputeFiledV1ToV2]);

  it.each(['v1', 'v2'] as const)('the %s stream folds to the golden state', async (version) => {
    const store = new InMemoryEventStore();
    await store.appendToStream(golden.streamId, golden[version] as unknown as EventToAppend[]);
    const loaded = await loadAggregate(store, disputeDecider, golden.streamId, { upcasters: registry });
    expect(loaded.state).toEqual(golden.expectedState);
    expect(loaded.revision).toBe(1);
    // The stored v1 payload is still exactly what the fixture holds.
    expect((await store.readStream(golden.streamId)).map((e) => e.data)).toEqual(golden[version].map((e) => e.data));
    await store.close();
  });
});
