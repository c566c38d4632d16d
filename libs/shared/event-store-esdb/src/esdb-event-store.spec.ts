import { randomUUID } from 'node:crypto';
import { isConcurrencyError, type EventToAppend } from '@gongzhi/event-store';
import { jsonEvent, type AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { EsdbEventStore, type EsdbClient } from './esdb-event-store';
import { HASH_KEY, PREV_HASH_KEY, STREAM_METADATA_KEY, WRITE_ID_KEY } from './esdb-mapping';
import { FakeKurrentDBClient } from './test-support/fake-kurrentdb-client';

/** What the adapter does beyond the contract, over the fake client (see the fake-client spec). */

const events = (n: number): EventToAppend[] => Array.from({ length: n }, (_, i) => ({ id: randomUUID(), type: 'T', data: { i } }));

const raw = async (fake: FakeKurrentDBClient, stream: string) => {
  const out: NonNullable<AllStreamResolvedEvent['event']>[] = [];
  for await (const r of fake.readStream(stream)) if (r.event) out.push(r.event);
  return out;
};

describe('EsdbEventStore', () => {
  it('keeps each stream prefix to its own log on a shared server', async () => {
    const fake = new FakeKurrentDBClient();
    const a = new EsdbEventStore(fake.asClient(), { streamPrefix: 'tenant-a:', ownsClient: false });
    const b = new EsdbEventStore(fake.asClient(), { streamPrefix: 'tenant-b:', ownsClient: false });
    const inA = events(2);
    await a.appendToStream('union.x-1', inA);
    await b.appendToStream('union.x-1', events(1));

    expect((await raw(fake, 'tenant-a:union.x-1')).map((e) => e.id)).toEqual(inA.map((e) => e.id));
    expect((await a.readAll()).map((e) => [e.streamId, e.id])).toEqual(inA.map((e) => ['union.x-1', e.id]));
    expect(await b.readAll()).toHaveLength(1);
    expect(await a.headPosition()).toBe((await a.readAll())[1].position);
    expect(await a.streamRevision('union.x-1')).toBe(1);
  });

  it('stores the chain under reserved metadata keys, and the write nonce on the first event only', async () => {
    const fake = new FakeKurrentDBClient();
    const store = new EsdbEventStore(fake.asClient());
    await store.appendToStream('union.x-2', [{ ...events(1)[0], metadata: { commandId: 'c-1' } }, ...events(1)]);

    const [first, second] = await raw(fake, 'union.x-2');
    const [m1, m2] = [first.metadata, second.metadata] as Record<string, unknown>[];
    expect(m1).toMatchObject({ commandId: 'c-1', [PREV_HASH_KEY]: null, [HASH_KEY]: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(m1[WRITE_ID_KEY]).toEqual(expect.any(String));
    expect(m2).toEqual({ [HASH_KEY]: expect.any(String), [PREV_HASH_KEY]: m1[HASH_KEY] });
    const read = await store.readStream('union.x-2');
    expect(read.map((e) => e.metadata)).toEqual([{ commandId: 'c-1' }, {}]);
  });

  it('setStreamMetadata replaces only its own key and keeps what operators set on the stream', async () => {
    const fake = new FakeKurrentDBClient();
    const store = new EsdbEventStore(fake.asClient());
    await fake.appendToStream('$$union.x-3', jsonEvent({ type: '$metadata', data: { $maxAge: 86400, $acl: { $r: ['ops'] } } }));

    await store.setStreamMetadata('union.x-3', { owner: 'x', maxCount: 1 });

    const meta = await raw(fake, '$$union.x-3');
    expect(meta.map((e) => e.data)).toEqual([
      { $maxAge: 86400, $acl: { $r: ['ops'] } },
      { $maxAge: 86400, $acl: { $r: ['ops'] }, [STREAM_METADATA_KEY]: { owner: 'x', maxCount: 1 } },
    ]);
    expect(await store.getStreamMetadata('union.x-3')).toEqual({ owner: 'x', maxCount: 1 });
  });

  /** A client whose stream gets a competing write just before each of the adapter's appends. */
  const contested = (fake: FakeKurrentDBClient, stream: string, times: number): EsdbClient => {
    let left = times;
    const client = fake.asClient();
    return {
      ...client,
      readStream: client.readStream.bind(fake),
      readAll: client.readAll.bind(fake),
      subscribeToAll: client.subscribeToAll.bind(fake),
      dispose: client.dispose.bind(fake),
      appendToStream: (async (name: string, ...rest: unknown[]) => {
        if (name === stream && left-- > 0) {
          await fake.appendToStream(name, jsonEvent({ id: randomUUID(), type: 'Competitor', data: {} }));
        }
        return (fake.appendToStream as (...a: unknown[]) => unknown)(name, ...rest);
      }) as EsdbClient['appendToStream'],
    };
  };

  it("an 'any' append that loses a race re-reads, re-chains and lands after the competitor", async () => {
    const fake = new FakeKurrentDBClient();
    const store = new EsdbEventStore(contested(fake, 'union.x-4', 2), { maxAppendAttempts: 5 });
    const batch = events(2);

    const result = await store.appendToStream('union.x-4', batch);

    expect(result).toMatchObject({ nextExpectedRevision: 3, idempotentReplay: false });
    const read = await store.readStream('union.x-4');
    expect(read.map((e) => e.type)).toEqual(['Competitor', 'Competitor', 'T', 'T']);
    expect(read.slice(2).map((e) => e.position)).toEqual(result.positions);
    // The competitor wrote without a hash, so the chain breaks there; our events link to it.
    expect(read[2].prevHash).toBe(read[1].hash);
    expect(read[3].prevHash).toBe(read[2].hash);
  });

  it("gives up after maxAppendAttempts with a ConcurrencyError that names the caller's 'any'", async () => {
    const fake = new FakeKurrentDBClient();
    const store = new EsdbEventStore(contested(fake, 'union.x-5', 10), { maxAppendAttempts: 3 });

    const error = await store.appendToStream('union.x-5', events(1)).catch((e: unknown) => e);

    expect(isConcurrencyError(error)).toBe(true);
    expect(error).toMatchObject({ streamId: 'union.x-5', expected: 'any', actual: 2 });
    expect((await raw(fake, 'union.x-5')).map((e) => e.type)).toEqual(['Competitor', 'Competitor', 'Competitor']);
  });

  it('refuses a stream prefix in the system namespace', () => {
    expect(() => new EsdbEventStore(new FakeKurrentDBClient().asClient(), { streamPrefix: '$gongzhi:' })).toThrow(/\$/);
  });
});
