import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { IncidentRow, hotlineIncidentId } from '@gongzhi/community';
import { createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from '@gongzhi/community/testing';
import { describeWithKafka, kafkaTestBrokers } from '@gongzhi/testing';
import { DLQ_HEADERS, headerText, parseCloudEvent, type CloudEvent, type ConsumedMessage, type RunningConsumer } from '@gongzhi/messaging';
import { testMessaging, uniqueName, waitUntil } from '@gongzhi/messaging-kafkajs/testing';
import type { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import { INTEGRATION_CATALOGUE, KafkaBridgeModule, KafkaBridgeService, findPersonalData } from '@gongzhi/integration';
import { workOrderMessage } from '@gongzhi/integration/testing';
import { CommunityWorkOrderHandler, KAFKA_BRIDGE_ACTOR } from './community-work-order.handler';

/**
 * The inbound and outbound halves together with the real community context (its
 * ReceiveHotlineWorkOrder command, projections and the privacy layer) and the shared broker:
 * a hotline work order sent to the inbound topic becomes an incident, and the incident's events
 * come out on the community topic without personal data.
 */
const DAY_MS = 86_400_000;

describeWithKafka()('hotline work orders through Kafka into the community context', () => {
  const brokers = kafkaTestBrokers();
  let app: CommunityTestApp;
  let admin: KafkaMessaging;
  let tree: Awaited<ReturnType<typeof createCommunityTestTree>>;
  const prefix = uniqueName('bridge');
  const topics = { inboundTopic: `${prefix}.inbound`, deadLetterTopic: `${prefix}.dlq`, outboundTopic: (context: string) => `${prefix}.${context}` };
  const outbound: { message: ConsumedMessage; event: CloudEvent }[] = [];
  const deadLetters: ConsumedMessage[] = [];
  const readers: RunningConsumer[] = [];

  beforeAll(async () => {
    admin = testMessaging(brokers).messaging;
    app = await createCommunityTestApp({
      privacy: true,
      imports: [
        KafkaBridgeModule.forRoot({
          messaging: () => testMessaging(brokers).messaging,
          topics,
          relay: { events: INTEGRATION_CATALOGUE, leaseMs: 3000, backoff: { initialMs: 50, maxMs: 500 } },
          inbound: { handler: CommunityWorkOrderHandler, groupId: `${prefix}.group`, retry: { retries: 2, initialDelayMs: 50, maxDelayMs: 200 } },
          startBackoff: { initialMs: 100, maxMs: 1000 },
        }),
      ],
    });
    tree = await createCommunityTestTree(app.commandBus);
    await app.app.get(KafkaBridgeService).whenStarted();
    readers.push(
      await admin.consumer.run({
        topic: topics.outboundTopic('community'),
        groupId: uniqueName('bridge-reader'),
        handler: async (message) => void outbound.push({ message, event: parseCloudEvent(message.value) }),
      }),
      await admin.consumer.run({ topic: topics.deadLetterTopic, groupId: uniqueName('bridge-dlq'), handler: async (m) => void deadLetters.push(m) }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop()));
    await app?.close();
    await admin.admin.deleteTopics([topics.inboundTopic, topics.deadLetterTopic, ...['community', 'union', 'youth-league', 'privacy'].map(topics.outboundTopic)]).catch(() => undefined);
    await admin?.close();
  }, 60_000);

  it('creates its topics at start-up with at least 3 partitions and a retention', async () => {
    const expected: Record<string, string> = {
      [topics.inboundTopic]: String(7 * DAY_MS),
      [topics.deadLetterTopic]: String(30 * DAY_MS),
      [topics.outboundTopic('community')]: String(30 * DAY_MS),
      [topics.outboundTopic('privacy')]: String(30 * DAY_MS),
    };
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    try {
      for (const [topic, retention] of Object.entries(expected)) {
        expect((await admin.admin.topicOffsets(topic)).length).toBeGreaterThanOrEqual(3);
        const described = await kafkaAdmin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
        const configs = Object.fromEntries(described.resources[0].configEntries.map((c) => [c.configName, c.configValue]));
        expect({ topic, retention: configs['retention.ms'], cleanup: configs['cleanup.policy'] }).toEqual({ topic, retention, cleanup: 'delete' });
      }
    } finally {
      await kafkaAdmin.disconnect();
    }
  });

  it('turns a work order into an incident once, even when the message comes twice, and publishes its events without personal data', async () => {
    const order = workOrderMessage({
      data: {
        communityCode: tree.id('sancun'),
        description: '三村12幢樓下井蓋缺失，夜間有人絆倒',
        location: { address: '三村12幢樓下', latitude: null, longitude: null },
        callerRef: 'C-20260506-0042',
        caller: { name: '張建國', phone: '13812345678', wantsReply: true },
      },
    });
    const ticket = (order.event.data as { ticketNumber: string }).ticketNumber;
    const incidentId = hotlineIncidentId(ticket);
    await admin.publisher.publish(topics.inboundTopic, [{ key: ticket, value: order.value }]);
    await admin.publisher.publish(topics.inboundTopic, [{ key: ticket, value: order.value }]); // redelivered / resent
    const bridge = app.app.get(KafkaBridgeService);
    await waitUntil(() => bridge.status().inbound.processed === 2, 30_000, () => JSON.stringify(bridge.status().inbound));

    // One incident, one set of events, caused by the message and acted by the bridge.
    const stored = await app.store.readStream(`community.incident-${incidentId}`);
    expect(stored.filter((e) => e.type === 'HotlineWorkOrderReceived')).toHaveLength(1);
    expect(stored[0].metadata).toMatchObject({ commandId: order.id, causationId: order.id, actor: { userId: KAFKA_BRIDGE_ACTOR } });
    // The caller's name and phone are encrypted in the store.
    const storedText = JSON.stringify(stored.map((e) => e.data));
    expect(storedText).toContain('"$pii":"enc"');
    expect(storedText).not.toContain('張建國');
    expect(storedText).not.toContain('13812345678');
    await app.settle();
    const row = await app.dataSource.getRepository(IncidentRow).findOneBy({ incidentId });
    expect(row).toMatchObject({ ticketNumber: ticket, communityId: tree.id('sancun') });

    await waitUntil(() => outbound.some((o) => o.event.subject === incidentId), 30_000, 'the incident on the community topic');
    const mine = outbound.filter((o) => o.event.subject === incidentId);
    expect(mine[0].event).toMatchObject({
      id: stored[0].id,
      source: '/gongzhi/community',
      type: 'gongzhi.community.incident.hotline-work-order-received.v1',
      data: { incidentId, ticketNumber: ticket, communityId: tree.id('sancun'), timeLimitWorkingDays: 3 },
    });
    expect(mine[0].message.key?.toString()).toBe(`community.incident-${incidentId}`);
    const text = mine.map((o) => o.message.value?.toString()).join('\n');
    for (const secret of ['張建國', '13812345678', '三村12幢', 'C-20260506-0042', '$pii']) expect(text).not.toContain(secret);
    for (const o of mine) expect(findPersonalData(o.event)).toEqual([]);
  }, 60_000);

  it('dead-letters an order for a unit that does not exist, with the rule code, and goes on', async () => {
    const unknown = workOrderMessage({ data: { communityCode: 'no-such-community' } });
    const [placed] = await admin.publisher.publish(topics.inboundTopic, [{ key: 'k', value: unknown.value }]);
    await waitUntil(() => deadLetters.some((m) => headerText(m, DLQ_HEADERS.originalOffset) === placed.offset), 30_000, 'the dead letter');
    const dead = deadLetters.find((m) => headerText(m, DLQ_HEADERS.originalOffset) === placed.offset);
    expect(dead && headerText(dead, DLQ_HEADERS.originalTopic)).toBe(topics.inboundTopic);
    expect(dead && headerText(dead, DLQ_HEADERS.errorCode)).toMatch(/^COMMUNITY\./);

    const next = workOrderMessage({ data: { communityCode: tree.id('ercun') } });
    await admin.publisher.publish(topics.inboundTopic, [{ key: 'k', value: next.value }]);
    const nextId = hotlineIncidentId((next.event.data as { ticketNumber: string }).ticketNumber);
    await waitUntil(async () => (await app.store.streamRevision(`community.incident-${nextId}`)) !== undefined, 30_000, 'the next order');
  }, 60_000);
});
