import { randomUUID } from 'node:crypto';
import {
  EventStoreUnavailableError,
  InvalidAppendError,
  StreamNotFoundError,
  checkExpectedRevision,
  isStreamNotFoundError,
  classifyExistingIds,
  computeEventHash,
  validateAppend,
  verifyChain,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type JsonValue,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredIdRow,
  type StreamMetadata,
  type StreamRevision,
  type SubscribeToAllOptions,
  type VerifyResult,
} from '@gongzhi/event-store';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  appendStateFor,
  assertEsdbAppendable,
  comparePositions,
  esdbStreamMetadataWith,
  isStreamMissing,
  isWrongExpectedVersion,
  mapResolvedEvent,
  normaliseEventId,
  portStreamMetadataFrom,
  positionToEsdb,
  revisionFromEsdb,
  revisionToEsdb,
  splitMetadata,
  translateEsdbError,
  withChainMetadata,
  type ErrorContext,
  type MappedEvent,
} from './esdb-mapping';
import { esdbAllSubscription } from './esdb-subscription';

/** The client calls the adapter makes (a `KurrentDBClient`, or a stand-in in tests). */
export type EsdbClient = Pick<KurrentDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export interface EsdbEventStoreOptions {
  /**
   * Prepended to every stream id on the server, and the only streams `readAll`,
   * `subscribeToAll` and `headPosition` see (a server-side stream-name prefix filter). Gives a
   * test, or a tenant, an empty log of its own on a shared server. End it with a separator
   * (`test-42:`) so that one prefix is never the start of another. Default: none.
   */
  streamPrefix?: string;
  /**
   * How often an append retries after another writer moved the stream between the adapter's
   * read and its write. Only `any` and `stream_exists` appends can succeed on a retry; an
   * exact expectation fails with ConcurrencyError on the re-read. Default 30.
   */
  maxAppendAttempts?: number;
  /** Whether `close()` disposes the client (default true). */
  ownsClient?: boolean;
}

export interface CreateEsdbEventStoreOptions extends Omit<EsdbEventStoreOptions, 'ownsClient'> {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false` (the older `esdb://` scheme also works). */
  connectionString: string;
}

export const createEsdbEventStore = ({ connectionString, ...options }: CreateEsdbEventStoreOptions): EsdbEventStore =>
  new EsdbEventStore(KurrentDBClient.connectionString(connectionString), { ...options, ownsClient: true });

interface StreamHead {
  current: StreamRevision | undefined;
  lastHash: string | null;
  stored: StoredIdRow[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A copy as it will read back from the server, so the hash covers exactly what is stored. */
const asStored = (value: JsonValue | undefined): JsonValue => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));

/**
 * The EventStore port on EventStoreDB 22.6+ / KurrentDB (the store of record in the
 * distributed deployment).
 *
 * Appends: read the stream backwards (its head, and whether the batch's ids are already in
 * it), apply the port's rules to that read (`classifyExistingIds`, then `checkExpectedRevision`),
 * chain the hashes to the head, and write with the head's exact revision as the expected
 * state. The server thus rejects the write if anything moved in between, which keeps the chain
 * and the checks true; the adapter then re-reads and decides again.
 *
 * Limitation (RELIABILITY.md ES-4, "event ids unique store-wide"): KurrentDB has no index by
 * event id, so a batch whose ids were already used on ANOTHER stream cannot be detected
 * without scanning `$all`, and is written. Within the target stream the port's rule holds
 * fully. (KurrentDB 25.1+ could enforce it with `multiStreamAppend` and one reservation stream
 * per event id written with `no_stream` in the same atomic append; not done here.)
 */
export class EsdbEventStore implements EventStore {
  private readonly prefix: string;
  private readonly maxAppendAttempts: number;
  private readonly ownsClient: boolean;
  private readonly filter: Filter;
  private readonly subscriptions = new Set<AllSubscription>();
  private closed = false;

  constructor(
    private readonly client: EsdbClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.prefix = options.streamPrefix ?? '';
    if (this.prefix.startsWith('$')) throw new Error(`streamPrefix must not start with $ (system streams): ${this.prefix}`);
    this.maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? 30);
    this.ownsClient = options.ownsClient ?? true;
    this.filter = this.prefix ? streamNameFilter({ prefixes: [this.prefix] }) : excludeSystemEvents();
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expected);
    assertEsdbAppendable(streamId, events);
    const batch = events.map((e) => ({ ...e, id: normaliseEventId(e.id) }));
    if (new Set(batch.map((e) => e.id)).size !== batch.length) {
      throw new InvalidAppendError(`Stream ${streamId}: an event id appears twice in one batch (ids compare case-insensitively)`);
    }

    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(streamId, new Set(batch.map((e) => e.id)));
      // Replay detection comes before the revision check: a lost-ack resend carries a now-stale
      // expected revision and must still get its original result (ES-3).
      const replay = classifyExistingIds(streamId, batch, head.stored);
      if (replay) return replay;
      checkExpectedRevision(streamId, expected, head.current);

      const writeId = randomUUID();
      const proposed = this.chain(streamId, batch, head, writeId);
      try {
        const result = await this.client.appendToStream(this.physical(streamId), proposed, {
          streamState: appendStateFor(head.current),
        });
        if (!result.success) throw Object.assign(new Error('wrong expected version'), { type: 'wrong-expected-version' });
        const last = revisionFromEsdb(result.nextExpectedRevision);
        const written = await this.readBack(streamId, last - batch.length + 1, batch);
        return {
          streamId,
          nextExpectedRevision: last,
          positions: written.map((w) => w.event.position),
          // The server answers a batch it already holds at that revision with success and writes
          // nothing; another call's nonce on the first event tells the two apart.
          idempotentReplay: written[0].writeId !== writeId,
        };
      } catch (error) {
        if (isWrongExpectedVersion(error) && attempt < this.maxAppendAttempts) {
          // Jitter spreads retrying writers of one stream apart.
          await sleep(Math.random() * Math.min(50, 2 ** attempt));
          continue;
        }
        throw this.translate(error, { streamId, expected });
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backward = options.direction === 'backward';
    const nothingToRead =
      (options.maxCount !== undefined && options.maxCount <= 0) || (backward && options.fromRevision !== undefined && options.fromRevision < 0);
    if (nothingToRead) {
      if ((await this.streamRevision(streamId)) === undefined) throw new StreamNotFoundError(streamId);
      return [];
    }
    const fromRevision = backward
      ? options.fromRevision === undefined
        ? END
        : revisionToEsdb(options.fromRevision)
      : revisionToEsdb(Math.max(0, options.fromRevision ?? 0));
    const mapped = await this.collect(streamId, () =>
      this.client.readStream(this.physical(streamId), {
        direction: backward ? BACKWARDS : FORWARDS,
        fromRevision,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      }),
    );
    return mapped.map((m) => m.event);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return [];
    const after = options.fromPosition ?? 0n;
    const out: RecordedEvent[] = [];
    // The server reads from a position inclusively; `rawLast` skips what an earlier page (or
    // the start position itself) already covered, and `after` makes the port's start exclusive.
    let rawLast: Position | undefined = after > 0n ? positionToEsdb(after) : undefined;
    try {
      while (out.length < max) {
        const want = Number.isFinite(max) ? max - out.length + 1 : undefined;
        const from: ReadPosition = rawLast ?? START;
        let raw = 0;
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: from,
          filter: this.filter,
          ...(want === undefined ? {} : { maxCount: want }),
        })) {
          raw++;
          const position = resolved.event?.position;
          if (position && rawLast && comparePositions(position, rawLast) <= 0) continue;
          if (position) rawLast = position;
          const mapped = this.map(resolved);
          if (mapped && mapped.event.position > after && (out.length === 0 || mapped.event.position > out[out.length - 1].position)) {
            out.push(mapped.event);
            if (out.length >= max) break;
          }
        }
        // A short page is the end of the log; a full one may have been thinned by the
        // client-side filter, so the loop reads on from the last raw position.
        if (want === undefined || raw < want || out.length >= max) break;
      }
    } catch (error) {
      throw this.translate(error);
    }
    return out;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const from = options.fromPosition;
    const subscription = esdbAllSubscription({
      open: () =>
        this.client.subscribeToAll({
          fromPosition: from !== undefined && from > 0n ? positionToEsdb(from) : START,
          filter: this.filter,
        }),
      ...(from === undefined ? {} : { fromPosition: from }),
      ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
      map: (resolved) => this.map(resolved)?.event,
      translateError: (error) => this.translate(error),
      onClosed: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<StreamRevision | undefined> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readStream(this.physical(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return revisionFromEsdb(resolved.event.revision);
      }
      return undefined;
    } catch (error) {
      if (isStreamMissing(error)) return undefined;
      throw this.translate(error, { streamId });
    }
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    try {
      // The last event the port may see; a wider window only when the newest ones are all
      // filtered out on the client (system events in user streams, which are rare).
      for (let window = 64; ; window *= 8) {
        let raw = 0;
        for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: window, filter: this.filter })) {
          raw++;
          const mapped = this.map(resolved);
          if (mapped) return mapped.event.position;
        }
        if (raw < window) return 0n;
      }
    } catch (error) {
      throw this.translate(error);
    }
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    this.assertOpen();
    return portStreamMetadataFrom((await this.latestStreamMetadata(streamId))?.raw);
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new InvalidAppendError(`Stream ${streamId}: stream metadata must be an object`);
    }
    // Written as the `$metadata` event of the metastream, as the client's setStreamMetadata
    // does, but with the expected revision actually applied (that method passes it under a key
    // appendToStream ignores): a concurrent change by an operator is re-read, not overwritten.
    for (let attempt = 1; ; attempt++) {
      const latest = await this.latestStreamMetadata(streamId);
      try {
        await this.client.appendToStream(
          `$$${this.physical(streamId)}`,
          jsonEvent({ type: '$metadata', data: esdbStreamMetadataWith(latest?.raw, asStored(metadata) as StreamMetadata) }),
          { streamState: appendStateFor(latest?.revision) },
        );
        return;
      } catch (error) {
        if (isWrongExpectedVersion(error) && attempt < this.maxAppendAttempts) continue;
        throw this.translate(error, { streamId });
      }
    }
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    let events: RecordedEvent[] = [];
    try {
      events = await this.readStream(streamId);
    } catch (error) {
      if (!isStreamNotFoundError(error)) throw error;
    }
    return verifyChain(streamId, events);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    if (this.ownsClient) await this.client.dispose();
  }

  private physical(streamId: string): string {
    return this.prefix + streamId;
  }

  private map(resolved: ResolvedEvent | AllStreamResolvedEvent): MappedEvent | undefined {
    return mapResolvedEvent(resolved, this.prefix);
  }

  private translate(error: unknown, context?: ErrorContext): unknown {
    return translateEsdbError(error, context);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The KurrentDB event store is closed');
  }

  /** All mapped events of one stream read; StreamNotFoundError when the stream does not exist. */
  private async collect(streamId: string, read: () => AsyncIterable<ResolvedEvent>): Promise<MappedEvent[]> {
    const out: MappedEvent[] = [];
    try {
      for await (const resolved of read()) {
        const mapped = this.map(resolved);
        if (mapped) out.push(mapped);
      }
    } catch (error) {
      throw this.translate(error, { streamId });
    }
    return out;
  }

  /**
   * The stream's last revision and hash, and where the batch's ids already sit in it. Read from
   * the leader: a lagging follower would only cost a retry, but the ids check must see the
   * latest writes to answer a resend as a replay.
   */
  private async readHead(streamId: string, ids: Set<string>): Promise<StreamHead> {
    const head: StreamHead = { current: undefined, lastHash: null, stored: [] };
    try {
      for await (const resolved of this.client.readStream(this.physical(streamId), {
        direction: BACKWARDS,
        fromRevision: END,
        requiresLeader: true,
      })) {
        const raw = resolved.event;
        if (!raw) continue;
        if (head.current === undefined) {
          head.current = revisionFromEsdb(raw.revision);
          head.lastHash = splitMetadata(raw.metadata).hash;
        }
        const mapped = this.map(resolved);
        if (mapped && ids.delete(mapped.event.id)) {
          const { id, revision, position } = mapped.event;
          head.stored.push({ id, streamId, revision, position });
        }
        if (ids.size === 0) break;
      }
    } catch (error) {
      if (!isStreamMissing(error)) throw this.translate(error, { streamId });
    }
    return head;
  }

  private chain(streamId: string, batch: EventToAppend[], head: StreamHead, writeId: string): EventData[] {
    let prevHash = head.lastHash;
    const first = head.current === undefined ? 0 : head.current + 1;
    return batch.map((e, i) => {
      const data = asStored(e.data);
      const metadata = asStored(e.metadata ?? {}) as Record<string, JsonValue>;
      const hash = computeEventHash({ id: e.id, streamId, revision: first + i, type: e.type, data, metadata }, prevHash);
      const event = jsonEvent({
        id: e.id,
        type: e.type,
        // The port allows any JSON value as data (null, a number); the client's type is narrower
        // but its serialisation (JSON.stringify) is not.
        data: data as JSONType,
        metadata: withChainMetadata(metadata, { hash, prevHash, ...(i === 0 ? { writeId } : {}) }),
      });
      prevHash = hash;
      return event;
    });
  }

  /** The positions the server gave the batch, read back from the leader. */
  private async readBack(streamId: string, firstRevision: StreamRevision, batch: EventToAppend[]): Promise<MappedEvent[]> {
    const written = await this.collect(streamId, () =>
      this.client.readStream(this.physical(streamId), {
        direction: FORWARDS,
        fromRevision: revisionToEsdb(firstRevision),
        maxCount: batch.length,
        requiresLeader: true,
      }),
    );
    if (written.length !== batch.length || written.some((w, i) => w.event.id !== batch[i].id)) {
      throw new Error(`Stream ${streamId}: the events at revisions ${firstRevision}.. are not the batch just appended`);
    }
    return written;
  }

  private async latestStreamMetadata(streamId: string): Promise<{ raw: unknown; revision: StreamRevision } | undefined> {
    try {
      for await (const resolved of this.client.readStream(`$$${this.physical(streamId)}`, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
        requiresLeader: true,
      })) {
        if (resolved.event) return { raw: resolved.event.data, revision: revisionFromEsdb(resolved.event.revision) };
      }
      return undefined;
    } catch (error) {
      if (isStreamMissing(error)) return undefined;
      throw this.translate(error, { streamId });
    }
  }
}
