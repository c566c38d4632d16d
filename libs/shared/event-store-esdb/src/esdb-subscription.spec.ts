import { PassThrough } from 'node:stream';
import { isEventStoreUnavailableError, type RecordedEvent } from '@gongzhi/event-store';
import { UnavailableError, type AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { mapResolvedEvent, translateEsdbError } from './esdb-mapping';
import { esdbAllSubscription, type NativeAllSubscription } from './esdb-subscription';

/** The client's subscription is an object-mode Readable with unsubscribe(); so is this one. */
const nativeStub = () => {
  const stream = new PassThrough({ objectMode: true });
  let unsubscribed = 0;
  const native = Object.assign(stream, {
    unsubscribe: async () => {
      unsubscribed++;
    },
  }) as unknown as NativeAllSubscription & PassThrough;
  return { native, unsubscribedCount: () => unsubscribed };
};

let n = 0;
const clientEvent = (commit: bigint, over: { streamId?: string; type?: string } = {}): AllStreamResolvedEvent =>
  ({
    event: {
      streamId: over.streamId ?? 'union.x-1',
      id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      revision: BigInt(n),
      type: over.type ?? 'T',
      isJson: true,
      created: new Date(0),
      data: { n },
      metadata: {},
      position: { commit, prepare: commit },
    },
    commitPosition: commit,
  }) as AllStreamResolvedEvent;

const subscription = (stub: ReturnType<typeof nativeStub>, options: { fromPosition?: bigint; maxBatchSize?: number } = {}) => {
  let opened = 0;
  const sub = esdbAllSubscription({
    open: () => {
      opened++;
      return stub.native;
    },
    map: (resolved) => mapResolvedEvent(resolved)?.event,
    translateError: (e) => translateEsdbError(e),
    ...options,
  });
  return { sub, opened: () => opened };
};

const positions = (events: RecordedEvent[]) => events.map((e) => e.position);

describe('esdbAllSubscription', () => {
  it('opens the server subscription only when iterated', async () => {
    const stub = nativeStub();
    const { sub, opened } = subscription(stub);
    expect(opened()).toBe(0);
    const it = sub.batches()[Symbol.asyncIterator]();
    stub.native.write(clientEvent(10n));
    expect(positions((await it.next()).value)).toEqual([10n]);
    expect(opened()).toBe(1);
    await sub.unsubscribe();
  });

  it('groups what has arrived into batches of at most maxBatchSize, in order', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub, { maxBatchSize: 2 });
    const it = sub.batches()[Symbol.asyncIterator]();
    const first = it.next();
    const sent = [10n, 20n, 30n, 40n, 50n];
    for (const p of sent) stub.native.write(clientEvent(p));

    const batches: RecordedEvent[][] = [(await first).value];
    while (batches.flat().length < sent.length) batches.push((await it.next()).value);
    for (const batch of batches) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(2);
    }
    expect(positions(batches.flat())).toEqual(sent);
    // Five queued events fit in three batches of two: what has arrived is not handed out one by one.
    expect(batches.length).toBeLessThanOrEqual(4);
    await sub.unsubscribe();
  });

  it('delivers only positions after fromPosition and drops repeats and system events', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub, { fromPosition: 20n });
    const it = sub[Symbol.asyncIterator]();
    const received: RecordedEvent[] = [];
    const reading = (async () => {
      while (received.length < 2) received.push((await it.next()).value);
    })();
    stub.native.write(clientEvent(20n)); // the start position itself: exclusive
    stub.native.write(clientEvent(30n));
    stub.native.write(clientEvent(30n)); // delivered twice by the server at a catch-up/live switch
    stub.native.write(clientEvent(35n, { streamId: '$stats-node', type: '$statsCollected' }));
    stub.native.write(clientEvent(40n));
    await reading;
    expect(positions(received)).toEqual([30n, 40n]);
    await sub.unsubscribe();
  });

  it('unsubscribe ends a pending iteration, cancels the server stream once, and is idempotent', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub);
    const it = sub[Symbol.asyncIterator]();
    stub.native.write(clientEvent(10n));
    stub.native.write(clientEvent(20n));
    expect((await it.next()).value.position).toBe(10n);

    // The rest of the batch already taken from the queue is not handed out after unsubscribe.
    await sub.unsubscribe();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await sub.unsubscribe();
    expect(stub.unsubscribedCount()).toBe(1);
  });

  it('delivers what arrived before a server error, then throws it as the port error', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub);
    const it = sub.batches()[Symbol.asyncIterator]();
    stub.native.write(clientEvent(10n));
    const first = await it.next();
    stub.native.emit('error', new UnavailableError(undefined, 'connection lost'));

    expect(positions(first.value)).toEqual([10n]);
    const error = await it.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isEventStoreUnavailableError(error)).toBe(true);
    expect(stub.unsubscribedCount()).toBe(1);
  });

  it('a server stream that ends on its own is an error, not a quiet end of the log', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub);
    const it = sub.batches()[Symbol.asyncIterator]();
    const pending = it.next();
    stub.native.end();
    await expect(pending).rejects.toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE' });
  });

  it('can be iterated once', async () => {
    const stub = nativeStub();
    const { sub } = subscription(stub);
    sub.batches();
    expect(() => sub.batches()).toThrow(/once/);
    await sub.unsubscribe();
  });
});
