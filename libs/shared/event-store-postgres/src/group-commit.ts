import { EventStoreUnavailableError, type AppendResult, type EventToAppend, type ExpectedRevision } from '@gongzhi/event-store';

/** An append waiting for (or riding in) a group transaction. */
export interface PendingAppend {
  streamId: string;
  /** Snapshot taken at call time: later mutation by the caller changes nothing. */
  events: PreparedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  /** Set while queued when the queue has a wait limit. */
  queueTimer?: ReturnType<typeof setTimeout>;
}

export interface PreparedEvent extends EventToAppend {
  /** What will be stored, as text; `data`/`metadata` are its parse, so the hash covers what is read back. */
  dataText: string;
  metadataText: string;
}

export interface GroupLimits {
  /** Group transactions in flight at once. */
  maxConcurrentGroups: number;
  maxAppendsPerGroup: number;
  maxEventsPerGroup: number;
  /**
   * An append still queued after this long (every slot busy: the pool is exhausted or the groups
   * in flight are stuck) is taken out of the queue and rejected with EventStoreUnavailableError.
   * Nothing of it was written, so a retry is plain. Without a limit such an append waits as long
   * as the groups ahead of it do, however long that is (PG-2).
   */
  maxQueueWaitMs?: number;
}

/**
 * Collects concurrent appends into group transactions: while `maxConcurrentGroups` groups are in
 * flight, new appends queue, and the next free slot takes as many as the limits allow. An append
 * that arrives when a slot is free starts a group on the next event-loop turn, so a single writer
 * waits no longer than that.
 * Each append keeps its own checks and its own result (see PostgresEventStore.runGroup).
 */
export class GroupCommitQueue {
  private readonly queue: PendingAppend[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly limits: GroupLimits,
    private readonly run: (group: PendingAppend[]) => Promise<void>,
  ) {}

  enqueue(append: PendingAppend): void {
    this.queue.push(append);
    const limit = this.limits.maxQueueWaitMs;
    if (limit !== undefined && Number.isFinite(limit)) append.queueTimer = setTimeout(() => this.expire(append, limit), limit);
    this.schedule();
  }

  /** Rejects everything still queued (not yet in a transaction). */
  rejectQueued(error: unknown): void {
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.queueTimer);
      p.reject(error);
    }
  }

  private expire(append: PendingAppend, limit: number): void {
    const index = this.queue.indexOf(append);
    if (index < 0) return;
    this.queue.splice(index, 1);
    append.reject(
      new EventStoreUnavailableError(
        `Append to ${append.streamId}: no database connection became free within ${limit} ms (pool exhausted or appends stuck); nothing was written`,
      ),
    );
  }

  /** Resolves when every group in flight has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Groups are formed on the next turn of the event loop, not synchronously: callers woken by the
   * previous group's results append again from their promise continuations, and deferring lets
   * all of them join one group instead of the first one leaving alone.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight.size < this.limits.maxConcurrentGroups && this.queue.length > 0) {
      const group = this.take();
      const running: Promise<void> = this.run(group)
        .catch((e) => {
          for (const p of group) p.reject(e);
        })
        .finally(() => {
          this.inFlight.delete(running);
          this.schedule();
        });
      this.inFlight.add(running);
    }
  }

  /**
   * Greedy: one group takes everything queued (up to the limits). Splitting the queue across free
   * slots measured slower: on a CPU-bound server fewer, larger transactions win, and a second slot
   * still serves appends that arrive while a group is in flight.
   */
  private take(): PendingAppend[] {
    const size = this.limits.maxAppendsPerGroup;
    const group = [this.queue.shift() as PendingAppend];
    let events = group[0].events.length;
    while (
      this.queue.length > 0 &&
      group.length < size &&
      events + this.queue[0].events.length <= this.limits.maxEventsPerGroup
    ) {
      const next = this.queue.shift() as PendingAppend;
      events += next.events.length;
      group.push(next);
    }
    for (const p of group) clearTimeout(p.queueTimer);
    return group;
  }
}
