import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import {
  BrokerUnavailableError,
  isBrokerUnavailableError,
  isMessageRejectedError,
  isMessagingError,
  isRetriableError,
  isTopicNotFoundError,
} from '@gongzhi/messaging';
import { toMessagingError } from './error-mapping';

// kafkajs builds protocol errors from its error-code table entries.
const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code: 0, retriable, message: `broker says ${type}` } as never);

const retriesExceeded = (cause: Error) =>
  new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 3000 });

describe('toMessagingError', () => {
  it('maps connection failures and timeouts to a retriable BrokerUnavailableError', () => {
    for (const e of [
      new KafkaJSConnectionError('Connection error: ECONNREFUSED', { broker: '127.0.0.1:19092', code: 'ECONNREFUSED' }),
      new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {} as never),
    ]) {
      const mapped = toMessagingError(e);
      expect(isBrokerUnavailableError(mapped)).toBe(true);
      expect(mapped.retriable).toBe(true);
      expect(mapped.cause).toBe(e);
    }
  });

  it('maps exhausted retries after an outage to a retriable BrokerUnavailableError', () => {
    const mapped = toMessagingError(retriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED')));
    expect(mapped).toBeInstanceOf(BrokerUnavailableError);
    expect(isRetriableError(mapped)).toBe(true);
  });

  it('says the topic is missing, not retriable, when retries ended on UNKNOWN_TOPIC_OR_PARTITION', () => {
    const mapped = toMessagingError(retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)), { topic: 'gongzhi.x.v1' });
    expect(isTopicNotFoundError(mapped)).toBe(true);
    expect(mapped.retriable).toBe(false);
    expect(mapped.message).toContain('gongzhi.x.v1');
  });

  it('rejects a message the broker refuses (too large) as not retriable', () => {
    const mapped = toMessagingError(protocolError('MESSAGE_TOO_LARGE', false));
    expect(isMessageRejectedError(mapped)).toBe(true);
    expect(mapped.retriable).toBe(false);
  });

  it('keeps the broker’s verdict for other protocol errors', () => {
    expect(toMessagingError(protocolError('NOT_LEADER_OR_FOLLOWER', true))).toMatchObject({ code: 'MESSAGING.TRANSIENT', retriable: true });
    expect(toMessagingError(protocolError('UNSUPPORTED_VERSION', false))).toMatchObject({ code: 'MESSAGING.FAILURE', retriable: false });
  });

  it('maps a producer used while disconnecting to a usage error, and other kafkajs errors by their flag', () => {
    expect(toMessagingError(new KafkaJSNonRetriableError("The producer is disconnecting; therefore, it can't safely accept messages anymore"))).toMatchObject({
      code: 'MESSAGING.USAGE',
      retriable: false,
    });
    expect(toMessagingError(new KafkaJSError('something transient', { retriable: true }))).toMatchObject({ retriable: true });
    expect(toMessagingError(new TypeError('bad argument'))).toMatchObject({ code: 'MESSAGING.FAILURE', retriable: false });
  });

  it('passes the port’s own errors through and recognises them by code', () => {
    const own = new BrokerUnavailableError('down');
    expect(toMessagingError(own)).toBe(own);
    expect(isMessagingError({ code: 'MESSAGING.TRANSIENT', retriable: true })).toBe(true);
    expect(isMessagingError({ code: 'EVENT_STORE.CONCURRENCY', retriable: false })).toBe(false);
    expect(isMessagingError(new Error('plain'))).toBe(false);
  });
});
