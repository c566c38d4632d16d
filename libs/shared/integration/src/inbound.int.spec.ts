import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore, type SqliteEventStore } from '@gongzhi/event-store-sqlite';
import { describeWithKafka, kafkaTestBrokers } from '@gongzhi/testing';
import { DLQ_HEADERS, headerText, type ConsumedMessage, type PublishedRecord } from '@gongzhi/messaging';
import type { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import { testMessaging, uniqueName } from '@gongzhi/messaging-kafkajs/testing';
import { InboundWorkOrderConsumer, type InboundEvent } from './inbound/inbound-consumer';
import { workOrderMessage } from './testing/work-order-fixtures';
import { EventSourcedTestHandler, testIncidentStream } from './test-support/event-sourced-handler';
import { waitUntil } from './test-support/fixtures';

/**
 * The inbound consumer against the shared broker (127.0.0.1:19092) and the real command path
 * (CommandProcessor over a SQLite event store, with a stand-in work-order decider). "Killed"
 * here means the consumer is stopped while its handler is held at a chosen point: the member
 * leaves without committing that offset, as a killed process would (its session would expire).
 */
describeWithKafka()('inbound work orders over a real broker', () => {
  const brokers = kafkaTestBrokers();
  const cleanups: (() => Promise<void> | void)[] = [];
  let admin: KafkaMessaging;
  const topics: string[] = [];

  beforeAll(() => {
    admin = testMessaging(brokers).messaging;
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await admin.admin.deleteTopics(topics).catch(() => undefined);
    await admin.close();
  });

  const setup = async (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), `inbound-${prefix}-`));
    const store: SqliteEventStore = createSqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const topic = uniqueName(`${prefix}-in`);
    const dlq = uniqueName(`${prefix}-dlq`);
    topics.push(topic, dlq);
    await admin.admin.ensureTopics([{ topic, partitions: 3 }, { topic: dlq, partitions: 3 }]);
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const groupId = uniqueName(`${prefix}-group`);
    const handler = new EventSourcedTestHandler(store);
    const events: InboundEvent[] = [];
    /** A bridge process: its own client, joining the shared group. */
    const member = async () => {
      const { messaging } = testMessaging(brokers);
      const consumer = new InboundWorkOrderConsumer({
        consumer: messaging.consumer,
        handler,
        topic,
        deadLetterTopic: dlq,
        groupId,
        retry: { retries: 2, initialDelayMs: 50, maxDelayMs: 200 },
        onEvent: (e) => events.push(e),
      });
      await consumer.start();
      const stop = async () => {
        await consumer.stop();
        await messaging.close();
      };
      cleanups.push(stop);
      return { stop };
    };
    const send = async (value: string, key = 'hotline-12345'): Promise<PublishedRecord> => (await admin.publisher.publish(topic, [{ key, value }]))[0];
    const committed = async (partition: number) => (await admin.admin.committedOffsets(groupId, topic)).find((c) => c.partition === partition)?.offset ?? null;
    const processed = () => events.filter((e): e is Extract<InboundEvent, { type: 'processed' }> => e.type === 'processed');
    return { store, topic, dlq, handler, member, send, committed, processed };
  };

  const hold = () => {
    let reached!: () => void;
    const reachedOnce = new Promise<void>((r) => (reached = r));
    return { reached: reachedOnce, hang: async () => (reached(), await new Promise<never>(() => undefined)) };
  };

  it('K-4: killed after the command committed and before the offset commit, the order is redelivered and the command id makes it a no-op', async () => {
    const { store, handler, member, send, committed, processed } = await setup('k4');
    const order = workOrderMessage();
    const held = hold();
    let first = true;
    handler.afterCommand = async () => {
      if (first) {
        first = false;
        await held.hang();
      }
    };
    const a = await member();
    const placed = await send(order.value);
    await held.reached;
    // The work order is durable, its offset is not committed: the process dies here.
    const stream = testIncidentStream(EventSourcedTestHandler.incidentIdOf({ source: '/hotline/12345/test', ticketNumber: (order.event.data as { ticketNumber: string }).ticketNumber }));
    expect(await store.readStream(stream)).toHaveLength(1);
    await a.stop();
    expect(await committed(placed.partition)).toBeNull();

    await member();
    await waitUntil(() => processed().length === 1, 30_000, 'the redelivery');
    expect(processed()[0]).toMatchObject({ messageId: order.id, idempotentReplay: true, offset: placed.offset });
    await waitUntil(async () => (await committed(placed.partition)) === String(BigInt(placed.offset) + 1n), 10_000, 'the offset commit');
    // Exactly one work order with one set of events.
    const events = await store.readStream(stream);
    expect(events.map((e) => e.type)).toEqual(['TestWorkOrderReceived']);
    expect(events[0].metadata).toMatchObject({ commandId: order.id, correlationId: order.id });
    expect((await store.readAll()).length).toBe(1);
  }, 60_000);

  it('K-5: killed before the command committed, the order is redelivered and processed once', async () => {
    const { store, handler, member, send, committed, processed } = await setup('k5');
    const order = workOrderMessage();
    const held = hold();
    let first = true;
    handler.beforeCommand = async () => {
      if (first) {
        first = false;
        await held.hang();
      }
    };
    const a = await member();
    const placed = await send(order.value);
    await held.reached;
    await a.stop();
    expect(await store.readAll()).toHaveLength(0);
    expect(await committed(placed.partition)).toBeNull();

    await member();
    await waitUntil(() => processed().length === 1, 30_000, 'the redelivery');
    expect(processed()[0]).toMatchObject({ messageId: order.id, idempotentReplay: false });
    await waitUntil(async () => (await committed(placed.partition)) === String(BigInt(placed.offset) + 1n), 10_000, 'the offset commit');
    expect((await store.readAll()).map((e) => e.type)).toEqual(['TestWorkOrderReceived']);
  }, 60_000);

  it('K-9: poison messages go to the dead-letter topic with their origin and reason, and the orders behind them are processed', async () => {
    const { store, dlq, topic, member, send, committed, processed } = await setup('k9');
    const notJson = await send('this is not json');
    const invalid = await send(workOrderMessage({ data: { ticketNumber: '', location: 'somewhere' } }).value);
    const refused = await send(workOrderMessage({ data: { communityCode: 'no-such-community' } }).value);
    const good = [workOrderMessage(), workOrderMessage()];
    const goodPlaced = [await send(good[0].value), await send(good[1].value)];
    expect(new Set([notJson, invalid, refused, ...goodPlaced].map((p) => p.partition)).size).toBe(1); // one key: one partition, in this order

    const deadLetters: ConsumedMessage[] = [];
    const reader = await admin.consumer.run({ topic: dlq, groupId: uniqueName('k9-dlq-reader'), handler: async (m) => void deadLetters.push(m) });
    cleanups.push(() => reader.stop());
    await member();
    await waitUntil(() => processed().length === 2 && deadLetters.length === 3, 30_000, () => `2 processed (${processed().length}) and 3 dead letters (${deadLetters.length})`);

    const byOffset = new Map(deadLetters.map((m) => [headerText(m, DLQ_HEADERS.originalOffset), m]));
    const expectDeadLetter = (placed: PublishedRecord, code: string, message: RegExp) => {
      const m = byOffset.get(placed.offset);
      expect(m).toBeDefined();
      if (!m) return;
      expect(headerText(m, DLQ_HEADERS.originalTopic)).toBe(topic);
      expect(headerText(m, DLQ_HEADERS.originalPartition)).toBe(String(placed.partition));
      expect(headerText(m, DLQ_HEADERS.errorCode)).toBe(code);
      expect(headerText(m, DLQ_HEADERS.errorMessage)).toMatch(message);
      expect(m.key?.toString()).toBe('hotline-12345');
    };
    expectDeadLetter(notJson, 'INTEGRATION.INVALID_WORK_ORDER', /not a CloudEvents 1.0 JSON event/);
    expectDeadLetter(invalid, 'INTEGRATION.INVALID_WORK_ORDER', /data.ticketNumber must not be empty; data.location must be an object/);
    expectDeadLetter(refused, 'COMMUNITY.COMMUNITY_NOT_FOUND', /No community no-such-community/);
    // The dead letter keeps the original value for an operator to inspect and resend.
    expect(byOffset.get(notJson.offset)?.value?.toString()).toBe('this is not json');

    expect(processed().map((p) => p.messageId)).toEqual(good.map((g) => g.id));
    expect((await store.readAll()).map((e) => e.type)).toEqual(['TestWorkOrderReceived', 'TestWorkOrderReceived']);
    await waitUntil(async () => (await committed(notJson.partition)) === String(BigInt(goodPlaced[1].offset) + 1n), 10_000, 'the offset past everything');
  }, 60_000);
});
