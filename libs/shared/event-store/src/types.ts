/** JSON-serialisable value stored as an event payload or metadata. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Global position in the `$all` log. A bigint because stores use 64-bit positions (PostgreSQL
 * encodes the writing transaction id in it, ESDB uses commit positions). Strictly increasing in
 * the order `readAll` and `subscribeToAll` deliver events.
 */
export type GlobalPosition = bigint;

/** Zero-based revision of an event within its stream (ESDB convention). */
export type StreamRevision = number;

/**
 * - a number: the stream's last revision must be exactly this;
 * - 'no_stream': the stream must not exist yet;
 * - 'stream_exists': the stream must have at least one event;
 * - 'any': no check.
 */
export type ExpectedRevision = StreamRevision | 'no_stream' | 'stream_exists' | 'any';

/** An event to append. `id` is a UUID; derive it from the command id for idempotency. */
export interface EventToAppend {
  id: string;
  type: string;
  data: JsonValue;
  metadata?: JsonObject;
}

/** An event as stored. */
export interface RecordedEvent {
  id: string;
  streamId: string;
  type: string;
  revision: StreamRevision;
  position: GlobalPosition;
  data: JsonValue;
  metadata: JsonObject;
  /** When the store recorded it (store clock; domain time lives in metadata.occurredAt). */
  recordedAt: Date;
  /** sha-256 hex over the canonical event and `prevHash` (tamper evidence). */
  hash: string;
  /** Hash of the previous event in the stream, or null for revision 0. */
  prevHash: string | null;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the last event of the batch: the next append expects this. */
  nextExpectedRevision: StreamRevision;
  /** Global position of each appended event, in batch order. */
  positions: GlobalPosition[];
  /**
   * True when every event of the batch had already been committed to this stream, in the same
   * order: nothing was written and the original revision/positions are returned (ES-3, ES-4).
   */
  idempotentReplay: boolean;
}

export type Direction = 'forward' | 'backward';

export interface ReadStreamOptions {
  /** Inclusive. Forward default 0; backward default the stream's last revision. */
  fromRevision?: StreamRevision;
  direction?: Direction;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with position strictly greater are returned. Default: from the start. */
  fromPosition?: GlobalPosition;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive, like `readAll`. Omit to start from the beginning of the log. */
  fromPosition?: GlobalPosition;
  /** Upper bound on events per delivered batch. */
  maxBatchSize?: number;
}

/**
 * A catch-up subscription: it delivers every event after `fromPosition` in global order, then
 * goes live, with no gap and no duplicate at the switch-over (SP-6).
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** The same events grouped in batches as the store reads them (for transactional consumers). */
  batches(): AsyncIterable<RecordedEvent[]>;
  /** Stops delivery; a pending iteration ends. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface StreamMetadata {
  [key: string]: JsonValue;
}

export interface VerifyResult {
  streamId: string;
  valid: boolean;
  eventsChecked: number;
  /** First event whose stored content or link no longer matches its hash. */
  firstInvalid?: { revision: StreamRevision; eventId: string; reason: 'hash_mismatch' | 'broken_link' };
}

export interface EventStore {
  appendToStream(streamId: string, events: EventToAppend[], options?: AppendOptions): Promise<AppendResult>;
  /** Throws `StreamNotFoundError` when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Last revision of the stream, or undefined when it does not exist. */
  streamRevision(streamId: string): Promise<StreamRevision | undefined>;
  /** Position of the last event in the log that a reader may safely see (0n when empty). */
  headPosition(): Promise<GlobalPosition>;
  getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined>;
  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void>;
  /** Recomputes the hash chain of a stream from the stored rows. */
  verifyStream(streamId: string): Promise<VerifyResult>;
  close(): Promise<void>;
}

/** Injection token for the EventStore port (the composition root binds an adapter to it). */
export const EVENT_STORE = Symbol('EVENT_STORE');
