import { errorCode, errorMessage } from './errors';
import type { ConsumedMessage, MessagePublisher, OutgoingHeaders, PublishedRecord } from './types';

/**
 * Headers a dead letter carries besides the original ones, so an operator can find the original
 * record (topic, partition, offset) and see why it was rejected without parsing the value.
 */
export const DLQ_HEADERS = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/** Long error messages are cut: headers are not a log store (and must stay under the size limit). */
export const MAX_DLQ_ERROR_MESSAGE = 1000;

export interface DeadLetterOptions {
  error: unknown;
  attempts?: number;
  /** Clock for `dlq-failed-at`; defaults to the system clock. */
  now?: () => Date;
}

/** The dead letter for `message`: same key and value, original headers plus the DLQ_HEADERS. */
export const deadLetterMessage = (message: ConsumedMessage, options: DeadLetterOptions) => {
  const headers: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined && !name.startsWith('dlq-')) headers[name] = value;
  }
  headers[DLQ_HEADERS.originalTopic] = message.topic;
  headers[DLQ_HEADERS.originalPartition] = String(message.partition);
  headers[DLQ_HEADERS.originalOffset] = message.offset;
  headers[DLQ_HEADERS.errorCode] = errorCode(options.error);
  headers[DLQ_HEADERS.errorMessage] = errorMessage(options.error).slice(0, MAX_DLQ_ERROR_MESSAGE);
  if (options.attempts !== undefined) headers[DLQ_HEADERS.attempts] = String(options.attempts);
  headers[DLQ_HEADERS.failedAt] = (options.now ?? (() => new Date()))().toISOString();
  return { key: message.key, value: message.value, headers };
};

/**
 * Republishes `message` to `deadLetterTopic` and resolves once the broker acknowledged it. Only
 * then may the consumer commit the original offset: a crash in between yields a second dead
 * letter, never none.
 */
export const deadLetter = async (
  publisher: MessagePublisher,
  deadLetterTopic: string,
  message: ConsumedMessage,
  options: DeadLetterOptions,
): Promise<PublishedRecord> => {
  const [record] = await publisher.publish(deadLetterTopic, [deadLetterMessage(message, options)]);
  return record;
};
