import { checkExpectedRevision, classifyExistingIds, validateAppend } from './append-rules';
import { EventStoreUnavailableError, StreamNotFoundError } from './errors';
import { computeEventHash, verifyChain } from './hash-chain';
import { AppendNotifier, pollingSubscription, SubscriptionSet } from './subscription';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  GlobalPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  StreamRevision,
  SubscribeToAllOptions,
  VerifyResult,
} from './types';

export interface InMemoryEventStoreOptions {
  /** Store clock for `recordedAt` (domain time lives in metadata). */
  clock?: () => Date;
  /** Live delivery is driven by the notifier; the poll only bounds a missed wake-up. */
  pollIntervalMs?: number;
}

/**
 * The EventStore port in process memory, for unit tests. Same rules as the durable adapters
 * (shared append rules, store-wide unique event ids, hash chain), held to them by the contract
 * suite. An append runs without an `await` between its check and its write, so it is atomic
 * with respect to every other call.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly metadata = new Map<string, StreamMetadata>();
  private readonly notifier = new AppendNotifier();
  private readonly subscriptions = new SubscriptionSet();
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expected);

    const stored = events.flatMap((e) => {
      const row = this.byId.get(e.id);
      return row ? [{ id: row.id, streamId: row.streamId, revision: row.revision, position: row.position }] : [];
    });
    // Replay detection comes before the revision check: a lost-ack resend carries a now-stale
    // expected revision and must still get its original result (ES-3).
    const replay = classifyExistingIds(streamId, events, stored);
    if (replay) return replay;

    const stream = this.streams.get(streamId) ?? [];
    checkExpectedRevision(streamId, expected, stream.length === 0 ? undefined : stream.length - 1);

    const recordedAt = this.clock();
    let prevHash = stream.length === 0 ? null : stream[stream.length - 1].hash;
    const appended: RecordedEvent[] = events.map((e, i) => {
      const content = {
        id: e.id,
        streamId,
        revision: stream.length + i,
        type: e.type,
        data: cloneJson(e.data),
        metadata: cloneJson(e.metadata ?? {}),
      };
      const hash = computeEventHash(content, prevHash);
      const recorded: RecordedEvent = {
        ...content,
        position: BigInt(this.log.length + i + 1),
        recordedAt: new Date(recordedAt.getTime()),
        hash,
        prevHash,
      };
      prevHash = hash;
      return recorded;
    });

    for (const e of appended) {
      this.log.push(e);
      this.byId.set(e.id, e);
    }
    this.streams.set(streamId, stream.concat(appended));
    this.notifier.notify();
    return {
      streamId,
      nextExpectedRevision: appended[appended.length - 1].revision,
      positions: appended.map((e) => e.position),
      idempotentReplay: false,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0) throw new StreamNotFoundError(streamId);
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return [];
    let slice: RecordedEvent[];
    if (options.direction === 'backward') {
      const from = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1);
      if (from < 0) return [];
      slice = stream.slice(Math.max(0, from + 1 - max), from + 1).reverse();
    } else {
      const from = Math.max(0, options.fromRevision ?? 0);
      slice = stream.slice(from, from + max);
    }
    return slice.map(copy);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    // Positions are 1..n, so the event after `fromPosition` sits at index `fromPosition`.
    const start = options.fromPosition === undefined || options.fromPosition < 0n ? 0 : Number(options.fromPosition);
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return [];
    return this.log.slice(start, start + max).map(copy);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const inner = pollingSubscription({
      readAll: (fromPosition, maxCount) =>
        this.closed ? Promise.resolve([]) : this.readAll({ fromPosition, maxCount }),
      notifier: this.notifier,
      fromPosition: options.fromPosition,
      maxBatchSize: options.maxBatchSize,
      pollIntervalMs: this.pollIntervalMs,
    });
    return this.subscriptions.track(inner);
  }

  async streamRevision(streamId: string): Promise<StreamRevision | undefined> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    return stream && stream.length > 0 ? stream.length - 1 : undefined;
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    return BigInt(this.log.length);
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    this.assertOpen();
    const m = this.metadata.get(streamId);
    return m === undefined ? undefined : cloneJson(m);
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    this.metadata.set(streamId, cloneJson(metadata));
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    return verifyChain(streamId, this.streams.get(streamId) ?? []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.unsubscribeAll();
  }

  /**
   * Test hook: overwrites a stored event's data and/or metadata in place without touching its
   * hash, as someone editing the database by hand would, so tamper detection can be tested.
   */
  tamperWithEvent(eventId: string, change: { data?: RecordedEvent['data']; metadata?: RecordedEvent['metadata'] }): void {
    const event = this.byId.get(eventId);
    if (!event) throw new Error(`No event ${eventId}`);
    if (change.data !== undefined) event.data = cloneJson(change.data);
    if (change.metadata !== undefined) event.metadata = cloneJson(change.metadata);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The in-memory event store is closed');
  }
}

/**
 * Stored values go through JSON like they do in the durable stores, so a value that would not
 * survive them (undefined, NaN, a Date) does not survive here either.
 */
const cloneJson = <T>(value: T): T => (value === undefined ? null : JSON.parse(JSON.stringify(value))) as T;

/** Callers get their own copies, so mutating a returned event never changes the log. */
const copy = (e: RecordedEvent): RecordedEvent => ({
  ...e,
  data: cloneJson(e.data),
  metadata: cloneJson(e.metadata),
  recordedAt: new Date(e.recordedAt.getTime()),
});
