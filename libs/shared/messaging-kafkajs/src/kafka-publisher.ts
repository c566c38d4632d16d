import { Partitioners, type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import {
  MessagingUsageError,
  type MessagingError,
  type MessagePublisher,
  type OutgoingHeaders,
  type OutgoingMessage,
  type PublishedRecord,
} from '@gongzhi/messaging';
import { toMessagingError } from './error-mapping';

export interface KafkaPublishOptions {
  /**
   * How long one publish keeps retrying a retriable failure (broker down, leader moving) before
   * it rejects with a retriable error. Default 30 s: a broker restart is ridden through, a longer
   * outage reaches the caller (a relay then backs off and keeps its position).
   */
  timeoutMs?: number;
  /** kafkajs's own retries inside one send. Default 5, 100 ms doubling to 1 s. */
  retries?: number;
  initialRetryTimeMs?: number;
  maxRetryTimeMs?: number;
  /** Broker-side wait for the acknowledgement of all in-sync replicas. Default 30 s. */
  ackTimeoutMs?: number;
}

type PartitionerArgs = Parameters<ReturnType<typeof Partitioners.DefaultPartitioner>>[0];

const toKafkaHeaders = (headers: OutgoingHeaders | undefined): Record<string, string | Buffer> | undefined => {
  if (!headers) return undefined;
  const out: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
};

/**
 * Idempotent producer, acks = all, one request in flight: within a producer session the broker
 * drops resent batches (no duplicates) and keeps per-partition order across retries.
 *
 * Publishes run one at a time. When a send fails, kafkajs rewinds the partition's sequence
 * numbers; the next batch on that session reuses them. Resending the *same* batch is the
 * idempotent retry (the broker recognises it if the first try had landed), so retriable failures
 * are retried here with the same message objects until `timeoutMs`. A different batch would be
 * taken for that duplicate and silently dropped, a lost write: so publishes never overlap, and
 * once a publish gives up, its producer session is thrown away and the next publish starts a new
 * one (new producer id). A resend by the caller can then duplicate, never vanish; consumers
 * dedupe by message id.
 */
export class KafkaPublisher implements MessagePublisher {
  private session?: Promise<Producer>;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  // Which partition the partitioner chose for each message object: a retry of the same send must
  // reuse it (keyless messages would otherwise move), and the result reports it.
  private readonly assigned = new WeakMap<object, number>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaPublishOptions = {},
  ) {}

  publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    const run = this.queue.then(() => this.publishNow(topic, messages));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async publishNow(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    if (this.closed) throw new MessagingUsageError('Publisher is closed');
    if (typeof topic !== 'string' || topic.length === 0) throw new MessagingUsageError('Topic must be a non-empty string');
    if (messages.length === 0) return [];
    const outgoing: Message[] = messages.map((m) => ({
      key: m.key ?? null,
      value: m.value,
      headers: toKafkaHeaders(m.headers),
      partition: m.partition,
    }));
    const deadline = Date.now() + (this.options.timeoutMs ?? 30_000);
    for (let attempt = 1; ; attempt++) {
      const session = this.connect();
      let producer: Producer;
      try {
        producer = await session;
      } catch (e) {
        // Nothing was sent on this session: a new one is safe.
        this.discard(session);
        const mapped = toMessagingError(e, { topic });
        if (await this.mayRetry(mapped, attempt, deadline)) continue;
        throw mapped;
      }
      try {
        const response = await producer.send({
          topic,
          messages: outgoing,
          acks: -1,
          timeout: this.options.ackTimeoutMs ?? 30_000,
        });
        return this.placements(topic, outgoing, response);
      } catch (e) {
        const mapped = toMessagingError(e, { topic });
        if (await this.mayRetry(mapped, attempt, deadline)) continue;
        this.discard(session);
        throw mapped;
      }
    }
  }

  /** Waits out the backoff and says whether to try again before the deadline. */
  private async mayRetry(error: MessagingError, attempt: number, deadline: number): Promise<boolean> {
    if (!error.retriable || this.closed) return false;
    const delay = Math.min(1000, 100 * 2 ** (attempt - 1));
    if (Date.now() + delay >= deadline) return false;
    await new Promise((r) => setTimeout(r, delay));
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (session) await session.then((p) => p.disconnect()).catch(() => undefined);
  }

  private connect(): Promise<Producer> {
    if (!this.session) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: () => this.memoizingPartitioner(),
        retry: {
          retries: this.options.retries ?? 5,
          initialRetryTime: this.options.initialRetryTimeMs ?? 100,
          maxRetryTime: this.options.maxRetryTimeMs ?? 1000,
        },
      });
      this.session = producer.connect().then(() => producer);
    }
    return this.session;
  }

  private discard(session: Promise<Producer>) {
    if (this.session !== session) return;
    this.session = undefined;
    session.then((p) => p.disconnect()).catch(() => undefined);
  }

  private memoizingPartitioner() {
    const inner = Partitioners.DefaultPartitioner();
    return (args: PartitionerArgs): number => {
      const previous = this.assigned.get(args.message);
      if (previous !== undefined && args.partitionMetadata.some((p) => p.partitionId === previous)) return previous;
      const partition = inner(args);
      this.assigned.set(args.message, partition);
      return partition;
    };
  }

  /** Each partition got one record batch; its messages are consecutive from the base offset. */
  private placements(topic: string, outgoing: Message[], response: RecordMetadata[]): PublishedRecord[] {
    const base = new Map<number, bigint>();
    for (const r of response) {
      if (r.topicName === topic && r.baseOffset !== undefined) base.set(r.partition, BigInt(r.baseOffset));
    }
    const next = new Map<number, bigint>();
    return outgoing.map((m) => {
      const partition = this.assigned.get(m) ?? m.partition;
      const start = partition === undefined ? undefined : base.get(partition);
      if (partition === undefined || start === undefined) {
        throw new MessagingUsageError(`Broker acknowledged ${topic} but reported no offset for a message's partition`);
      }
      const offset = next.get(partition) ?? start;
      next.set(partition, offset + 1n);
      return { topic, partition, offset: offset.toString() };
    });
  }
}
