import { backoffDelay, processMessage, type ProcessMessageDeps } from './consume-policy';
import { DLQ_HEADERS } from './dead-letter';
import { BrokerUnavailableError, isConsumerHaltedError, MessageRejectedError } from './errors';
import { DEFAULT_RETRY_POLICY, type ConsumedMessage, type ConsumerEvent, type OutgoingMessage } from './types';

const message: ConsumedMessage = {
  topic: 'gongzhi.inbound.work-orders.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('ticket-7'),
  value: Buffer.from('{"ticket":7}'),
  headers: { 'content-type': Buffer.from('application/json'), 'dlq-error-code': Buffer.from('stale') },
  timestamp: '1767225600000',
};

class ValidationFailed extends Error {
  readonly code = 'INBOUND.INVALID_WORK_ORDER';
  readonly retriable = false;
}

const setup = (overrides: Partial<ProcessMessageDeps> = {}) => {
  const published: { topic: string; messages: OutgoingMessage[] }[] = [];
  const events: ConsumerEvent[] = [];
  const sleeps: number[] = [];
  const abort = new AbortController();
  let publishFailures = 0;
  const deps: ProcessMessageDeps = {
    handler: async () => undefined,
    retry: { retries: 2, initialDelayMs: 100, maxDelayMs: 300 },
    deadLetterTopic: 'gongzhi.inbound.dlq.v1',
    deadLetterPublisher: {
      publish: async (topic, messages) => {
        if (publishFailures > 0) {
          publishFailures -= 1;
          throw new BrokerUnavailableError('down');
        }
        published.push({ topic, messages });
        return messages.map((_, i) => ({ topic, partition: 0, offset: String(i) }));
      },
      close: async () => undefined,
    },
    signal: abort.signal,
    generation: 1,
    heartbeat: async () => undefined,
    onEvent: (e) => events.push(e),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
  return { deps, published, events, sleeps, abort, failDlqPublishes: (n: number) => (publishFailures = n) };
};

describe('processMessage', () => {
  it('hands the message to the handler once and reports it handled', async () => {
    const calls: number[] = [];
    const { deps, published } = setup({ handler: async (_m, ctx) => void calls.push(ctx.attempt) });
    await expect(processMessage(message, deps)).resolves.toBe('handled');
    expect(calls).toEqual([1]);
    expect(published).toEqual([]);
  });

  it('retries an unknown failure with exponential backoff, then dead-letters it with the headers', async () => {
    const attempts: number[] = [];
    const { deps, published, sleeps, events } = setup({
      handler: async (_m, ctx) => {
        attempts.push(ctx.attempt);
        throw new SyntaxError('Unexpected token } in JSON');
      },
    });
    await expect(processMessage(message, deps)).resolves.toBe('dead-lettered');
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([100, 200]);
    expect(published).toHaveLength(1);
    const [dead] = published[0].messages;
    expect(published[0].topic).toBe('gongzhi.inbound.dlq.v1');
    expect(dead.key).toEqual(message.key);
    expect(dead.value).toEqual(message.value);
    expect(dead.headers).toMatchObject({
      'content-type': Buffer.from('application/json'),
      [DLQ_HEADERS.originalTopic]: 'gongzhi.inbound.work-orders.v1',
      [DLQ_HEADERS.originalPartition]: '2',
      [DLQ_HEADERS.originalOffset]: '41',
      [DLQ_HEADERS.errorCode]: 'SyntaxError',
      [DLQ_HEADERS.errorMessage]: 'Unexpected token } in JSON',
      [DLQ_HEADERS.attempts]: '3',
    });
    expect(events.map((e) => e.type)).toEqual(['handler-failed', 'handler-failed', 'dead-lettered']);
  });

  it('dead-letters a non-retriable failure at once, carrying its code', async () => {
    const { deps, published, sleeps } = setup({
      handler: async () => {
        throw new ValidationFailed('grid code missing');
      },
    });
    await expect(processMessage(message, deps)).resolves.toBe('dead-lettered');
    expect(sleeps).toEqual([]);
    expect(published[0].messages[0].headers?.[DLQ_HEADERS.errorCode]).toBe('INBOUND.INVALID_WORK_ORDER');
  });

  it('keeps retrying a retriable failure past the retry budget and never dead-letters it', async () => {
    let calls = 0;
    const { deps, published, sleeps } = setup({
      handler: async () => {
        calls += 1;
        if (calls < 8) throw new BrokerUnavailableError('database down');
      },
    });
    await expect(processMessage(message, deps)).resolves.toBe('handled');
    expect(calls).toBe(8);
    expect(published).toEqual([]);
    expect(Math.max(...sleeps)).toBe(300);
  });

  it('treats a retriable failure like any other when retriableForever is off', async () => {
    const { deps, published } = setup({
      retry: { retries: 1, initialDelayMs: 1, retriableForever: false },
      handler: async () => {
        throw new BrokerUnavailableError('still down');
      },
    });
    await expect(processMessage(message, deps)).resolves.toBe('dead-lettered');
    expect(published).toHaveLength(1);
  });

  it('halts instead of skipping when there is no dead-letter topic', async () => {
    const { deps } = setup({
      deadLetterTopic: undefined,
      handler: async () => {
        throw new MessageRejectedError('bad');
      },
    });
    const error = await processMessage(message, deps).catch((e) => e);
    expect(isConsumerHaltedError(error)).toBe(true);
    expect(error).toMatchObject({ topic: message.topic, partition: 2, offset: '41' });
  });

  it('retries the dead-letter publish until the broker takes it', async () => {
    const { deps, published, events, failDlqPublishes } = setup({
      handler: async () => {
        throw new ValidationFailed('bad');
      },
    });
    failDlqPublishes(2);
    await expect(processMessage(message, deps)).resolves.toBe('dead-lettered');
    expect(published).toHaveLength(1);
    expect(events.filter((e) => e.type === 'dead-letter-failed')).toHaveLength(2);
  });

  it('abandons a running handler when the consumer stops, so the offset is not committed', async () => {
    const { deps, abort } = setup({ handler: () => new Promise<void>(() => undefined) });
    const outcome = processMessage(message, deps);
    abort.abort();
    await expect(outcome).resolves.toBe('aborted');
  });

  it('does not call the handler at all after a stop', async () => {
    const handler = jest.fn(async () => undefined);
    const { deps, abort } = setup({ handler });
    abort.abort();
    await expect(processMessage(message, deps)).resolves.toBe('aborted');
    expect(handler).not.toHaveBeenCalled();
  });

  it('caps the backoff', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 200, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a))).toEqual([200, 400, 800, 1000, 1000]);
  });
});
