/**
 * Errors owned by the messaging port. Every adapter translates its native errors (kafkajs error
 * classes, protocol error codes) into these, so a relay or a consumer can decide from `retriable`
 * whether to back off and try again or to dead-letter. Guards check `code`, not `instanceof`, so
 * they work across module copies.
 */
export abstract class MessagingError extends Error {
  abstract readonly code: string;
  /** Whether the same call may succeed later (broker down, leader moving) or never will. */
  abstract readonly retriable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The broker could not be reached or did not answer in time. Back off and retry. */
export class BrokerUnavailableError extends MessagingError {
  readonly code = 'MESSAGING.BROKER_UNAVAILABLE';
  readonly retriable = true;
}

/** The broker answered with a transient condition (leader election, rebalance, coordinator load). */
export class TransientBrokerError extends MessagingError {
  readonly code = 'MESSAGING.TRANSIENT';
  readonly retriable = true;
}

/** The topic does not exist (topics are created by `ensureTopics`, never implicitly). */
export class TopicNotFoundError extends MessagingError {
  readonly code = 'MESSAGING.TOPIC_NOT_FOUND';
  readonly retriable = false;
  constructor(readonly topic: string | undefined, options?: { cause?: unknown }) {
    super(topic ? `Topic ${topic} does not exist` : 'Topic does not exist', options);
  }
}

/** The broker refused the message itself (too large, invalid record, not authorized, policy). */
export class MessageRejectedError extends MessagingError {
  readonly code = 'MESSAGING.MESSAGE_REJECTED';
  readonly retriable = false;
}

/** A call the client should never have made (bad arguments, closed publisher, config mismatch). */
export class MessagingUsageError extends MessagingError {
  readonly code = 'MESSAGING.USAGE';
  readonly retriable = false;
}

/** Any other broker or client failure; `retriable` is whatever the client said. */
export class MessagingFailureError extends MessagingError {
  readonly code = 'MESSAGING.FAILURE';
  constructor(message: string, readonly retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A message that is not a valid CloudEvents 1.0 structured JSON envelope. */
export class InvalidCloudEventError extends MessagingError {
  readonly code = 'MESSAGING.INVALID_CLOUD_EVENT';
  readonly retriable = false;
}

/**
 * The consumer gave up on a message (retries exhausted, or not retriable) and had no dead-letter
 * topic to put it in: it stops rather than skip the message silently.
 */
export class ConsumerHaltedError extends MessagingError {
  readonly code = 'MESSAGING.CONSUMER_HALTED';
  readonly retriable = false;
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    options?: { cause?: unknown },
  ) {
    super(`Consumer halted at ${topic}/${partition}@${offset}: handler failed and no dead-letter topic is set`, options);
  }
}

const hasCode = (e: unknown, code: string): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;

export const isMessagingError = (e: unknown): e is MessagingError =>
  e instanceof MessagingError ||
  (typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    ((e as { code: string }).code.startsWith('MESSAGING.')) &&
    typeof (e as { retriable?: unknown }).retriable === 'boolean');

/**
 * True when the error says retrying may succeed. Works for any error that carries a boolean
 * `retriable` (ours, kafkajs's, an application error following the same convention).
 */
export const isRetriableError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { retriable?: unknown }).retriable === true;

/** True only when the error explicitly says retrying is pointless (`retriable: false`). */
export const isNonRetriableError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { retriable?: unknown }).retriable === false;

export const isBrokerUnavailableError = (e: unknown): e is BrokerUnavailableError =>
  hasCode(e, 'MESSAGING.BROKER_UNAVAILABLE');
export const isTopicNotFoundError = (e: unknown): e is TopicNotFoundError => hasCode(e, 'MESSAGING.TOPIC_NOT_FOUND');
export const isMessageRejectedError = (e: unknown): e is MessageRejectedError =>
  hasCode(e, 'MESSAGING.MESSAGE_REJECTED');
export const isInvalidCloudEventError = (e: unknown): e is InvalidCloudEventError =>
  hasCode(e, 'MESSAGING.INVALID_CLOUD_EVENT');
export const isConsumerHaltedError = (e: unknown): e is ConsumerHaltedError => hasCode(e, 'MESSAGING.CONSUMER_HALTED');

/** A short, stable code for an arbitrary error (dead-letter headers, logs). */
export const errorCode = (e: unknown): string => {
  if (typeof e === 'object' && e !== null) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'UNKNOWN';
};

export const errorMessage = (e: unknown): string =>
  e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
