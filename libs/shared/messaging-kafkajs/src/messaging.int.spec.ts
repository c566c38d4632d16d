import { Kafka, ConfigResourceTypes, logLevel } from 'kafkajs';
import { describeWithKafka, kafkaTestBrokers } from '@gongzhi/testing';
import {
  cloudEventMessage,
  parseCloudEvent,
  toCloudEvent,
  DLQ_HEADERS,
  isTopicNotFoundError,
  headerText,
  type ConsumedMessage,
  type RunningConsumer,
} from '@gongzhi/messaging';
import { testMessaging, uniqueName, waitUntil } from './int-test-support';
import type { KafkaMessaging } from './kafka-messaging';
import { checkLog, type AckedRecord, type ConsumedRecord } from '@gongzhi/messaging/testing';

describeWithKafka()('messaging over a real Kafka broker', () => {
  let messaging: KafkaMessaging;
  const running: RunningConsumer[] = [];
  const topics: string[] = [];

  beforeAll(() => {
    messaging = testMessaging(kafkaTestBrokers()).messaging;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await messaging.admin.deleteTopics(topics).catch(() => undefined);
    await messaging.close();
  });

  const freshTopic = async (prefix: string, partitions = 3) => {
    const topic = uniqueName(prefix);
    topics.push(topic);
    await messaging.admin.ensureTopics([{ topic, partitions }]);
    return topic;
  };
  const consume = async (...args: Parameters<KafkaMessaging['consumer']['run']>) => {
    const consumer = await messaging.consumer.run(...args);
    running.push(consumer);
    return consumer;
  };
  const idOf = (m: ConsumedMessage) => m.value!.toString();
  const committedEqualsEnd = async (groupId: string, topic: string) => {
    const [committed, ends] = await Promise.all([messaging.admin.committedOffsets(groupId, topic), messaging.admin.topicOffsets(topic)]);
    return ends.every((e) => e.high === '0' || committed.find((c) => c.partition === e.partition)?.offset === e.high);
  };

  it('publishes keyed messages, consumes them in order with manual commits, and resumes after the commit', async () => {
    const topic = await freshTopic('roundtrip');
    const groupId = uniqueName('group');
    const acked: AckedRecord[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const messages = Array.from({ length: 10 }, (_, i) => ({ key: `key-${i % 4}`, value: `m-${batch}-${i}`, headers: { batch: String(batch) } }));
      const placed = await messaging.publisher.publish(topic, messages);
      placed.forEach((p, i) => acked.push({ id: String(messages[i].value), key: messages[i].key, topic, partition: p.partition, offset: p.offset }));
    }
    const consumed: ConsumedRecord[] = [];
    const c1 = await consume({
      topic,
      groupId,
      handler: async (m, ctx) => {
        consumed.push({ id: idOf(m), key: m.key!.toString(), topic: m.topic, partition: m.partition, offset: m.offset, session: `c1:${ctx.generation}` });
      },
    });
    await waitUntil(() => consumed.length >= acked.length, 20_000, () => `30 messages, got ${consumed.length}`);
    await waitUntil(() => committedEqualsEnd(groupId, topic), 10_000, 'commits to reach the end of every partition');
    await c1.stop();

    const result = checkLog(acked, consumed, { allowRedelivery: false });
    expect(result.summary).toContain('valid=true');
    expect(consumed.find((r) => r.id === 'm-1-3')).toBeDefined();

    // The same group starts where it committed: only the new messages arrive.
    await messaging.publisher.publish(topic, [{ key: 'key-9', value: 'late-1' }, { key: 'key-9', value: 'late-2' }]);
    const later: string[] = [];
    await consume({ topic, groupId, handler: async (m) => void later.push(idOf(m)) });
    await waitUntil(() => committedEqualsEnd(groupId, topic), 15_000, 'the second consumer to commit the new messages');
    expect(later).toEqual(['late-1', 'late-2']);
  });

  it('carries headers and a CloudEvents envelope unchanged', async () => {
    const topic = await freshTopic('cloudevents', 1);
    const event = toCloudEvent({
      id: '7d8f1e1c-6c07-5f0e-9a1a-0b8f0b6b2f3e',
      source: '/gongzhi/community',
      type: 'gongzhi.community.incident.reported.v1',
      subject: 'incident-1',
      time: '2026-03-01T08:30:00.000Z',
      data: { incidentId: 'incident-1', category: 'road' },
    });
    await messaging.publisher.publish(topic, [cloudEventMessage(event, 'community.incident-1')]);
    const received: ConsumedMessage[] = [];
    await consume({ topic, groupId: uniqueName('group'), handler: async (m) => void received.push(m) });
    await waitUntil(() => received.length === 1, 15_000, 'the event');
    expect(received[0].key!.toString()).toBe('community.incident-1');
    expect(headerText(received[0], 'content-type')).toBe('application/cloudevents+json; charset=utf-8');
    expect(parseCloudEvent(received[0].value)).toEqual(event);
  });

  it('creates topics with their partitions and retention, then aligns them idempotently', async () => {
    const topic = uniqueName('admin');
    topics.push(topic);
    const admin = messaging.admin;
    await expect(
      admin.ensureTopics([{ topic, partitions: 2, retentionMs: 3_600_000, configs: { 'max.message.bytes': '200000' } }]),
    ).resolves.toEqual({ created: [topic], updated: [], unchanged: [] });
    await expect(admin.ensureTopics([{ topic, partitions: 2, retentionMs: 3_600_000 }])).resolves.toEqual({ created: [], updated: [], unchanged: [topic] });
    await expect(admin.ensureTopics([{ topic, partitions: 4, retentionMs: 7_200_000 }])).resolves.toEqual({ created: [], updated: [topic], unchanged: [] });
    expect(await admin.topicOffsets(topic)).toHaveLength(4);

    // Checked with a separate raw client, not through the adapter under test.
    const raw = new Kafka({ brokers: kafkaTestBrokers(), logLevel: logLevel.NOTHING }).admin();
    await raw.connect();
    try {
      const described = await raw.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
      const config = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(config['retention.ms']).toBe('7200000');
      expect(config['max.message.bytes']).toBe('200000');
    } finally {
      await raw.disconnect();
    }
    await expect(admin.ensureTopics([{ topic, partitions: 1 }])).rejects.toMatchObject({ code: 'MESSAGING.USAGE', retriable: false });
  });

  it('rejects a publish to a missing topic with a non-retriable TopicNotFoundError', async () => {
    // A short retry budget: by default kafkajs waits a few seconds for the topic's metadata to appear.
    const { messaging: impatient } = testMessaging(kafkaTestBrokers(), { publish: { retries: 2 } });
    try {
      const error = await impatient.publisher.publish(uniqueName('missing'), [{ value: 'x' }]).catch((e) => e);
      expect(isTopicNotFoundError(error)).toBe(true);
      expect(error.retriable).toBe(false);
      // the publisher is still usable afterwards
      const topic = await freshTopic('after-missing', 1);
      await expect(impatient.publisher.publish(topic, [{ value: 'y' }])).resolves.toEqual([{ topic, partition: 0, offset: '0' }]);
    } finally {
      await impatient.close();
    }
  });

  // K-5: consumer stopped mid-processing, before its (simulated) database commit.
  it('K-5: redelivers the message whose handler was interrupted before commit; nothing lost, processed once', async () => {
    const topic = await freshTopic('k5', 1);
    const groupId = uniqueName('group');
    const placed = await messaging.publisher.publish(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'aggregate-1', value: `e${i}` })));
    const acked = placed.map((p, i) => ({ id: `e${i}`, key: 'aggregate-1', topic, partition: p.partition, offset: p.offset }));
    const database = new Map<string, number>(); // event id → times applied: the handler's side effect
    const consumed: ConsumedRecord[] = [];
    let interrupted!: () => void;
    const handlerInterrupted = new Promise<void>((r) => (interrupted = r));

    const first = await consume({
      topic,
      groupId,
      handler: async (m, ctx) => {
        consumed.push({ id: idOf(m), key: 'aggregate-1', topic, partition: m.partition, offset: m.offset, session: `first:${ctx.generation}` });
        if (idOf(m) === 'e5') {
          interrupted();
          // The work never finishes; the transaction would roll back when the process dies.
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          if (ctx.signal.aborted) return;
        }
        database.set(idOf(m), (database.get(idOf(m)) ?? 0) + 1);
      },
    });
    await handlerInterrupted;
    await first.stop();
    expect([...database.keys()]).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(await messaging.admin.committedOffsets(groupId, topic)).toEqual([{ partition: 0, offset: '5' }]);

    await consume({
      topic,
      groupId,
      handler: async (m, ctx) => {
        consumed.push({ id: idOf(m), key: 'aggregate-1', topic, partition: m.partition, offset: m.offset, session: `second:${ctx.generation}` });
        database.set(idOf(m), (database.get(idOf(m)) ?? 0) + 1);
      },
    });
    await waitUntil(() => database.size === 10, 15_000, () => `all 10 applied, have ${[...database.keys()]}`);
    await waitUntil(() => committedEqualsEnd(groupId, topic), 10_000, 'the commit of the last message');
    expect([...database.values()].every((n) => n === 1)).toBe(true);
    const result = checkLog(acked, consumed);
    expect(result.summary).toContain('valid=true');
    expect(result.redeliveries).toEqual([{ placement: `${topic}/0@5`, count: 2 }]);
  });

  // K-9: poison messages.
  it('K-9: retries a poison message a bounded number of times, dead-letters it with its origin, and keeps the partition moving', async () => {
    const topic = await freshTopic('k9', 1);
    const dlq = await freshTopic('k9-dlq', 1);
    const groupId = uniqueName('group');
    await messaging.publisher.publish(topic, ['ok-1', 'poison', 'ok-2', 'invalid', 'ok-3'].map((v) => ({ key: 'k', value: v, headers: { origin: 'hotline' } })));
    const handled: string[] = [];
    const attempts: Record<string, number> = {};
    class InvalidWorkOrder extends Error {
      readonly code = 'INBOUND.INVALID_WORK_ORDER';
      readonly retriable = false;
    }
    await consume({
      topic,
      groupId,
      deadLetterTopic: dlq,
      retry: { retries: 2, initialDelayMs: 50, maxDelayMs: 100 },
      handler: async (m, ctx) => {
        const v = idOf(m);
        attempts[v] = ctx.attempt;
        if (v === 'poison') throw new Error('Unexpected token p in JSON at position 0');
        if (v === 'invalid') throw new InvalidWorkOrder('gridCode is required');
        handled.push(v);
      },
    });
    await waitUntil(() => handled.length === 3, 20_000, () => `ok-1..3 handled, got ${handled}`);
    await waitUntil(() => committedEqualsEnd(groupId, topic), 10_000, 'the partition to be committed to its end');
    expect(handled).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(attempts).toMatchObject({ poison: 3, invalid: 1 });

    const dead: ConsumedMessage[] = [];
    await consume({ topic: dlq, groupId: uniqueName('dlq-reader'), handler: async (m) => void dead.push(m) });
    await waitUntil(() => dead.length === 2, 15_000, 'two dead letters');
    expect(dead.map((m) => [idOf(m), m.key!.toString()])).toEqual([
      ['poison', 'k'],
      ['invalid', 'k'],
    ]);
    expect(dead.map((m) => ({
      topic: headerText(m, DLQ_HEADERS.originalTopic),
      partition: headerText(m, DLQ_HEADERS.originalPartition),
      offset: headerText(m, DLQ_HEADERS.originalOffset),
      code: headerText(m, DLQ_HEADERS.errorCode),
      message: headerText(m, DLQ_HEADERS.errorMessage),
      origin: headerText(m, 'origin'),
    }))).toEqual([
      { topic, partition: '0', offset: '1', code: 'Error', message: 'Unexpected token p in JSON at position 0', origin: 'hotline' },
      { topic, partition: '0', offset: '3', code: 'INBOUND.INVALID_WORK_ORDER', message: 'gridCode is required', origin: 'hotline' },
    ]);
  });
});
