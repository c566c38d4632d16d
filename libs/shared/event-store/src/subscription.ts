import type { AllSubscription, GlobalPosition, RecordedEvent } from './types';

/**
 * Wakes waiting subscribers when this process appends, so live delivery is immediate; writes by
 * other processes are picked up by the poll interval.
 */
export class AppendNotifier {
  private waiters = new Set<() => void>();
  /** Bumped on every notify, so a waiter that read before an append does not sleep past it. */
  private version = 0;

  /** Take this before reading; pass it to wait() so an append in between is not missed. */
  get currentVersion(): number {
    return this.version;
  }

  notify(): void {
    this.version++;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const w of waiters) w();
  }

  /**
   * Resolves on the next notify(), after `timeoutMs`, or when `signal` aborts — at once when a
   * notify happened since `seenVersion` was taken.
   */
  wait(timeoutMs: number, signal?: AbortSignal, seenVersion?: number): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted || (seenVersion !== undefined && seenVersion !== this.version)) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export interface PollingSubscriptionOptions {
  readAll(fromPosition: GlobalPosition | undefined, maxCount: number): Promise<RecordedEvent[]>;
  notifier: AppendNotifier;
  fromPosition?: GlobalPosition;
  maxBatchSize?: number;
  pollIntervalMs?: number;
}

/**
 * Catch-up and live are the same loop over `readAll`, so there is no switch-over at which an
 * event could be skipped or delivered twice (SP-6): the position only moves to the last event
 * delivered, and `readAll` itself never returns an event past one that is not yet visible.
 */
export const pollingSubscription = (options: PollingSubscriptionOptions): AllSubscription => {
  const maxBatch = options.maxBatchSize ?? 500;
  const pollMs = options.pollIntervalMs ?? 250;
  const abort = new AbortController();
  let position = options.fromPosition;

  async function* batches(): AsyncGenerator<RecordedEvent[]> {
    while (!abort.signal.aborted) {
      const seen = options.notifier.currentVersion;
      const batch = await options.readAll(position, maxBatch);
      if (abort.signal.aborted) return;
      if (batch.length === 0) {
        await options.notifier.wait(pollMs, abort.signal, seen);
        continue;
      }
      position = batch[batch.length - 1].position;
      yield batch;
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
      for await (const batch of once()) yield* batch;
    },
    async unsubscribe() {
      abort.abort();
    },
  };
};

/** A store's open subscriptions, so `close()` can end every one of them. */
export class SubscriptionSet {
  private readonly open = new Set<AllSubscription>();

  get size(): number {
    return this.open.size;
  }

  /** Wraps `inner` so that unsubscribing it also forgets it here. */
  track(inner: AllSubscription): AllSubscription {
    const subscription: AllSubscription = {
      batches: () => inner.batches(),
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      unsubscribe: async () => {
        this.open.delete(subscription);
        await inner.unsubscribe();
      },
    };
    this.open.add(subscription);
    return subscription;
  }

  async unsubscribeAll(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.unsubscribe()));
  }
}
