import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import {
  processMessage,
  BrokerUnavailableError,
  isConsumerHaltedError,
  subscribedTopics,
  type ConsumeOptions,
  type ConsumedMessage,
  type ConsumerEvent,
  type MessageConsumer,
  type MessagePublisher,
  type RunningConsumer,
} from '@gongzhi/messaging';
import { toMessagingError } from './error-mapping';

export interface KafkaConsumeOptions {
  /** The broker drops a member that has not heartbeated for this long. Default 10 s (broker min 6 s). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Long-poll time of a fetch; bounds how long `stop()` waits for an idle fetch. Default 250 ms. */
  maxWaitTimeMs?: number;
  /** `run()` rejects when the member has not joined its group by then. Default 30 s. */
  joinTimeoutMs?: number;
  /** `stop()` gives up waiting for the group leave after this long. Default 15 s. */
  stopTimeoutMs?: number;
}

const withTimeout = async <T>(work: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};

const lastValue = (value: Buffer | string | (Buffer | string)[] | undefined): Buffer | undefined => {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (v === undefined) return undefined;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
};

const toConsumed = (topic: string, partition: number, m: KafkaMessage): ConsumedMessage => {
  const headers: Record<string, Buffer | undefined> = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) headers[name] = lastValue(value);
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp };
};

/**
 * Consumer groups with manual commits: autoCommit is off and offsets are never auto-resolved, so
 * an offset is committed (message offset + 1) only after the handler resolved or the message was
 * dead-lettered, one message at a time. A crash anywhere before that redelivers the message.
 */
export class KafkaMessageConsumer implements MessageConsumer {
  constructor(
    private readonly kafka: Kafka,
    private readonly deadLetterPublisher: MessagePublisher,
    private readonly options: KafkaConsumeOptions = {},
  ) {}

  async run(options: ConsumeOptions): Promise<RunningConsumer> {
    const topics = subscribedTopics(options);
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      rebalanceTimeout: Math.max(sessionTimeout, 10_000),
      heartbeatInterval: this.options.heartbeatIntervalMs ?? Math.min(1000, Math.floor(sessionTimeout / 3)),
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 250,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 3000, restartOnFailure: async () => !halted },
    });
    const emit = (event: ConsumerEvent) => {
      try {
        options.onEvent?.(event);
      } catch {
        // An observer must not change delivery.
      }
    };

    const abort = new AbortController();
    let halted = false;
    let generation = 0;
    let settle!: { resolve: () => void; reject: (e: unknown) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined); // a caller that never looks at `done` must not see an unhandled rejection
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));

    const shutdown = async () => {
      abort.abort();
      await withTimeout(consumer.disconnect().catch(() => undefined), this.options.stopTimeoutMs ?? 15_000);
    };
    const fail = (error: unknown) => {
      if (halted) return;
      halted = true;
      void shutdown().then(() => settle.reject(error));
    };

    consumer.on(consumer.events.GROUP_JOIN, () => {
      generation += 1;
      emit({ type: 'rebalanced', generation });
      joined();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      emit({ type: 'crashed', error: payload.error, willRestart: payload.restart });
      if (!payload.restart) fail(toMessagingError(payload.error));
    });

    const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) => {
      for (const raw of batch.messages) {
        if (abort.signal.aborted || !isRunning() || isStale()) return;
        const message = toConsumed(batch.topic, batch.partition, raw);
        let outcome;
        try {
          outcome = await processMessage(message, {
            handler: options.handler,
            retry: options.retry,
            deadLetterTopic: options.deadLetterTopic,
            deadLetterPublisher: this.deadLetterPublisher,
            signal: abort.signal,
            generation,
            heartbeat,
            onEvent: emit,
          });
        } catch (e) {
          if (isConsumerHaltedError(e)) {
            fail(e);
            return;
          }
          throw e;
        }
        if (outcome === 'aborted') return;
        resolveOffset(raw.offset);
        // Throws on a rebalance or a lost coordinator; kafkajs then rejoins and this message may
        // come again (at-least-once), but it is never skipped.
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: (BigInt(raw.offset) + 1n).toString() }],
            },
          ],
        });
      }
    };

    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatch,
      });
    } catch (e) {
      await shutdown();
      throw toMessagingError(e, { topic: topics[0] });
    }

    const joinTimeoutMs = this.options.joinTimeoutMs ?? 30_000;
    const outcome = await Promise.race([
      joinedOnce.then(() => 'joined' as const),
      done.then(
        () => 'stopped' as const,
        (e: unknown) => Promise.reject(e),
      ),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), joinTimeoutMs).unref()),
    ]);
    if (outcome === 'timeout') {
      await shutdown();
      throw new BrokerUnavailableError(`Consumer group ${options.groupId} not joined within ${joinTimeoutMs} ms`);
    }

    let stopping: Promise<void> | undefined;
    return {
      groupId: options.groupId,
      done,
      stop: () => {
        stopping ??= (async () => {
          if (halted) {
            await done.catch(() => undefined);
            return;
          }
          halted = true;
          await shutdown();
          settle.resolve();
        })();
        return stopping;
      },
    };
  }
}
