import { PassThrough } from 'node:stream';
import {
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@kurrent/kurrentdb-client';
import type { EsdbClient } from '../esdb-event-store';

/**
 * An in-process stand-in for the KurrentDB client, written from the client's type
 * declarations and KurrentDB's documented behaviour, so the adapter's own logic (idempotency,
 * hash chain, position mapping, retries, paging, subscriptions) can run the contract suite
 * without a server. It is a model of the server, not the server: what it cannot show is
 * listed in the integration spec and the lib's report.
 *
 * Modelled: implicit-commit positions (commit == prepare, with gaps), system events in the
 * log, inclusive `readAll` starts, exclusive subscription starts, stream-name and event-type
 * filters, exact-expected-revision idempotency (a batch already at that revision is success
 * without a write), wrong-expected-version and stream-not-found errors of the client's own
 * classes, raised lazily while iterating a read as the client does.
 */

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  created: Date;
  position: Position;
}

type Listener = (record: StoredRecord) => void;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const matches = (filter: Filter | undefined, r: StoredRecord): boolean => {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? r.type : r.streamId;
  if ('prefixes' in filter) return filter.prefixes.some((p) => subject.startsWith(p));
  return new RegExp(filter.regex).test(subject);
};

const atOrAfter = (r: StoredRecord, from: Position) =>
  r.position.commit > from.commit || (r.position.commit === from.commit && r.position.prepare >= from.prepare);

export class FakeKurrentDBClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly listeners = new Set<Listener>();
  private nextPosition = 1_000n;
  private disposed = false;

  constructor() {
    // What a fresh server already holds: the adapter must never show these.
    this.write('$epochs', [{ id: '00000000-0000-4000-8000-000000000001', type: '$epochInformation', data: {}, metadata: undefined }]);
    this.write('$stats-127.0.0.1:2113', [{ id: '00000000-0000-4000-8000-000000000002', type: '$statsCollected', data: {}, metadata: undefined }]);
  }

  asClient(): EsdbClient {
    return this as unknown as EsdbClient;
  }

  /** Rewrites a stored event behind the adapter's back, keeping its reserved metadata keys. */
  tamper(eventId: string, change: { data?: unknown; metadata?: Record<string, unknown> }): void {
    const r = this.log.find((e) => e.id === eventId);
    if (!r) throw new Error(`No event ${eventId}`);
    if (change.data !== undefined) r.data = JSON.stringify(change.data);
    if (change.metadata !== undefined) {
      const reserved = Object.fromEntries(Object.entries(JSON.parse(r.metadata) as Record<string, unknown>).filter(([k]) => k.startsWith('$gongzhi.')));
      r.metadata = JSON.stringify({ ...change.metadata, ...reserved });
    }
  }

  async appendToStream(streamName: string, event: EventData | EventData[], options: { streamState?: AppendStreamState } = {}): Promise<AppendResult> {
    await tick();
    this.assertUp();
    const events = Array.isArray(event) ? event : [event];
    const state = options.streamState ?? 'any';
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);
    const ok =
      state === 'any' ||
      (state === 'no_stream' && current === undefined) ||
      (state === 'stream_exists' && current !== undefined) ||
      (typeof state === 'bigint' && current === state);
    if (!ok) {
      // KurrentDB's idempotency for an exact expectation: the same ids already follow it.
      const base = state === 'no_stream' ? 0 : typeof state === 'bigint' ? Number(state) + 1 : -1;
      const already = base >= 0 && events.every((e, i) => stream[base + i]?.id === e.id);
      if (already) {
        const last = stream[base + events.length - 1];
        return { success: true, nextExpectedRevision: last.revision, position: last.position };
      }
      throw new WrongExpectedVersionError(undefined, { streamName, expected: state, current: current ?? 'no_stream' });
    }
    const written = this.write(
      streamName,
      events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
    );
    const last = written[written.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(
    streamName: string,
    options: { direction?: 'forwards' | 'backwards'; fromRevision?: ReadRevision; maxCount?: number | bigint } = {},
  ): AsyncIterableIterator<AllStreamResolvedEvent> {
    return async function* (this: FakeKurrentDBClient) {
      await tick();
      this.assertUp();
      const stream = this.streams.get(streamName);
      if (!stream || stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      let selected: StoredRecord[];
      if (options.direction === 'backwards') {
        const from = options.fromRevision === undefined || options.fromRevision === 'end' ? stream.length - 1 : options.fromRevision === 'start' ? 0 : Number(options.fromRevision);
        selected = stream.slice(0, Math.min(from, stream.length - 1) + 1).reverse();
      } else {
        const from = options.fromRevision === undefined || options.fromRevision === 'start' ? 0 : options.fromRevision === 'end' ? stream.length : Number(options.fromRevision);
        selected = stream.slice(from);
      }
      for (const r of selected.slice(0, max)) yield this.resolved(r);
    }.call(this);
  }

  readAll(
    options: { direction?: 'forwards' | 'backwards'; fromPosition?: ReadPosition; maxCount?: number | bigint; filter?: Filter } = {},
  ): AsyncIterableIterator<AllStreamResolvedEvent> {
    return async function* (this: FakeKurrentDBClient) {
      await tick();
      this.assertUp();
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const from = options.fromPosition ?? (options.direction === 'backwards' ? 'end' : 'start');
      let selected: StoredRecord[];
      if (options.direction === 'backwards') {
        if (from !== 'end') throw new Error('The fake reads $all backwards from the end only');
        selected = [...this.log].reverse();
      } else {
        selected = from === 'start' ? this.log : from === 'end' ? [] : this.log.filter((r) => atOrAfter(r, from));
      }
      for (const r of selected.filter((e) => matches(options.filter, e)).slice(0, max)) yield this.resolved(r);
    }.call(this);
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    this.assertUp();
    const out = new PassThrough({ objectMode: true });
    const from = options.fromPosition ?? 'start';
    const listener: Listener = (r) => {
      if (matches(options.filter, r)) out.write(this.resolved(r));
    };
    // Catch-up then live, from after `from` (a subscription's start is exclusive).
    const after = (r: StoredRecord) =>
      from === 'start' ||
      (from !== 'end' && (r.position.commit > from.commit || (r.position.commit === from.commit && r.position.prepare > from.prepare)));
    setImmediate(() => {
      for (const r of this.log) if (after(r)) listener(r);
      this.listeners.add(listener);
    });
    return Object.assign(out, {
      unsubscribe: async () => {
        this.listeners.delete(listener);
      },
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
  }

  private assertUp(): void {
    if (this.disposed) throw new UnavailableError(undefined, 'client disposed');
  }

  private write(streamName: string, events: { id: string; type: string; data: unknown; metadata: unknown }[]): StoredRecord[] {
    const stream = this.streams.get(streamName) ?? [];
    const written = events.map((e, i) => {
      const data = JSON.stringify(e.data);
      const position = this.nextPosition;
      // Log positions are byte offsets: they grow by the record's size, not by one.
      this.nextPosition += BigInt(120 + data.length);
      return {
        streamId: streamName,
        id: e.id,
        revision: BigInt(stream.length + i),
        type: e.type,
        data,
        metadata: e.metadata === undefined ? '' : JSON.stringify(e.metadata),
        created: new Date(),
        position: { commit: position, prepare: position },
      };
    });
    stream.push(...written);
    this.streams.set(streamName, stream);
    this.log.push(...written);
    for (const r of written) for (const l of this.listeners) l(r);
    return written;
  }

  private resolved(r: StoredRecord): AllStreamResolvedEvent {
    return {
      event: {
        streamId: r.streamId,
        id: r.id,
        revision: r.revision,
        type: r.type,
        isJson: true,
        created: r.created,
        data: JSON.parse(r.data),
        metadata: r.metadata === '' ? undefined : JSON.parse(r.metadata),
        position: r.position,
      },
      commitPosition: r.position.commit,
    } as AllStreamResolvedEvent;
  }
}
