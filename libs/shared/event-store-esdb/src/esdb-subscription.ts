import { EventStoreUnavailableError, type AllSubscription, type GlobalPosition, type RecordedEvent } from '@gongzhi/event-store';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';

/** The part of the client's `AllStreamSubscription` (a Node Readable in object mode) used here. */
export interface NativeAllSubscription {
  on(event: 'data', listener: (resolved: AllStreamResolvedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
  destroy?(): unknown;
}

export interface EsdbSubscriptionOptions {
  /** Opens the server subscription; called on first iteration, so an unread subscription costs nothing. */
  open: () => NativeAllSubscription;
  /** Exclusive, as in the port. */
  fromPosition?: GlobalPosition;
  maxBatchSize?: number;
  /** undefined for events the port must not see (system events, other prefixes). */
  map: (resolved: AllStreamResolvedEvent) => RecordedEvent | undefined;
  translateError: (error: unknown) => unknown;
  onClosed?: () => void;
}

/**
 * A port subscription over the client's catch-up subscription to `$all`: the server delivers
 * history and then live events on one stream, so there is no switch-over inside the adapter.
 * Events arrive by push; they queue until the consumer pulls, and a batch is whatever has
 * queued (at most `maxBatchSize`). Only positions above the last one queued pass, which makes
 * the start exclusive whatever the server does with `fromPosition`, and drops a duplicate at
 * a server-side catch-up/live transition (SP-6).
 */
export const esdbAllSubscription = (options: EsdbSubscriptionOptions): AllSubscription => {
  const maxBatch = Math.max(1, options.maxBatchSize ?? 500);
  // Backpressure: a slow consumer pauses the server stream instead of growing the queue.
  const highWater = maxBatch * 4;
  const queue: RecordedEvent[] = [];
  let native: NativeAllSubscription | undefined;
  let lastQueued = options.fromPosition ?? -1n;
  let failure: unknown;
  let ended = false;
  let stopped = false;
  let paused = false;
  let wake: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const start = (): NativeAllSubscription => {
    const sub = options.open();
    sub.on('data', (resolved) => {
      if (stopped) return;
      let event: RecordedEvent | undefined;
      try {
        event = options.map(resolved);
      } catch (e) {
        failure ??= e;
      }
      if (event && event.position > lastQueued) {
        queue.push(event);
        lastQueued = event.position;
      }
      if (queue.length >= highWater && !paused) {
        paused = true;
        sub.pause();
      }
      signal();
    });
    sub.on('error', (error) => {
      failure ??= options.translateError(error);
      signal();
    });
    const onEnd = () => {
      ended = true;
      signal();
    };
    sub.on('end', onEnd);
    sub.on('close', onEnd);
    return sub;
  };

  const unsubscribe = (): Promise<void> => {
    stopped = true;
    signal();
    stopping ??= (async () => {
      const sub = native;
      if (sub) {
        // The server stream may already be gone (an error, a closed client): nothing to cancel.
        await sub.unsubscribe().catch(() => undefined);
        sub.destroy?.();
      }
      options.onClosed?.();
    })();
    return stopping;
  };

  async function* batches(): AsyncGenerator<RecordedEvent[]> {
    if (stopped) return;
    native = start();
    try {
      for (;;) {
        if (stopped) return;
        if (queue.length > 0) {
          const batch = queue.splice(0, maxBatch);
          if (paused && queue.length < highWater) {
            paused = false;
            native.resume();
          }
          yield batch;
          continue;
        }
        // Events received before a failure are delivered first; the consumer resumes from the
        // last position it processed.
        if (failure !== undefined) throw failure;
        if (ended) throw new EventStoreUnavailableError('The KurrentDB subscription to $all ended');
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      await unsubscribe();
    }
  }

  let started = false;
  const once = () => {
    if (started) throw new Error('A subscription can be iterated once');
    started = true;
    return batches();
  };

  return {
    batches: once,
    async *[Symbol.asyncIterator]() {
      for await (const batch of once()) {
        for (const event of batch) {
          // The rest of a batch is not handed out after unsubscribe().
          if (stopped) return;
          yield event;
        }
      }
    },
    unsubscribe,
  };
};
