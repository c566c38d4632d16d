import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import {
  AppendNotifier,
  EventStoreUnavailableError,
  InvalidAppendError,
  StreamNotFoundError,
  checkExpectedRevision,
  classifyExistingIds,
  computeEventHash,
  pollingSubscription,
  SubscriptionSet,
  validateAppend,
  verifyChain,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
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
import { SCHEMA_VERSION, configureReadOnly, configureWritable } from './schema';

export const DEFAULT_SQLITE_EVENT_STORE_FILE = './data/events.sqlite';

export interface SqliteEventStoreOptions {
  /** Database file; its directory is created. Default `./data/events.sqlite`. */
  filename?: string;
  /** Open an existing file for reading only (reports, a second process); appends are refused. */
  readonly?: boolean;
  /**
   * How often a subscription with nothing to read looks again. Appends through this instance
   * wake subscribers at once; the poll is what notices appends by other processes.
   */
  pollIntervalMs?: number;
  /** How long an append waits for another process's write lock before giving up (retriable). */
  busyTimeoutMs?: number;
  /** Store clock for `recordedAt`. */
  clock?: () => Date;
}

interface EventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: bigint;
  hash: string;
  prev_hash: string | null;
}

interface IdRow {
  event_id: string;
  stream_id: string;
  revision: bigint;
  position: bigint;
}

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at, hash, prev_hash';
/** LIMIT -1 is SQLite's "no limit". */
const NO_LIMIT = -1;
/** An 'any' append that loses a (stream, revision) race to another process simply goes again. */
const ANY_RETRIES = 5;

/**
 * The EventStore port on one SQLite file (better-sqlite3: synchronous, so an append in this
 * process can never interleave with another one of this process). Each append is one
 * BEGIN IMMEDIATE transaction — it takes the write lock before reading, so the expected-revision
 * check and the id classification see every commit of every process, and the batch lands whole
 * or not at all.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Db;
  private readonly statements: ReturnType<typeof prepareReads>;
  private readonly writes: ReturnType<typeof prepareWrites> | undefined;
  private readonly notifier = new AppendNotifier();
  private readonly subscriptions = new SubscriptionSet();
  private readonly pollIntervalMs: number;
  private readonly clock: () => Date;
  private readonly readonly: boolean;
  private readonly appendTx: (streamId: string, events: EventToAppend[], expected: ExpectedRevision) => AppendResult;
  private closed = false;

  constructor(options: SqliteEventStoreOptions = {}) {
    const filename = options.filename ?? DEFAULT_SQLITE_EVENT_STORE_FILE;
    this.readonly = options.readonly ?? false;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock ?? (() => new Date());
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const inMemory = filename === ':memory:' || filename === '';
    if (!inMemory && !this.readonly) mkdirSync(dirname(resolve(filename)), { recursive: true });

    this.db = new Database(filename, this.readonly ? { readonly: true, fileMustExist: true } : {});
    try {
      if (this.readonly) configureReadOnly(this.db, busyTimeoutMs);
      else configureWritable(this.db, busyTimeoutMs);
      this.statements = prepareReads(this.db);
      this.writes = this.readonly ? undefined : prepareWrites(this.db);
    } catch (e) {
      this.db.close();
      throw e;
    }
    const tx = this.db.transaction(
      (streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult =>
        this.appendInTransaction(streamId, events, expected),
    );
    this.appendTx = (streamId, events, expected) => tx.immediate(streamId, events, expected);
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expected);
    this.writable(streamId);

    for (let attempt = 0; ; attempt++) {
      try {
        const result = this.appendTx(streamId, events, expected);
        if (!result.idempotentReplay) this.notifier.notify();
        return result;
      } catch (e) {
        if (!isUniqueViolation(e)) throw translateNativeError(e, this.db.name);
        // The write lock makes this unreachable between processes that follow the protocol;
        // should it happen anyway, the committed state explains it in the port's terms.
        const explained = this.explainUniqueViolation(streamId, events, expected);
        if (explained) return explained;
        if (expected !== 'any' || attempt >= ANY_RETRIES) throw e;
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? NO_LIMIT;
    let rows: EventRow[] = [];
    if (options.maxCount === undefined || options.maxCount > 0) {
      rows =
        options.direction === 'backward'
          ? (this.statements.streamBackward.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit) as EventRow[])
          : (this.statements.streamForward.all(streamId, Math.max(0, options.fromRevision ?? 0), limit) as EventRow[]);
    }
    if (rows.length === 0 && this.statements.streamHead.get(streamId) === undefined) throw new StreamNotFoundError(streamId);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllSync(options.fromPosition, options.maxCount);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const inner = pollingSubscription({
      readAll: async (fromPosition, maxCount) => (this.closed ? [] : this.readAllSync(fromPosition, maxCount)),
      notifier: this.notifier,
      fromPosition: options.fromPosition,
      maxBatchSize: options.maxBatchSize,
      pollIntervalMs: this.pollIntervalMs,
    });
    return this.subscriptions.track(inner);
  }

  async streamRevision(streamId: string): Promise<StreamRevision | undefined> {
    this.assertOpen();
    const head = this.statements.streamHead.get(streamId) as { revision: bigint } | undefined;
    return head === undefined ? undefined : Number(head.revision);
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    return (this.statements.head.get() as { head: bigint }).head;
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    this.assertOpen();
    const row = this.statements.getMetadata.get(streamId) as { metadata: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.metadata) as StreamMetadata);
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    const writes = this.writable(streamId);
    try {
      writes.setMetadata.run(streamId, JSON.stringify(metadata ?? {}), this.clock().getTime());
    } catch (e) {
      throw translateNativeError(e, this.db.name);
    }
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    this.assertOpen();
    const rows = this.statements.streamForward.all(streamId, 0, NO_LIMIT) as EventRow[];
    return verifyChain(streamId, rows.map(toRecorded));
  }

  /** Settings that matter for durability, for health checks and tests. */
  diagnostics(): { filename: string; journalMode: string; synchronous: number; schemaVersion: number; readonly: boolean } {
    this.assertOpen();
    return {
      filename: this.db.name,
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      schemaVersion: SCHEMA_VERSION,
      readonly: this.readonly,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.unsubscribeAll();
    this.db.close();
  }

  private appendInTransaction(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult {
    // Replay detection comes before the revision check: a lost-ack resend carries a now-stale
    // expected revision and must still get its original result (ES-3).
    const replay = classifyExistingIds(streamId, events, this.storedIds(events));
    if (replay) return replay;

    const head = this.statements.streamHead.get(streamId) as { revision: bigint; hash: string } | undefined;
    const current = head === undefined ? undefined : Number(head.revision);
    checkExpectedRevision(streamId, expected, current);

    const { insert } = this.writable(streamId);
    const recordedAt = this.clock().getTime();
    let prevHash = head?.hash ?? null;
    let revision = current === undefined ? 0 : current + 1;
    const positions: GlobalPosition[] = [];
    for (const event of events) {
      const data = JSON.stringify(event.data ?? null);
      const metadata = JSON.stringify(event.metadata ?? {});
      // Hash what will be read back (JSON drops undefined, turns a Date into a string…), so
      // verifyStream recomputes the same value from the stored text.
      const hash = computeEventHash(
        { id: event.id, streamId, revision, type: event.type, data: JSON.parse(data) as JsonValue, metadata: JSON.parse(metadata) as JsonObject },
        prevHash,
      );
      const info = insert.run(event.id, streamId, revision, event.type, data, metadata, recordedAt, hash, prevHash);
      positions.push(BigInt(info.lastInsertRowid));
      prevHash = hash;
      revision++;
    }
    return { streamId, nextExpectedRevision: revision - 1, positions, idempotentReplay: false };
  }

  private storedIds(events: EventToAppend[]): StoredIdRow[] {
    const rows = this.statements.findIds.all(JSON.stringify(events.map((e) => e.id))) as IdRow[];
    return rows.map((r) => ({ id: r.event_id, streamId: r.stream_id, revision: Number(r.revision), position: r.position }));
  }

  /**
   * After a unique violation the transaction has rolled back; the state that other writers
   * committed says what happened: the same batch (a replay), a used id (DuplicateEventError) or
   * a moved stream (ConcurrencyError, thrown by the check). Undefined: nothing explains it.
   */
  private explainUniqueViolation(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult | undefined {
    return this.db.transaction((): AppendResult | undefined => {
      const replay = classifyExistingIds(streamId, events, this.storedIds(events));
      if (replay) return replay;
      const head = this.statements.streamHead.get(streamId) as { revision: bigint } | undefined;
      checkExpectedRevision(streamId, expected, head === undefined ? undefined : Number(head.revision));
      return undefined;
    }).deferred();
  }

  private readAllSync(fromPosition: GlobalPosition | undefined, maxCount: number | undefined): RecordedEvent[] {
    if (maxCount !== undefined && maxCount <= 0) return [];
    const from = fromPosition === undefined || fromPosition < 0n ? 0n : fromPosition;
    return (this.statements.all.all(from, maxCount ?? NO_LIMIT) as EventRow[]).map(toRecorded);
  }

  private writable(streamId: string): ReturnType<typeof prepareWrites> {
    if (!this.writes) throw new InvalidAppendError(`Stream ${streamId}: this event store handle is read-only`);
    return this.writes;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError(`SQLite event store ${this.db.name} is closed`);
  }
}

export const createSqliteEventStore = (options: SqliteEventStoreOptions = {}): SqliteEventStore => new SqliteEventStore(options);

/** A handle on the same file that can read and subscribe but never write. */
export const openSqliteEventStoreReadOnly = (options: Omit<SqliteEventStoreOptions, 'readonly'> = {}): SqliteEventStore =>
  new SqliteEventStore({ ...options, readonly: true });

const prepareReads = (db: Db) => {
  const read = (sql: string): Statement => db.prepare(sql).safeIntegers(true);
  return {
    findIds: read('SELECT event_id, stream_id, revision, position FROM events WHERE event_id IN (SELECT value FROM json_each(?))'),
    streamHead: read('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    streamForward: read(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`),
    streamBackward: read(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
    all: read(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
    head: read('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    getMetadata: read('SELECT metadata FROM stream_metadata WHERE stream_id = ?'),
  };
};

const prepareWrites = (db: Db) => ({
  insert: db.prepare(
    'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at, hash, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  setMetadata: db.prepare(
    'INSERT INTO stream_metadata (stream_id, metadata, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (stream_id) DO UPDATE SET metadata = excluded.metadata, updated_at = excluded.updated_at',
  ),
});

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  type: row.type,
  revision: Number(row.revision),
  position: row.position,
  data: JSON.parse(row.data) as JsonValue,
  metadata: JSON.parse(row.metadata) as JsonObject,
  recordedAt: new Date(Number(row.recorded_at)),
  hash: row.hash,
  prevHash: row.prev_hash,
});

const sqliteCode = (e: unknown): string | undefined =>
  e instanceof Database.SqliteError ? e.code : undefined;

const isUniqueViolation = (e: unknown): boolean => {
  const code = sqliteCode(e);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** Lock timeouts and I/O failures may pass on a retry; everything else is passed on as is. */
const translateNativeError = (e: unknown, filename: string): unknown => {
  const code = sqliteCode(e);
  if (code === undefined) return e;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_IOERR')) {
    return new EventStoreUnavailableError(`SQLite event store ${filename}: ${code}`, { cause: e });
  }
  return e;
};
