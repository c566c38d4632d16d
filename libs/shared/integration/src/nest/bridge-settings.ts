import { MIN_PARTITIONS, type IntegrationTopicSettings } from '../topics';

/** The Kafka bridge's environment, read the same way by apps/kafka-bridge and apps/platform. */
export const KAFKA_BRIDGE_VARIABLES: ReadonlyArray<[name: string, meaning: string]> = [
  ['KAFKA_BROKERS', 'Comma-separated host:port list; unset = no Kafka bridge (platform) / required (kafka-bridge)'],
  ['KAFKA_CLIENT_ID', 'Client id the broker sees (default gongzhi-bridge)'],
  ['KAFKA_RELAY', 'true|false: run the outbound relay (default true)'],
  ['KAFKA_INBOUND', 'true|false: run the inbound work-order consumer (default true)'],
  ['KAFKA_RELAY_NAME', 'Checkpoint and lease name of the relay (default kafka-relay)'],
  ['KAFKA_INBOUND_GROUP', 'Consumer group of the inbound consumer (default gongzhi-inbound-work-orders)'],
  ['KAFKA_TOPIC_PARTITIONS', `Partitions of the topics the bridge creates (default ${MIN_PARTITIONS}, at least ${MIN_PARTITIONS})`],
  ['KAFKA_REPLICATION_FACTOR', "Replication factor of new topics (default: the broker's)"],
  ['KAFKA_OUTBOUND_RETENTION_DAYS', 'Retention of gongzhi.<context>.events.v1 (default 30)'],
  ['KAFKA_INBOUND_RETENTION_DAYS', 'Retention of gongzhi.inbound.work-orders.v1 (default 7)'],
  ['KAFKA_DLQ_RETENTION_DAYS', 'Retention of gongzhi.inbound.dlq.v1 (default 30)'],
];

export interface KafkaBridgeSettings {
  brokers: string[];
  clientId: string;
  relay: boolean;
  inbound: boolean;
  relayName: string;
  inboundGroup: string;
  topics: IntegrationTopicSettings;
}

export class KafkaBridgeConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Kafka bridge configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KafkaBridgeConfigError';
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/**
 * Parses the KAFKA_* variables. Returns undefined when KAFKA_BROKERS is not set (the platform
 * then runs without the bridge); throws KafkaBridgeConfigError listing every problem.
 */
export const kafkaBridgeSettingsFromEnv = (env: Record<string, string | undefined> = process.env): KafkaBridgeSettings | undefined => {
  const raw = env.KAFKA_BROKERS?.trim();
  if (!raw) return undefined;
  const problems: string[] = [];
  const brokers = raw.split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of brokers) if (!BROKER.test(b)) problems.push(`KAFKA_BROKERS: ${JSON.stringify(b)} is not host:port`);

  const flag = (name: string, fallback: boolean): boolean => {
    const v = env[name]?.trim().toLowerCase();
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    problems.push(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
    return fallback;
  };
  const integer = (name: string, min: number): number | undefined => {
    const v = env[name]?.trim();
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(env[name])})`);
      return undefined;
    }
    return n;
  };
  const days = (name: string) => {
    const n = integer(name, 1);
    return n === undefined ? undefined : n * DAY_MS;
  };
  const name = (variable: string, fallback: string): string => {
    const v = env[variable]?.trim();
    if (!v) return fallback;
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(v)) problems.push(`${variable} may hold letters, digits, '.', '_' and '-' only`);
    return v;
  };

  const settings: KafkaBridgeSettings = {
    brokers,
    clientId: name('KAFKA_CLIENT_ID', 'gongzhi-bridge'),
    relay: flag('KAFKA_RELAY', true),
    inbound: flag('KAFKA_INBOUND', true),
    relayName: name('KAFKA_RELAY_NAME', 'kafka-relay'),
    inboundGroup: name('KAFKA_INBOUND_GROUP', 'gongzhi-inbound-work-orders'),
    topics: {
      partitions: integer('KAFKA_TOPIC_PARTITIONS', MIN_PARTITIONS),
      replicationFactor: integer('KAFKA_REPLICATION_FACTOR', 1),
      outboundRetentionMs: days('KAFKA_OUTBOUND_RETENTION_DAYS'),
      inboundRetentionMs: days('KAFKA_INBOUND_RETENTION_DAYS'),
      deadLetterRetentionMs: days('KAFKA_DLQ_RETENTION_DAYS'),
    },
  };
  if (problems.length > 0) throw new KafkaBridgeConfigError(problems);
  return settings;
};
