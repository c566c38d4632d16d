/**
 * The messaging port: what the rest of Gongzhi knows about a message broker. Kafka (kafkajs) is one
 * adapter behind it and the in-memory bus of the `testing` entry is another, so relays, inbound
 * consumers and their tests never import kafkajs.
 *
 * Delivery contract: at-least-once. `publish` resolves only after the broker acknowledged every
 * message (acks = all); a consumer commits a message's offset only after its handler resolved, so
 * a crash before that redelivers it. Consumers deduplicate by a message id (CloudEvents `id`).
 */

export type HeaderValue = string | Buffer;
export type OutgoingHeaders = Record<string, HeaderValue | undefined>;

export interface OutgoingMessage {
  /** Messages with the same key go to the same partition and stay in publish order. */
  key?: string | Buffer | null;
  /** `null` is a tombstone (for compacted topics). */
  value: string | Buffer | null;
  headers?: OutgoingHeaders;
  /** Overrides the key-based partition choice. */
  partition?: number;
}

/** Where the broker stored one published message. Offsets are decimal strings (64-bit). */
export interface PublishedRecord {
  topic: string;
  partition: number;
  offset: string;
}

export interface MessagePublisher {
  /**
   * Appends `messages` to `topic` and resolves, in input order, with where each one landed, once
   * the broker has acknowledged all of them. On rejection (a `MessagingError`) some messages may
   * still have been written: retrying may duplicate, never lose, so consumers must deduplicate.
   */
  publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]>;
  close(): Promise<void>;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Header values as received; a header repeated in the record keeps its last value. */
  headers: Record<string, Buffer | undefined>;
  /** Milliseconds since the epoch, as a decimal string (Kafka's record timestamp). */
  timestamp: string;
}

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  /** 1 on first delivery to this handler call chain, 2 on the first retry, … */
  attempt: number;
  /**
   * Increases each time this consumer (re)joined its group. Within one generation a partition is
   * delivered in offset order without gaps; across generations a rewind to the last committed
   * offset (a redelivery) is expected.
   */
  generation: number;
  /** Aborted when the consumer stops while the handler runs: the offset will not be committed. */
  signal: AbortSignal;
  /** Tells the broker this member is alive during a long handler. */
  heartbeat(): Promise<void>;
}

export type MessageHandler = (message: ConsumedMessage, ctx: MessageContext) => Promise<void>;

/**
 * What happens when a handler rejects.
 * - an error with `retriable: false` (a validation or domain rule failure): dead-lettered at once;
 * - any other error: retried `retries` times with exponential backoff, then dead-lettered, so a
 *   poison message never blocks its partition for ever;
 * - an error with `retriable: true` (a database or broker outage: the message is fine, the
 *   infrastructure is not): retried with capped backoff until it succeeds or the consumer stops,
 *   never dead-lettered (set `retriableForever: false` to treat it like any other error).
 * The offset is committed only after the handler resolved or the dead letter was acknowledged.
 */
export interface RetryPolicy {
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  retriableForever?: boolean;
}

export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  retries: 3,
  initialDelayMs: 200,
  maxDelayMs: 5000,
  retriableForever: true,
};

export type ConsumerEvent =
  | { type: 'handler-failed'; message: ConsumedMessage; attempt: number; error: unknown; nextDelayMs: number }
  | { type: 'dead-lettered'; message: ConsumedMessage; attempt: number; error: unknown; deadLetterTopic: string }
  | { type: 'dead-letter-failed'; message: ConsumedMessage; error: unknown }
  | { type: 'rebalanced'; generation: number }
  | { type: 'crashed'; error: unknown; willRestart: boolean };

export interface ConsumeOptions {
  /** One topic or several (`topic` and `topics` are merged). */
  topic?: string;
  topics?: string[];
  groupId: string;
  handler: MessageHandler;
  /** Where a group without a committed offset starts: the earliest message (default) or the end. */
  fromBeginning?: boolean;
  retry?: RetryPolicy;
  /** Where messages go that the retry policy gives up on. Without it the consumer fails instead. */
  deadLetterTopic?: string;
  /** Partitions handled at the same time by this member; order is kept within each partition. */
  partitionsConsumedConcurrently?: number;
  /** Observability hook (logs, metrics, tests); must not throw. */
  onEvent?: (event: ConsumerEvent) => void;
}

export interface RunningConsumer {
  readonly groupId: string;
  /**
   * Stops fetching and leaves the group. A handler still running is abandoned (its `signal` is
   * aborted) and its offset is not committed, as if the process had died there.
   */
  stop(): Promise<void>;
  /** Resolves after `stop()`; rejects when the consumer gave up (e.g. poison without a DLQ). */
  readonly done: Promise<void>;
}

export interface MessageConsumer {
  /** Joins the group and starts handling messages; resolves once the member has joined. */
  run(options: ConsumeOptions): Promise<RunningConsumer>;
}

export interface TopicSpec {
  topic: string;
  /** Default 3. An existing topic with fewer partitions is grown; Kafka cannot shrink one. */
  partitions?: number;
  /** Default: the broker's default. */
  replicationFactor?: number;
  /** `retention.ms`; -1 keeps messages for ever. */
  retentionMs?: number;
  cleanupPolicy?: 'delete' | 'compact' | 'compact,delete';
  /** Any other topic-level config, e.g. `{ 'min.insync.replicas': '2' }`. */
  configs?: Record<string, string>;
}

export interface EnsureTopicsResult {
  created: string[];
  /** Existing topics whose partitions or configs were changed to match the spec. */
  updated: string[];
  unchanged: string[];
}

export interface PartitionOffsets {
  partition: number;
  /** First offset still stored. */
  low: string;
  /** Offset the next message will get (the high watermark). */
  high: string;
}

export interface CommittedOffset {
  partition: number;
  /** Next offset the group will read, or null when the group never committed on the partition. */
  offset: string | null;
}

export interface MessagingAdmin {
  /** Creates missing topics and aligns existing ones (partitions, configs). Idempotent. */
  ensureTopics(specs: TopicSpec[]): Promise<EnsureTopicsResult>;
  deleteTopics(topics: string[]): Promise<void>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]>;
  close(): Promise<void>;
}

/** Injection tokens, bound by the composition root to an adapter. */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');
export const MESSAGE_CONSUMER = Symbol('MESSAGE_CONSUMER');
export const MESSAGING_ADMIN = Symbol('MESSAGING_ADMIN');

/** Merges `topic` and `topics` of ConsumeOptions; throws when neither names a topic. */
export const subscribedTopics = (options: Pick<ConsumeOptions, 'topic' | 'topics'>): string[] => {
  const topics = [...new Set([...(options.topic ? [options.topic] : []), ...(options.topics ?? [])])];
  if (topics.length === 0) throw new TypeError('ConsumeOptions needs `topic` or `topics`');
  return topics;
};

/** A header as text (UTF-8), or undefined when absent. */
export const headerText = (message: Pick<ConsumedMessage, 'headers'>, name: string): string | undefined =>
  message.headers[name]?.toString('utf8');
