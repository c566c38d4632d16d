import type { AppendResult, EventToAppend, ExpectedRevision } from '@gongzhi/event-store';

/** An append waiting for (or riding in) a group transaction. */
export interface PendingAppend {
  streamId: string;
  /** Snapshot taken at call time: later mutation by the caller changes nothing. */
  events: PreparedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
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
}

/**
 * Collects concurrent appends into group transactions: while `maxConcurrentGroups` groups are in
 * flight, new appends queue, and the next free slot takes as many as the limits allow. An append
 * that arrives when a slot is free runs at once, alone, so a single writer pays no added latency.
 * Each append keeps its own checks and its own result (see PostgresEventStore.runGroup).
 */
export class GroupCommitQueue {
  private readonly queue: PendingAppend[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly limits: GroupLimits,
    private readonly run: (group: PendingAppend[]) => Promise<void>,
  ) {}

  enqueue(append: PendingAppend): void {
    this.queue.push(append);
    this.pump();
  }

  /** Rejects everything still queued (not yet in a transaction). */
  rejectQueued(error: unknown): void {
    for (const p of this.queue.splice(0)) p.reject(error);
  }

  /** Resolves when every group in flight has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
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
          this.pump();
        });
      this.inFlight.add(running);
    }
  }

  private take(): PendingAppend[] {
    const group = [this.queue.shift() as PendingAppend];
    let events = group[0].events.length;
    while (
      this.queue.length > 0 &&
      group.length < this.limits.maxAppendsPerGroup &&
      events + this.queue[0].events.length <= this.limits.maxEventsPerGroup
    ) {
      const next = this.queue.shift() as PendingAppend;
      events += next.events.length;
      group.push(next);
    }
    return group;
  }
}
