import { DLQ_HEADERS, headerText } from '@gongzhi/messaging';
import { InMemoryMessageBus } from '@gongzhi/messaging/testing';
import { DomainError } from '@gongzhi/kernel';
import { RecordingWorkOrderHandler, workOrderMessage } from '../testing';
import { InboundWorkOrderConsumer, TransientInboundError, type InboundEvent } from './inbound-consumer';

class UnknownCommunity extends DomainError {
  readonly code = 'COMMUNITY.COMMUNITY_NOT_FOUND';
}

const waitFor = async (condition: () => boolean, what: string, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('InboundWorkOrderConsumer', () => {
  const topic = 'in';
  const dlq = 'dlq';
  let bus: InMemoryMessageBus;
  let handler: RecordingWorkOrderHandler;
  let consumer: InboundWorkOrderConsumer;
  let events: InboundEvent[];

  beforeEach(async () => {
    bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic, partitions: 3 }, { topic: dlq, partitions: 3 }]);
    handler = new RecordingWorkOrderHandler();
    events = [];
    consumer = new InboundWorkOrderConsumer({
      consumer: bus,
      handler,
      topic,
      deadLetterTopic: dlq,
      groupId: 'g',
      retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 5 },
      onEvent: (e) => events.push(e),
    });
  });
  afterEach(() => consumer.stop());

  const send = (value: string, key = 'k') => bus.publish(topic, [{ key, value }]);
  const processed = () => events.filter((e) => e.type === 'processed');

  it('hands each valid order to the handler with the message id as command id, once', async () => {
    const a = workOrderMessage();
    const b = workOrderMessage();
    await consumer.start();
    await send(a.value);
    await send(b.value);
    await send(a.value); // the sender resent a
    await waitFor(() => processed().length === 3, 'three deliveries');
    expect(handler.calls.map((c) => c.context.commandId)).toEqual([a.id, b.id, a.id]);
    expect([...handler.applied.keys()]).toEqual([a.id, b.id]);
    expect(processed().map((e) => (e.type === 'processed' ? e.idempotentReplay : undefined))).toEqual([false, false, true]);
    expect(bus.records(dlq)).toHaveLength(0);
  });

  it('dead-letters an invalid message at once with the reason, and goes on with the next', async () => {
    await consumer.start();
    await send('{"specversion":"1.0","id":"x1","source":"/hotline","type":"gongzhi.inbound.hotline-work-order.v1","data":{}}');
    const good = workOrderMessage();
    await send(good.value);
    await waitFor(() => processed().length === 1, 'the good message');
    const [dead] = bus.records(dlq);
    expect(headerText(dead, DLQ_HEADERS.originalTopic)).toBe(topic);
    expect(headerText(dead, DLQ_HEADERS.originalPartition)).toBe(String(bus.records(topic)[0].partition));
    expect(headerText(dead, DLQ_HEADERS.originalOffset)).toBe('0');
    expect(headerText(dead, DLQ_HEADERS.errorCode)).toBe('INTEGRATION.INVALID_WORK_ORDER');
    expect(headerText(dead, DLQ_HEADERS.errorMessage)).toContain('data.ticketNumber is required');
    expect(headerText(dead, DLQ_HEADERS.attempts)).toBe('1');
    expect(handler.calls).toHaveLength(1);
  });

  it('dead-letters an order the domain refuses, with the rule code', async () => {
    const refused = workOrderMessage({ data: { ticketNumber: 'NOPE1' } });
    handler.failWith('NOPE1', new UnknownCommunity('No community test-community'));
    await consumer.start();
    await send(refused.value);
    await waitFor(() => bus.records(dlq).length === 1, 'the dead letter');
    expect(headerText(bus.records(dlq)[0], DLQ_HEADERS.errorCode)).toBe('COMMUNITY.COMMUNITY_NOT_FOUND');
    expect(handler.calls).toHaveLength(1);
  });

  it('retries a transient failure until it passes, never dead-letters it, and commits only afterwards', async () => {
    const order = workOrderMessage({ data: { ticketNumber: 'DBDOWN' } });
    let databaseUp = false;
    handler.failWith('DBDOWN', () => (databaseUp ? undefined : Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    await consumer.start();
    await send(order.value);
    await waitFor(() => events.filter((e) => e.type === 'handler-failed').length >= 4, 'four failures');
    const partition = bus.records(topic)[0].partition;
    const committed = async () => (await bus.committedOffsets('g', topic)).find((c) => c.partition === partition)?.offset ?? null;
    expect(await committed()).toBeNull();
    databaseUp = true;
    await waitFor(() => processed().length === 1, 'the order after the outage', 5000);
    await bus.waitForIdle();
    expect(await committed()).toBe('1');
    const failures = events.filter((e) => e.type === 'handler-failed');
    // More than the 2 retries unknown errors get: a transient failure is never given up on.
    expect(failures.length).toBeGreaterThan(2);
    expect(failures.every((e) => e.type === 'handler-failed' && e.error instanceof TransientInboundError)).toBe(true);
    expect(bus.records(dlq)).toHaveLength(0);
  });

  it('dead-letters an unknown error after the bounded retries', async () => {
    const order = workOrderMessage({ data: { ticketNumber: 'BUG1' } });
    handler.failWith('BUG1', new TypeError('cannot read properties of undefined'));
    await consumer.start();
    await send(order.value);
    await waitFor(() => bus.records(dlq).length === 1, 'the dead letter');
    expect(headerText(bus.records(dlq)[0], DLQ_HEADERS.attempts)).toBe('3');
    expect(headerText(bus.records(dlq)[0], DLQ_HEADERS.errorCode)).toBe('TypeError');
  });
});
