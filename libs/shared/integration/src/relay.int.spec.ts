import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { createSqliteEventStore, type SqliteEventStore } from '@gongzhi/event-store-sqlite';
import { describeWithKafka, kafkaTestBrokers } from '@gongzhi/testing';
import type { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import { testMessaging, uniqueName } from '@gongzhi/messaging-kafkajs/testing';
import { checkLog, type AckedRecord } from '@gongzhi/messaging/testing';
import { COMMUNITY_INTEGRATION_EVENTS } from './catalogue';
import { findPersonalData } from './outbound/personal-data-guard';
import { SqlRelayCheckpointStore } from './outbound/checkpoint-store';
import { OutboundRelay, type OutboundRelayOptions } from './outbound/outbound-relay';
import { IntegrationEventRegistry } from './outbound/registry';
import { SECRETS, ackRecorder, appendIncidents, publishedIdsByStream, recordTopic, waitUntil } from './test-support/fixtures';
import type { RelayChildConfig, RelayChildMessage } from './test-support/relay-child';

/**
 * The outbound relay against the shared broker (127.0.0.1:19092): a real SQLite event store and
 * a SQLite read store for the checkpoint, fresh topics and groups per test. Every test ends with
 * the Jepsen-style log check (lost writes, duplicates, per-key order).
 */
const REGISTER = resolve(__dirname, '../../../../tools/bin/register.js');
const CHILD = join(__dirname, 'test-support', 'relay-child.ts');

describeWithKafka()('outbound relay over a real broker', () => {
  const brokers = kafkaTestBrokers();
  const clients: KafkaMessaging[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const topics: string[] = [];
  let admin: KafkaMessaging;

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

  const client = () => {
    const { messaging } = testMessaging(brokers);
    clients.push(messaging);
    cleanups.push(() => messaging.close());
    return messaging;
  };

  /** A SQLite event store and a SQLite read store (checkpoint) in a fresh directory, and a fresh topic. */
  const setup = async (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), `relay-${prefix}-`));
    const eventStoreFile = join(dir, 'events.sqlite');
    const readStoreFile = join(dir, 'read.sqlite');
    const store: SqliteEventStore = createSqliteEventStore({ filename: eventStoreFile, pollIntervalMs: 20 });
    const readStore = new DataSource({ type: 'better-sqlite3', database: readStoreFile });
    await readStore.initialize();
    const checkpoints = new SqlRelayCheckpointStore(readStore);
    await checkpoints.ensureSchema();
    const topic = uniqueName(prefix);
    topics.push(topic);
    await admin.admin.ensureTopics([{ topic, partitions: 3 }]);
    cleanups.push(async () => {
      await store.close();
      await readStore.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    const relay = (messaging: KafkaMessaging, overrides: Partial<OutboundRelayOptions> = {}) => {
      const r = new OutboundRelay({
        store,
        publisher: messaging.publisher,
        registry: new IntegrationEventRegistry([COMMUNITY_INTEGRATION_EVENTS]),
        checkpoints,
        topicOf: () => topic,
        batchSize: 7,
        leaseMs: 1500,
        backoff: { initialMs: 50, maxMs: 500 },
        ...overrides,
      });
      cleanups.push(() => r.stop());
      return r;
    };
    return { store, checkpoints, topic, relay, eventStoreFile, readStoreFile };
  };

  const expectNoPersonalData = (raw: string[]) => {
    const all = raw.join('\n');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    expect(all).not.toContain('$pii');
    for (const text of raw) expect(findPersonalData(JSON.parse(text))).toEqual([]);
  };

  /** Deduplicated by CloudEvents id, each stream's events arrive in revision order, none missing. */
  const expectEveryStreamInOrder = async (store: SqliteEventStore, incidents: string[], reader: Awaited<ReturnType<typeof recordTopic>>) => {
    const expected = await publishedIdsByStream(store, incidents);
    const seen = new Map<string, string[]>();
    for (const e of reader.deduplicated()) {
      const stream = `community.incident-${e.subject}`;
      seen.set(stream, [...(seen.get(stream) ?? []), e.id]);
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(expected));
  };

  /** Every acknowledged copy (resends included) has been read back. */
  const allAckedConsumed = (acked: AckedRecord[], reader: Awaited<ReturnType<typeof recordTopic>>) => {
    const read = new Set(reader.consumed.map((c) => `${c.partition}@${c.offset}`));
    return acked.every((a) => read.has(`${a.partition}@${a.offset}`));
  };

  const totalPublished = async (store: SqliteEventStore, incidents: string[]) =>
    [...(await publishedIdsByStream(store, incidents)).values()].reduce((n, ids) => n + ids.length, 0);

  it('publishes appended events as CloudEvents, in order per aggregate, with no personal data, and checkpoints after the acknowledgement', async () => {
    const { store, checkpoints, topic, relay } = await setup('e2e');
    const incidents = Array.from({ length: 6 }, () => randomUUID());
    await appendIncidents(store, incidents, 4);
    const reader = await recordTopic(client().consumer, topic, uniqueName('e2e'));
    cleanups.push(() => reader.stop());
    const { acked, onEvent } = ackRecorder();
    const r = relay(client(), { onEvent });
    r.start();
    // Live: events appended while the relay runs follow.
    await appendIncidents(store, incidents, 3, 4);
    const expected = await totalPublished(store, incidents);
    await waitUntil(() => reader.deduplicated().length === expected, 30_000, () => `${reader.deduplicated().length}/${expected} events`);
    await waitUntil(async () => (await checkpoints.get('kafka-relay'))?.position === (await store.headPosition()), 10_000, 'the checkpoint at the head');
    await waitUntil(() => allAckedConsumed(acked, reader), 10_000, 'every acknowledged message read');

    const result = checkLog(acked, reader.consumed, { allowRedelivery: false });
    expect(result.summary).toContain('valid=true');
    await expectEveryStreamInOrder(store, incidents, reader);
    const first = reader.events.find((e) => e.type === 'gongzhi.community.incident.hotline-work-order-received.v1');
    expect(first).toMatchObject({
      specversion: '1.0',
      source: '/gongzhi/community',
      datacontenttype: 'application/json',
      sequence: '0',
      data: { ticketNumber: expect.stringMatching(/^SZ/), orgUnitPath: 'root.wujiang.songling.chengzhong', timeLimitWorkingDays: 3 },
    });
    expect(reader.events.map((e) => e.type)).not.toContain('gongzhi.community.incident.deadline-clock-started.v1');
    expectNoPersonalData(reader.raw);
  }, 60_000);

  it('K-7: killed after the broker acknowledged and before the checkpoint, the relay resends on restart; consumers dedupe by id, nothing lost, order per key kept', async () => {
    const { store, checkpoints, topic, relay } = await setup('k7');
    const incidents = Array.from({ length: 5 }, () => randomUUID());
    await appendIncidents(store, incidents, 6);
    const reader = await recordTopic(client().consumer, topic, uniqueName('k7'));
    cleanups.push(() => reader.stop());
    const first = ackRecorder();
    let batches = 0;
    let killedBatch: { from: bigint; to: bigint } | undefined;
    const doomed = relay(client(), {
      owner: 'doomed',
      onEvent: first.onEvent,
      afterAcknowledged: ({ from, to }) => {
        if (++batches === 3) {
          killedBatch = { from, to };
          throw new Error('SIGKILL between the acknowledgement and the checkpoint');
        }
      },
    });
    doomed.start();
    await doomed.done;
    expect(doomed.status().state).toBe('crashed');
    expect(killedBatch).toBeDefined();
    // The checkpoint stayed at the start of the killed batch, although the broker has it.
    expect((await checkpoints.get('kafka-relay'))?.position).toBe(killedBatch?.from);

    // Restart: a new process (new client, new producer session) once the dead one's lease expired.
    const second = ackRecorder();
    relay(client(), { owner: 'restarted', onEvent: second.onEvent }).start();
    const expected = await totalPublished(store, incidents);
    await waitUntil(() => reader.deduplicated().length === expected, 30_000, () => `${reader.deduplicated().length}/${expected} events`);

    const acked: AckedRecord[] = [...first.acked, ...second.acked];
    const resent = first.acked.filter((a) => second.acked.some((b) => b.id === a.id));
    expect(resent.length).toBeGreaterThan(0); // the killed batch went out twice
    await waitUntil(() => allAckedConsumed(acked, reader), 10_000, 'every copy consumed');
    const result = checkLog(acked, reader.consumed, { allowDuplicates: true });
    expect(result.summary).toContain('valid=true');
    expect(result.duplicates.map((d) => d.id).sort()).toEqual(resent.map((r) => r.id).sort());
    await expectEveryStreamInOrder(store, incidents, reader);
    expectNoPersonalData(reader.raw);
  }, 60_000);

  it('K-3: relay process SIGKILLed mid-stream and restarted: duplicates allowed, nothing lost, order per key kept', async () => {
    const { store, topic, eventStoreFile, readStoreFile } = await setup('k3');
    const incidents = Array.from({ length: 8 }, () => randomUUID());
    await appendIncidents(store, incidents, 2);
    const reader = await recordTopic(client().consumer, topic, uniqueName('k3'));
    cleanups.push(() => reader.stop());

    const acked: AckedRecord[] = [];
    const spawnRelay = (owner: string) => {
      const config: RelayChildConfig = { brokers, eventStoreFile, readStoreFile, topic, owner, leaseMs: 1500, batchSize: 5 };
      const messages: RelayChildMessage[] = [];
      const child: ChildProcess = fork(CHILD, [JSON.stringify(config)], { execArgv: ['-r', REGISTER], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += String(d)));
      child.on('message', (m) => {
        const message = m as RelayChildMessage;
        messages.push(message);
        if (message.type === 'acked') acked.push(...message.records);
      });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      cleanups.push(async () => {
        child.kill('SIGKILL');
        await exited;
      });
      return { messages, stderr: () => stderr, kill: async () => (child.kill('SIGKILL'), await exited) };
    };

    const a = spawnRelay('process-a');
    // Appends keep coming while the relay runs, gets killed and restarts.
    let appending = true;
    let round = 2;
    const writer = (async () => {
      while (appending && round < 9) {
        await appendIncidents(store, incidents, 1, round++);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await waitUntil(() => acked.length >= 20, 30_000, () => `the child to publish 20 events (${acked.length}; stderr: ${a.stderr()})`);
    await a.kill();
    const ackedByA = acked.length;
    const b = spawnRelay('process-b');
    await writer;
    appending = false;
    const expected = await totalPublished(store, incidents);
    await waitUntil(() => reader.deduplicated().length === expected, 45_000, () => `${reader.deduplicated().length}/${expected} events (stderr: ${b.stderr()})`);
    expect(b.messages.some((m) => m.type === 'lease')).toBe(true);
    expect(acked.length).toBeGreaterThan(ackedByA);
    await waitUntil(() => allAckedConsumed(acked, reader), 10_000, 'every copy consumed');

    const result = checkLog(acked, reader.consumed, { allowDuplicates: true });
    expect(result.summary).toContain('valid=true');
    await expectEveryStreamInOrder(store, incidents, reader);
    expectNoPersonalData(reader.raw);
  }, 90_000);
});
