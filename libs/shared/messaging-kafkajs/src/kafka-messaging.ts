import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import { KafkaMessagingAdmin } from './kafka-admin';
import { KafkaMessageConsumer, type KafkaConsumeOptions } from './kafka-consumer';
import { KafkaPublisher, type KafkaPublishOptions } from './kafka-publisher';

export type MessagingLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface MessagingLogEntry {
  level: Exclude<MessagingLogLevel, 'nothing'>;
  namespace: string;
  message: string;
  extra: Record<string, unknown>;
}

export interface KafkaMessagingOptions {
  /** `host:port` of one or more brokers. */
  brokers: string[];
  clientId?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * kafkajs retry settings for connections, metadata and admin calls. Default 5 retries, 100 ms
   * doubling to 1 s (about 2.5 s); publishes retry on top of that up to `publish.timeoutMs`.
   */
  connectRetry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
  /** Default 'warn'. */
  logLevel?: MessagingLogLevel;
  /** Where client logs go; default: one JSON line on stderr per entry. */
  log?: (entry: MessagingLogEntry) => void;
  publish?: KafkaPublishOptions;
  consume?: KafkaConsumeOptions;
}

const LEVELS: Record<MessagingLogLevel, KafkaLogLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};
const NAMES: Record<number, MessagingLogEntry['level']> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

// kafkajs warns whenever an idempotent producer has bounded retries. Bounded retries are
// deliberate here (a relay must see an outage to back off) and the publisher starts a new
// producer session after any failure, which is what the warning is about.
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/, /KafkaJS v2\.0\.0 switched default partitioner/];

const defaultLog = (entry: MessagingLogEntry) => {
  process.stderr.write(`${JSON.stringify({ level: entry.level, ns: entry.namespace, msg: entry.message, ...entry.extra })}\n`);
};

/**
 * The kafkajs adapter of the messaging port: one client, one shared publisher (also used for
 * dead letters), consumers created per `run`, and an admin for topics.
 */
export class KafkaMessaging {
  readonly publisher: KafkaPublisher;
  readonly consumer: KafkaMessageConsumer;
  readonly admin: KafkaMessagingAdmin;
  private readonly kafka: Kafka;

  constructor(options: KafkaMessagingOptions) {
    if (options.brokers.length === 0) throw new TypeError('KafkaMessaging needs at least one broker');
    const log = options.log ?? defaultLog;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'gongzhi',
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      retry: {
        retries: options.connectRetry?.retries ?? 5,
        initialRetryTime: options.connectRetry?.initialRetryTimeMs ?? 100,
        maxRetryTime: options.connectRetry?.maxRetryTimeMs ?? 1000,
      },
      logLevel: LEVELS[options.logLevel ?? 'warn'],
      logCreator: () => ({ namespace, level, log: entry }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry;
        if (level === KafkaLogLevel.WARN && EXPECTED_WARNINGS.some((w) => w.test(message))) return;
        const name = NAMES[level];
        if (name) log({ level: name, namespace, message, extra });
      },
    });
    this.publisher = new KafkaPublisher(this.kafka, options.publish);
    this.consumer = new KafkaMessageConsumer(this.kafka, this.publisher, options.consume);
    this.admin = new KafkaMessagingAdmin(this.kafka);
  }

  /** Closes the publisher and the admin connection; stop running consumers first. */
  async close(): Promise<void> {
    await Promise.all([this.publisher.close(), this.admin.close()]);
  }
}
