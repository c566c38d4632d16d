import {
  AppendNotifier,
  ConcurrencyError,
  DuplicateEventError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  checkExpectedRevision,
  classifyExistingIds,
  computeEventHash,
  isEventStoreError,
  pollingSubscription,
  validateAppend,
  verifyChain,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type JsonObject,
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
import { Client, Pool, type PoolClient } from 'pg';
import { HeadCache, type StreamHead } from './head-cache';
import { GroupCommitQueue, type PendingAppend, type PreparedEvent } from './group-commit';
import { TEST_HOOKS, type AppendTestHooks } from './internal-test-hooks';
import { isTransientConflict, isUnavailable, isUniqueViolation, translateError } from './pg-errors';
import { MAX_EVENTS_PER_TRANSACTION } from './position';
import { Statements } from './sql';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** PostgreSQL schema holding the tables (default `gongzhi`). */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * Concurrent appends from this process share one transaction and one fsync (default true).
   * Each append keeps its own expected-revision check, idempotency check and result.
   */
  groupCommit?: boolean;
  /** Group transactions in flight at once (default 2). */
  maxConcurrentGroups?: number;
  /** Appends per group transaction (default 64). */
  maxAppendsPerGroup?: number;
  /**
   * NOTIFY after appends commit and LISTEN while subscribed, so subscribers in other processes
   * wake at once instead of at the next poll (default true).
   */
  notify?: boolean;
  /** Subscribers poll at least this often (default 250 ms); in-process appends wake them at once. */
  pollIntervalMs?: number;
  /**
   * Passed to pg for connection attempts (default 10 s). Also the longest an append waits for a
   * group slot, i.e. for a connection, before failing with EventStoreUnavailableError (PG-2).
   */
  connectionTimeoutMillis?: number;
}

export interface LagReport {
  /** Highest committed position in the table, whether or not readers may see it yet. */
  headPosition: GlobalPosition;
  /** Highest position readers may see now (what `headPosition()` returns). */
  safeHeadPosition: GlobalPosition;
  /** Committed events after the given position. */
  eventsBehind: number;
  /** Of those, events held back by an append transaction still open (ES-11). */
  eventsHeldBack: number;
}

const MAX_GROUP_ATTEMPTS = 5;
/**
 * Least time between two NOTIFYs: under a steady load one NOTIFY per append cost about as much
 * server time as the append's own statement (measured by the benchmark, tools/bench), so other
 * processes are woken at most this much later instead. The first append after a quiet spell
 * notifies at once.
 */
const NOTIFY_INTERVAL_MS = 5;

/** Marks an error thrown by a test hook so it reaches the caller as it is, unretried. */
class HookFailure {
  constructor(readonly error: unknown) {}
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: JsonValue;
  metadata: JsonObject;
  recorded_at: Date;
  hash: string;
  prev_hash: string | null;
}

const toRecorded = (r: EventRow): RecordedEvent => ({
  id: r.event_id,
  streamId: r.stream_id,
  type: r.type,
  revision: r.revision,
  position: BigInt(r.position),
  data: r.data,
  metadata: r.metadata,
  recordedAt: r.recorded_at,
  hash: r.hash,
  prevHash: r.prev_hash,
});

const prepare = (e: EventToAppend): PreparedEvent => {
  const dataText = JSON.stringify(e.data === undefined ? null : e.data) ?? 'null';
  const metadataText = JSON.stringify(e.metadata ?? {});
  return { id: e.id, type: e.type, dataText, metadataText, data: JSON.parse(dataText), metadata: JSON.parse(metadataText) };
};

/** cached: guess heads, write in one round trip; read: read then write; locked: BEGIN, lock, read, write, COMMIT. */
type AttemptMode = 'cached' | 'read' | 'locked';

type Outcome =
  | { kind: 'write'; nextExpectedRevision: number }
  | { kind: 'replay'; nextExpectedRevision: number }
  | { kind: 'error'; error: unknown };

/**
 * The EventStore port on PostgreSQL (`pg`). Global order and why subscribers never skip a late
 * commit: position.ts. Appends: one transaction per group of concurrent appends, per-stream
 * advisory locks, store-wide unique event ids, a per-stream hash chain.
 */
export class PostgresEventStore implements EventStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly sql: Statements;
  private readonly notifier = new AppendNotifier();
  private readonly queue: GroupCommitQueue;
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly pollIntervalMs: number;
  private readonly notify: boolean;
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly statementNames = new Map<string, string>();
  private readonly heads = new HeadCache();
  private notifying = false;
  private notifyPending = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotifyAt = Number.NEGATIVE_INFINITY;
  /** Internal test hooks (internal-test-hooks.ts); never set outside this library's tests. */
  [TEST_HOOKS]: AppendTestHooks = {};

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'gongzhi';
    this.sql = new Statements(this.schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.notify = options.notify ?? true;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    });
    // An idle connection dropped by the server (restart, pg_terminate_backend) must not crash the
    // process; the pool discards it and the next call gets a fresh one.
    this.pool.on('error', () => undefined);
    const grouped = options.groupCommit ?? true;
    this.queue = new GroupCommitQueue(
      {
        maxConcurrentGroups: grouped ? Math.max(1, options.maxConcurrentGroups ?? 2) : Number.POSITIVE_INFINITY,
        maxAppendsPerGroup: grouped ? Math.max(1, options.maxAppendsPerGroup ?? 64) : 1,
        maxEventsPerGroup: Math.min(MAX_EVENTS_PER_TRANSACTION, 50_000),
        maxQueueWaitMs: options.connectionTimeoutMillis ?? 10_000,
      },
      (group) => this.runGroup(group),
    );
  }

  /**
   * Creates the schema and tables if missing (idempotent, safe to run from several processes at
   * once), then checks for a log restored from another cluster (position.ts).
   */
  async ensureSchema(): Promise<void> {
    await this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1)::bigint)', [`gongzhi.ensure-schema.${this.schema}`]);
        for (const ddl of this.sql.schemaDdl) await client.query(ddl);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      await client.query('BEGIN');
      try {
        const needed = async () => {
          const { rows } = await client.query(this.sql.restoreCheck);
          const { max_hi, next_xid, xid_offset } = rows[0] as { max_hi: string | null; next_xid: string; xid_offset: string };
          if (max_hi === null) return undefined;
          const offset = BigInt(xid_offset);
          return BigInt(max_hi) >= BigInt(next_xid) + offset ? BigInt(max_hi) - BigInt(next_xid) + 1n : undefined;
        };
        if ((await needed()) !== undefined) {
          // Appends wait for this lock, and their INSERT takes its snapshot after it, so each
          // one computes its positions with either the old offset, committed before, or the new.
          await client.query(this.sql.lockEventsTable);
          const offset = await needed();
          if (offset !== undefined) await client.query(this.sql.setOffset, [offset.toString()]);
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }, 'ensureSchema');
  }

  appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    try {
      this.assertOpen();
      const expected = options.expectedRevision ?? 'any';
      validateAppend(streamId, events, expected);
      const prepared = events.map(prepare);
      return new Promise<AppendResult>((resolve, reject) =>
        this.queue.enqueue({ streamId, events: prepared, expected, resolve, reject }),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const max = options.maxCount;
    const backward = options.direction === 'backward';
    const from = options.fromRevision ?? (backward ? 2_147_483_647 : 0);
    let rows: EventRow[] = [];
    if ((max === undefined || max > 0) && !(backward && from < 0)) {
      const sql = backward ? this.sql.readStreamBackward : this.sql.readStreamForward;
      const clamped = Math.max(-1, Math.min(from, 2_147_483_647));
      rows = (await this.query<EventRow>(sql, [streamId, clamped, max ?? null], 'readStream')).rows;
    }
    if (rows.length === 0 && (await this.streamRevision(streamId)) === undefined) throw new StreamNotFoundError(streamId);
    // A forward read to the end gives the head an append right after it (load, decide, append)
    // will guess, saving that append its read round trip.
    if (!backward && rows.length > 0 && (max === undefined || rows.length < max)) {
      const last = rows[rows.length - 1];
      this.heads.set(streamId, { revision: last.revision, hash: last.hash });
    }
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const from = (options.fromPosition ?? 0n).toString();
    const rows = await this.boundedQuery<EventRow>(this.sql.readAll, [from, options.maxCount ?? null], 'readAll');
    return rows.filter((r) => r.position !== null).map(toRecorded);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    if (this.notify) this.startListener();
    const inner = pollingSubscription({
      readAll: (fromPosition, maxCount) => this.readForSubscription(fromPosition, maxCount),
      notifier: this.notifier,
      fromPosition: options.fromPosition,
      maxBatchSize: options.maxBatchSize,
      pollIntervalMs: this.pollIntervalMs,
    });
    const subscription: AllSubscription = {
      batches: () => inner.batches(),
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      unsubscribe: async () => {
        this.subscriptions.delete(subscription);
        await inner.unsubscribe();
        if (this.subscriptions.size === 0) await this.stopListener();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<StreamRevision | undefined> {
    this.assertOpen();
    const { rows } = await this.query<{ revision: number }>(this.sql.streamRevision, [streamId], 'streamRevision');
    return rows.length === 0 ? undefined : rows[0].revision;
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    const rows = await this.boundedQuery<{ head: string }>(this.sql.headPosition, [], 'headPosition');
    return BigInt(rows[0].head);
  }

  /**
   * How far a consumer at `position` is behind, and how much of that an open append transaction
   * holds back (ES-11): alert when `eventsHeldBack` stays above 0.
   */
  async lag(position: GlobalPosition = 0n): Promise<LagReport> {
    this.assertOpen();
    const rows = await this.boundedQuery<{ head: string; safe_head: string; behind: string; held_back: string }>(
      this.sql.lag,
      [position.toString()],
      'lag',
    );
    const r = rows[0];
    return {
      headPosition: BigInt(r.head),
      safeHeadPosition: BigInt(r.safe_head),
      eventsBehind: Number(r.behind),
      eventsHeldBack: Number(r.held_back),
    };
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    this.assertOpen();
    const { rows } = await this.query<{ metadata: StreamMetadata }>(this.sql.getMetadata, [streamId], 'getStreamMetadata');
    return rows.length === 0 ? undefined : rows[0].metadata;
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    await this.query(this.sql.setMetadata, [streamId, JSON.stringify(metadata)], 'setStreamMetadata');
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    const { rows } = await this.query<EventRow>(this.sql.readStreamForward, [streamId, 0, null], 'verifyStream');
    return verifyChain(streamId, rows.map(toRecorded));
  }

  /** Stops new calls, lets append transactions in flight finish, ends subscriptions and the pool. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.closing = (async () => {
        this.queue.rejectQueued(new EventStoreUnavailableError('The PostgreSQL event store is closed'));
        await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
        await this.queue.drain();
        await this.stopListener();
        await this.pool.end();
      })();
    }
    return this.closing;
  }

  /**
   * One transaction for a group of appends. Decisions are made per append in queue order, exactly
   * as if the appends had run one after another: each gets its own result or its own typed error,
   * and only the accepted events are written, by one call of append_group_v4 (sql.ts).
   *
   * Fast path: decide on the heads this process last saw (HeadCache) and call append_group_v4 on
   * its own, one round trip that locks the streams, checks the heads and that none of the ids is
   * stored, writes and commits. Without cached heads, read heads and stored ids first (two round
   * trips). If another writer moved a stream meanwhile, the check fails, nothing is written, and
   * the group is decided again from a fresh read; after another miss it takes the contended path:
   * BEGIN, lock the streams, read, decide, write, COMMIT, where only a race on an event id of
   * another stream can still miss. Conflicts, duplicates and replays are only ever reported from
   * a database read, never from the cache. A unique violation or deadlock reruns the group, and the rerun
   * sees the winner's rows and classifies them (replay or DuplicateEventError). Any other failure
   * of a multi-append group reruns its appends one by one, so one bad append fails alone.
   */
  private async runGroup(group: PendingAppend[]): Promise<void> {
    let mode: AttemptMode = this.cachedHeadsCover(group) ? 'cached' : 'read';
    for (let attempt = 1; ; attempt++) {
      try {
        const settle = await this.tryGroup(group, mode);
        if (settle) return settle();
        for (const p of group) this.heads.delete(p.streamId);
        if (attempt >= MAX_GROUP_ATTEMPTS) throw new EventStoreUnavailableError('Append: the streams kept changing under contention; retry');
        mode = mode === 'cached' ? 'read' : 'locked';
      } catch (e) {
        if (e instanceof HookFailure) {
          for (const p of group) p.reject(e.error);
          return;
        }
        for (const p of group) this.heads.delete(p.streamId);
        if ((isUniqueViolation(e) || isTransientConflict(e)) && attempt < MAX_GROUP_ATTEMPTS) {
          mode = 'locked';
          continue;
        }
        if (isUnavailable(e) || isEventStoreError(e) || group.length === 1) {
          const error = await this.finalError(e, group);
          for (const p of group) p.reject(error);
          return;
        }
        for (const p of group) await this.runGroup([p]);
        return;
      }
    }
  }

  /** Whether every stream of the group has a cached head, or is expected not to exist yet. */
  private cachedHeadsCover(group: PendingAppend[]): boolean {
    return group.every((p) => this.heads.get(p.streamId) !== undefined || p.expected === 'no_stream' || p.expected === -1);
  }

  private async finalError(e: unknown, group: PendingAppend[]): Promise<unknown> {
    const [p] = group;
    if (group.length === 1 && isUniqueViolation(e)) {
      const constraint = (e as { constraint?: string }).constraint ?? '';
      if (constraint.includes('event_id')) return new DuplicateEventError(p.streamId, p.events.map((ev) => ev.id));
      const actual = await this.streamRevision(p.streamId).catch(() => undefined);
      return new ConcurrencyError(p.streamId, p.expected, actual ?? 'no_stream');
    }
    return translateError(e, group.length === 1 ? `Append to ${p.streamId}` : 'Append');
  }

  /**
   * Runs one attempt. Returns the function that settles every append of the group, or undefined
   * when the heads it decided on turned out stale and nothing was written.
   */
  private async tryGroup(group: PendingAppend[], mode: AttemptMode): Promise<(() => void) | undefined> {
    this[TEST_HOOKS].onGroup?.(group.length);
    const hook = this[TEST_HOOKS].beforeCommit;
    return this.withClient(async (client) => {
      const streamIds = [...new Set(group.map((p) => p.streamId))];
      const groupIds = group.flatMap((p) => p.events.map((e) => e.id));
      const explicit = mode === 'locked' || hook !== undefined;
      if (explicit) await client.query('BEGIN');
      try {
        const heads = new Map<string, StreamHead>();
        const stored = new Map<string, StoredIdRow>();
        if (mode === 'cached') {
          // Guess: cached heads, no id of the batch stored yet (fresh ids are the normal case).
          for (const id of streamIds) {
            const head = this.heads.get(id);
            if (head) heads.set(id, head);
          }
        } else {
          if (mode === 'locked') await client.query(this.prepared(this.sql.lockStreams, [this.sql.lockClass, streamIds]));
          const { rows } = await client.query<{ kind: 's' | 'e'; stream_id: string; revision: number; hash: string | null; event_id: string | null; position: string | null }>(
            this.prepared(this.sql.readStreamsAndIds, [streamIds, groupIds]),
          );
          for (const r of rows) {
            if (r.kind === 's') heads.set(r.stream_id, { revision: r.revision, hash: r.hash as string });
            else stored.set(r.event_id as string, { id: r.event_id as string, streamId: r.stream_id, revision: r.revision, position: BigInt(r.position as string) });
          }
        }
        const readHeads = streamIds.map((id) => heads.get(id));
        const knownIds = stored.size;

        const { outcomes, insert } = this.decide(group, heads, stored);
        // A guess is only good for writing: a conflict, duplicate or replay is reported from a
        // fresh read, never from the cache.
        if (mode === 'cached' && outcomes.some((o) => o.kind !== 'write')) {
          if (explicit) await client.query('ROLLBACK');
          return undefined;
        }

        const positions = new Map<string, bigint>();
        for (const [id, row] of stored) if (row.position >= 0n) positions.set(id, row.position);
        if (insert.ids.length > 0) {
          const written = [...new Set(insert.streams)];
          const { rows: called } = await client.query<{ hi: string | null }>(
            this.prepared(this.sql.appendGroup, [
              this.sql.lockClass, streamIds, readHeads.map((h) => h?.revision ?? null), readHeads.map((h) => h?.hash ?? null),
              groupIds, knownIds, insert.rows.join(',').replace(/^/, '[') + ']',
              written, written.map((id) => heads.get(id)?.revision), written.map((id) => heads.get(id)?.hash),
            ]),
          );
          if (called[0].hi === null) {
            if (explicit) await client.query('ROLLBACK');
            return undefined;
          }
          const hi = BigInt(called[0].hi);
          insert.ids.forEach((id, i) => positions.set(id, hi | BigInt(i)));
        }

        if (hook) {
          try {
            await hook({ streamIds, backendPid: (client as unknown as { processID: number }).processID });
          } catch (e) {
            throw new HookFailure(e);
          }
        }
        if (explicit) await client.query('COMMIT');
        for (const [id, head] of heads) this.heads.set(id, head);
        if (insert.ids.length > 0) {
          this.notifier.notify();
          this.notifyOtherProcesses();
        }

        return () =>
          group.forEach((p, i) => {
            const outcome = outcomes[i];
            if (outcome.kind === 'error') return p.reject(outcome.error);
            p.resolve({
              streamId: p.streamId,
              nextExpectedRevision: outcome.nextExpectedRevision,
              positions: p.events.map((e) => positions.get(e.id) as bigint),
              idempotentReplay: outcome.kind === 'replay',
            });
          });
      } catch (e) {
        if (explicit) await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }, undefined);
  }

  /**
   * The port's rules, applied to each append of the group in queue order against `heads` and
   * `stored` (updated as appends are accepted, so later appends of the group see earlier ones as
   * committed). Events of accepted appends are hash-chained and collected for one insert.
   */
  private decide(group: PendingAppend[], heads: Map<string, StreamHead>, stored: Map<string, StoredIdRow>) {
    const outcomes: Outcome[] = [];
    const insert = { ids: [] as string[], streams: [] as string[], rows: [] as string[] };
    for (const p of group) {
      try {
        const known = p.events.flatMap((e) => stored.get(e.id) ?? []);
        const replay = classifyExistingIds(p.streamId, p.events, known);
        if (replay) {
          outcomes.push({ kind: 'replay', nextExpectedRevision: replay.nextExpectedRevision });
          continue;
        }
        const head = heads.get(p.streamId);
        checkExpectedRevision(p.streamId, p.expected, head?.revision);
        let revision = head?.revision ?? -1;
        let prevHash = head?.hash ?? null;
        for (const e of p.events) {
          revision += 1;
          const hash = computeEventHash({ id: e.id, streamId: p.streamId, revision, type: e.type, data: e.data, metadata: e.metadata ?? {} }, prevHash);
          insert.ids.push(e.id);
          insert.streams.push(p.streamId);
          // Built from the already serialised data and metadata: no second serialisation.
          insert.rows.push(
            `{"i":${JSON.stringify(e.id)},"s":${JSON.stringify(p.streamId)},"r":${revision},"t":${JSON.stringify(e.type)},` +
              `"d":${e.dataText},"m":${e.metadataText},"h":"${hash}","p":${prevHash === null ? 'null' : `"${prevHash}"`}}`,
          );
          stored.set(e.id, { id: e.id, streamId: p.streamId, revision, position: -1n });
          prevHash = hash;
        }
        heads.set(p.streamId, { revision, hash: prevHash as string });
        outcomes.push({ kind: 'write', nextExpectedRevision: revision });
      } catch (e) {
        if (!isEventStoreError(e)) throw e;
        outcomes.push({ kind: 'error', error: e });
      }
    }
    return { outcomes, insert };
  }

  private async readForSubscription(fromPosition: GlobalPosition | undefined, maxCount: number): Promise<RecordedEvent[]> {
    if (this.closed) return [];
    try {
      return await this.readAll({ fromPosition, maxCount });
    } catch (e) {
      // A lost connection or a restarting server: keep the subscription and try again after the
      // poll interval (PG-1). Anything else is a bug and ends the iteration with the error.
      if (this.closed) return [];
      if (isEventStoreError(e) && e.retriable) {
        await new Promise((r) => setTimeout(r, this.pollIntervalMs));
        return [];
      }
      throw e;
    }
  }

  /**
   * Wakes subscribers in other processes (LISTEN) after a commit. Sent outside the append
   * transaction on purpose: a transaction that NOTIFYs takes a cluster-wide lock through its
   * commit, fsync included, which would serialise every append. Coalesced: at most one NOTIFY in
   * flight, at most one per NOTIFY_INTERVAL_MS, and one more after it if appends committed
   * meanwhile. Best effort; subscribers poll.
   */
  private notifyOtherProcesses(): void {
    if (!this.notify || this.closed) return;
    this.notifyPending = true;
    if (this.notifying || this.notifyTimer) return;
    const wait = this.lastNotifyAt + NOTIFY_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.notifyTimer = setTimeout(() => {
        this.notifyTimer = undefined;
        this.notifyOtherProcesses();
      }, wait);
      return;
    }
    // This NOTIFY covers every append committed before it is sent.
    this.notifyPending = false;
    this.notifying = true;
    this.lastNotifyAt = performance.now();
    this.pool
      .query(this.prepared(this.sql.notify, [this.sql.notifyChannel]))
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        if (this.notifyPending) this.notifyOtherProcesses();
      });
  }

  private startListener(): void {
    if (this.listener || this.listenerStarting || this.closed) return;
    const client = new Client({ connectionString: this.options.connectionString });
    const drop = () => {
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      // Without the listener, subscribers still see other processes' appends at the next poll;
      // try again later while someone is subscribed.
      if (!this.closed && this.subscriptions.size > 0) setTimeout(() => this.subscriptions.size > 0 && this.startListener(), 1000).unref();
    };
    client.on('error', drop);
    client.on('notification', () => this.notifier.notify());
    this.listenerStarting = (async () => {
      try {
        await client.connect();
        await client.query(this.sql.listen);
        if (this.closed || this.subscriptions.size === 0) await client.end();
        else this.listener = client;
      } catch {
        drop();
      } finally {
        this.listenerStarting = undefined;
      }
    })();
  }

  private async stopListener(): Promise<void> {
    await this.listenerStarting;
    const client = this.listener;
    this.listener = undefined;
    if (client) {
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Hot statements are prepared once per connection (named): planning the CTE-heavy append and
   * read statements on every call cost more server CPU than running them.
   */
  private prepared(text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
    let name = this.statementNames.get(text);
    if (!name) {
      name = `gz_${this.sql.lockClass.toString(36)}_${this.statementNames.size}`;
      this.statementNames.set(text, name);
    }
    return { name, text, values };
  }

  /**
   * Runs a statement that applies the read bound, again (a new snapshot) while the bound was set
   * by a transaction that ended mid-statement (sql.ts), at most three times: the result is always
   * safe, the retries only keep a reader from lagging a poll behind a commit it could see.
   */
  private async boundedQuery<R extends object>(sql: string, params: unknown[], what: string): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.query<R & { retry: boolean }>(sql, params, what);
      if (!rows[0]?.retry || attempt >= 3) return rows;
    }
  }

  private async query<R extends object>(sql: string, params: unknown[], what: string): Promise<{ rows: R[] }> {
    try {
      return await this.pool.query<R>(this.prepared(sql, params));
    } catch (e) {
      throw translateError(e, what);
    }
  }

  /**
   * Checks a client out for `fn`, keeping an error listener on it while it is checked out (pg
   * only listens on idle clients, and an unheard 'error' would crash the process), and destroys
   * it instead of returning it to the pool if the connection broke.
   */
  private async withClient<T>(fn: (client: PoolClient) => Promise<T>, what: string | undefined): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw what ? translateError(e, what) : e;
    }
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (e) {
      if (isUnavailable(e)) broken = broken ?? (e as Error);
      throw what ? translateError(e, what) : e;
    } finally {
      client.removeListener('error', onError);
      client.release(broken ?? false);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The PostgreSQL event store is closed');
  }
}

/** Opens a store over a pool and makes sure its schema exists. */
export const createPostgresEventStore = async (options: PostgresEventStoreOptions): Promise<PostgresEventStore> => {
  const store = new PostgresEventStore(options);
  try {
    await store.ensureSchema();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw translateError(e, 'ensureSchema');
  }
  return store;
};
