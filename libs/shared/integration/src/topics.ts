import type { TopicSpec } from '@gongzhi/messaging';

/** Work orders other systems send in (hotline 12345 tickets), as CloudEvents. */
export const INBOUND_WORK_ORDERS_TOPIC = 'gongzhi.inbound.work-orders.v1';
/** Inbound messages that failed validation or a domain rule, with `dlq-*` headers saying why. */
export const INBOUND_DLQ_TOPIC = 'gongzhi.inbound.dlq.v1';

const CONTEXT = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** `gongzhi.<context>.events.v1`: one outbound topic per bounded context. */
export const contextTopic = (context: string): string => {
  if (!CONTEXT.test(context)) throw new TypeError(`Invalid context name ${JSON.stringify(context)}: use kebab-case`);
  return `gongzhi.${context}.events.v1`;
};

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IntegrationTopicSettings {
  /**
   * Partitions of every integration topic (default 3, at least 3): keys spread over them, and
   * up to that many consumers of a group share the work.
   */
  partitions?: number;
  /** Default: the broker's (1 on a single node). */
  replicationFactor?: number;
  /** Outbound event topics: consumers may replay this far back. Default 30 days. */
  outboundRetentionMs?: number;
  /** The inbound work-order topic. Default 7 days. */
  inboundRetentionMs?: number;
  /** The dead-letter topic: long enough for an operator to look. Default 30 days. */
  deadLetterRetentionMs?: number;
  /** Topic names, overridable for tests (fresh topics per test). */
  inboundTopic?: string;
  deadLetterTopic?: string;
  /** Outbound topic of a context; default `contextTopic`. */
  outboundTopic?: (context: string) => string;
}

export const MIN_PARTITIONS = 3;

export const DEFAULT_TOPIC_SETTINGS = {
  partitions: MIN_PARTITIONS,
  outboundRetentionMs: 30 * DAY_MS,
  inboundRetentionMs: 7 * DAY_MS,
  deadLetterRetentionMs: 30 * DAY_MS,
} as const;

/** The names of the bridge's topics under `settings`. */
export const bridgeTopicNames = (settings: IntegrationTopicSettings = {}) => ({
  inbound: settings.inboundTopic ?? INBOUND_WORK_ORDERS_TOPIC,
  deadLetter: settings.deadLetterTopic ?? INBOUND_DLQ_TOPIC,
  outbound: settings.outboundTopic ?? contextTopic,
});

/**
 * What the bridge creates (or aligns) at start-up: one outbound topic per context that has
 * integration events, the inbound topic and its dead-letter topic. Deleting old messages by time
 * only (`cleanup.policy=delete`): integration events are a log, not a table.
 */
export const integrationTopicSpecs = (
  contexts: readonly string[],
  settings: IntegrationTopicSettings = {},
  options: { outbound?: boolean; inbound?: boolean } = {},
): TopicSpec[] => {
  const partitions = settings.partitions ?? DEFAULT_TOPIC_SETTINGS.partitions;
  if (!Number.isInteger(partitions) || partitions < MIN_PARTITIONS) {
    throw new TypeError(`Integration topics need at least ${MIN_PARTITIONS} partitions (got ${partitions})`);
  }
  const names = bridgeTopicNames(settings);
  const spec = (topic: string, retentionMs: number): TopicSpec => ({
    topic,
    partitions,
    replicationFactor: settings.replicationFactor,
    retentionMs,
    cleanupPolicy: 'delete',
  });
  const specs: TopicSpec[] = [];
  if (options.outbound ?? true) {
    for (const context of [...new Set(contexts)].sort()) {
      specs.push(spec(names.outbound(context), settings.outboundRetentionMs ?? DEFAULT_TOPIC_SETTINGS.outboundRetentionMs));
    }
  }
  if (options.inbound ?? true) {
    specs.push(spec(names.inbound, settings.inboundRetentionMs ?? DEFAULT_TOPIC_SETTINGS.inboundRetentionMs));
    specs.push(spec(names.deadLetter, settings.deadLetterRetentionMs ?? DEFAULT_TOPIC_SETTINGS.deadLetterRetentionMs));
  }
  return specs;
};
