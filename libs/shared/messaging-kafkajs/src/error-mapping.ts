import {
  BrokerUnavailableError,
  MessageRejectedError,
  MessagingError,
  MessagingFailureError,
  MessagingUsageError,
  TopicNotFoundError,
  TransientBrokerError,
} from '@gongzhi/messaging';

/**
 * kafkajs errors → the port's errors. Matched by `name` and protocol `type` (strings kafkajs
 * documents), not by class identity, so a second copy of kafkajs in node_modules maps the same.
 */

// The broker could not be reached or did not answer: back off and retry.
const UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

// Protocol errors about the message or the caller's rights: the same request fails again.
const REJECTED = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'INVALID_REQUIRED_ACKS',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'POLICY_VIOLATION',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
]);

const UNKNOWN_TOPIC = 'UNKNOWN_TOPIC_OR_PARTITION';

interface KafkaJsLike {
  name?: string;
  type?: string;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
  errors?: unknown[];
}

const asLike = (e: unknown): KafkaJsLike => (typeof e === 'object' && e !== null ? (e as KafkaJsLike) : {});

/** The innermost error of a `cause` chain (kafkajs wraps the last failure of its retries). */
export const rootCause = (e: unknown): unknown => {
  let current = e;
  for (let depth = 0; depth < 10; depth++) {
    const cause = asLike(current).cause;
    if (cause === undefined || cause === null || cause === current) return current;
    current = cause;
  }
  return current;
};

const fromProtocolType = (type: string, e: unknown, context: { topic?: string }): MessagingError | undefined => {
  const message = asLike(e).message ?? type;
  if (type === UNKNOWN_TOPIC) return new TopicNotFoundError(context.topic, { cause: e });
  if (REJECTED.has(type)) return new MessageRejectedError(message, { cause: e });
  return undefined;
};

export const toMessagingError = (e: unknown, context: { topic?: string } = {}): MessagingError => {
  if (e instanceof MessagingError) return e;
  const err = asLike(e);
  const name = err.name ?? '';
  const message = err.message ?? String(e);

  if (name === 'KafkaJSAggregateError' && Array.isArray(err.errors) && err.errors.length > 0) {
    return toMessagingError(err.errors[0], context);
  }

  if (name === 'KafkaJSNumberOfRetriesExceeded') {
    // Retries ran out: usually the broker stayed away. When the last failure was about the
    // request itself (missing topic, message too large), say so instead.
    const root = asLike(rootCause(e));
    if (root.type) {
      const specific = fromProtocolType(root.type, e, context);
      if (specific) return specific;
    }
    return new BrokerUnavailableError(`Kafka: retries exhausted: ${root.message ?? message}`, { cause: e });
  }

  if (err.type) {
    const specific = fromProtocolType(err.type, e, context);
    if (specific) return specific;
    return err.retriable === true
      ? new TransientBrokerError(`Kafka: ${message}`, { cause: e })
      : new MessagingFailureError(`Kafka: ${message}`, false, { cause: e });
  }

  // kafkajs also wraps connection failures in generic errors (e.g. a failed reconnect inside a
  // send); the chain still says the broker was unreachable.
  for (let link: unknown = e, depth = 0; link && depth < 10; link = asLike(link).cause, depth++) {
    if (UNAVAILABLE.has(asLike(link).name ?? '')) return new BrokerUnavailableError(`Kafka: ${message}`, { cause: e });
  }

  if (/disconnect/i.test(message) && name.startsWith('KafkaJS')) {
    return new MessagingUsageError(`Kafka: ${message}`, { cause: e });
  }

  if (name.startsWith('KafkaJS')) {
    return new MessagingFailureError(`Kafka: ${message}`, err.retriable === true, { cause: e });
  }
  return new MessagingFailureError(message, false, { cause: e });
};
