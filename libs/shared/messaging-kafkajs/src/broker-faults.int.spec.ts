import * as path from 'node:path';
import { describeWithKafka } from '@gongzhi/testing';
import { kafkaSh, sleep, testMessaging, uniqueName, waitUntil } from './int-test-support';
import type { KafkaMessaging } from './kafka-messaging';
import { checkLog, type AckedRecord, type ConsumedRecord } from '@gongzhi/messaging/testing';
import type { ConsumedMessage, MessageContext, RunningConsumer } from '@gongzhi/messaging';

/**
 * Broker faults of RELIABILITY.md §2.3 (K-1 clean bounce, K-2 hard kill), checked with the
 * Jepsen-style log checker. They bounce a broker of their own (127.0.0.1:19192, run dir
 * .kafka/faults) started from tools/kafka/kafka.sh, so suites running in parallel against the
 * shared broker on 19092 never see it go away. One file, tests in sequence.
 */
const FAULT_PORT = Number(process.env.GONGZHI_FAULT_KAFKA_PORT ?? 19192);
const broker = {
  KAFKA_PORT: String(FAULT_PORT),
  KAFKA_CONTROLLER_PORT: String(FAULT_PORT + 1),
  KAFKA_RUN_DIR: path.resolve(__dirname, '../../../../.kafka/faults'),
};

describeWithKafka()('broker faults (K-1, K-2) on a dedicated broker', () => {
  let messaging: KafkaMessaging;
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    await kafkaSh('reset', broker);
    await kafkaSh('start', broker);
    messaging = testMessaging([`127.0.0.1:${FAULT_PORT}`]).messaging;
  }, 150_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await messaging?.close();
    await kafkaSh('stop', broker);
  }, 60_000);

  const freshTopic = async (prefix: string) => {
    const topic = uniqueName(prefix);
    await messaging.admin.ensureTopics([{ topic, partitions: 3 }]);
    return topic;
  };

  const record = (m: ConsumedMessage, ctx: MessageContext, name: string): ConsumedRecord => ({
    id: m.value?.toString() ?? '',
    key: m.key?.toString() ?? null,
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    session: `${name}:${ctx.generation}`,
  });

  /**
   * One idempotent producer publishing small keyed batches back to back; each acknowledged
   * message is recorded with where the broker put it. A failed publish is recorded, not resent.
   */
  const startStream = (topic: string, prefix: string) => {
    const acked: AckedRecord[] = [];
    const failures: string[] = [];
    let stopped = false;
    let seq = 0;
    const loop = (async () => {
      while (!stopped) {
        const messages = Array.from({ length: 4 }, () => {
          const n = seq++;
          return { key: `key-${n % 8}`, value: `${prefix}-${n}` };
        });
        try {
          const placed = await messaging.publisher.publish(topic, messages);
          placed.forEach((p, i) => acked.push({ id: String(messages[i].value), key: messages[i].key, topic, partition: p.partition, offset: p.offset }));
        } catch (e) {
          failures.push(describeFailure(e));
        }
        await sleep(5);
      }
    })();
    return {
      acked,
      failures,
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  };

  // The whole cause chain, so a failed assertion shows what kafkajs went through.
  const describeFailure = (e: unknown): string => {
    const chain: string[] = [];
    for (let link = e as { name?: string; message?: string; cause?: unknown; stack?: string } | undefined, d = 0; link && d < 6; link = link.cause as typeof link, d++) {
      chain.push(`${link.name}: ${link.message}`);
      if (!link.cause && process.env.GONGZHI_DEBUG_FAULTS) chain.push(link.stack ?? '');
    }
    return chain.join(' <- ');
  };

  const allConsumed = (acked: AckedRecord[], consumed: ConsumedRecord[]) => {
    const ids = new Set(consumed.map((r) => r.id));
    return acked.every((r) => ids.has(r.id));
  };

  it('K-1: a clean broker bounce under an idempotent producer loses nothing, duplicates nothing, keeps per-key order', async () => {
    const topic = await freshTopic('k1');
    const consumed: ConsumedRecord[] = [];
    running.push(
      await messaging.consumer.run({ topic, groupId: uniqueName('k1'), handler: async (m, ctx) => void consumed.push(record(m, ctx, 'c')) }),
    );

    const stream = startStream(topic, 'k1');
    await waitUntil(() => stream.acked.length >= 200, 30_000, '200 acknowledged messages before the bounce');
    await kafkaSh('restart', broker); // SIGTERM, wait for exit, start on the same data
    const afterBounce = stream.acked.length;
    await waitUntil(() => stream.acked.length >= afterBounce + 200, 30_000, '200 more acknowledged messages after the bounce');
    await stream.stop();

    await waitUntil(() => allConsumed(stream.acked, consumed), 60_000, () => checkLog(stream.acked, consumed).summary);
    const result = checkLog(stream.acked, consumed);
    expect(result.summary).toContain('valid=true');
    expect(result.valid).toBe(true);
    // The retry budget rides through the bounce: one producer session throughout.
    expect(stream.failures).toEqual([]);
  }, 120_000);

  it('K-2: after a hard kill and restart every acknowledged message is there and the group resumes at its committed offsets', async () => {
    const topic = await freshTopic('k2');
    const groupId = uniqueName('k2');

    // Phase 1: a consumer handles about half of a first batch, then stops (offsets committed).
    const first = await messaging.publisher.publish(topic, Array.from({ length: 150 }, (_, n) => ({ key: `key-${n % 8}`, value: `k2-a-${n}` })));
    const ackedFirst: AckedRecord[] = first.map((p, n) => ({ id: `k2-a-${n}`, key: `key-${n % 8}`, topic, partition: p.partition, offset: p.offset }));
    const consumedA: ConsumedRecord[] = [];
    const consumerA = await messaging.consumer.run({
      topic,
      groupId,
      handler: async (m, ctx) => {
        if (consumedA.length >= 75) {
          // Hold the partition until the stop: this message stays uncommitted.
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          return;
        }
        consumedA.push(record(m, ctx, 'A'));
      },
    });
    await waitUntil(() => consumedA.length >= 75, 20_000, 'consumer A to handle 75 messages');
    await consumerA.stop();
    const committedBefore = await messaging.admin.committedOffsets(groupId, topic);
    const expectedResume = [0, 1, 2].map((partition) => {
      const handled = consumedA.filter((r) => r.partition === partition).map((r) => BigInt(r.offset));
      return handled.length === 0 ? null : (handled.reduce((a, b) => (a > b ? a : b)) + 1n).toString();
    });
    expect(committedBefore.map((c) => c.offset)).toEqual(expectedResume);

    // Phase 2: SIGKILL the broker while the producer streams, restart it without re-formatting.
    const stream = startStream(topic, 'k2-b');
    await waitUntil(() => stream.acked.length >= 150, 30_000, '150 acknowledged messages before the kill');
    await kafkaSh('hard-restart', broker);
    const afterKill = stream.acked.length;
    await waitUntil(() => stream.acked.length >= afterKill + 150, 30_000, '150 more acknowledged messages after the restart');
    await stream.stop();
    expect(stream.failures).toEqual([]);
    expect((await messaging.admin.committedOffsets(groupId, topic)).map((c) => c.offset)).toEqual(expectedResume);

    // Phase 3: a new member of the same group starts exactly where A committed.
    const consumedB: ConsumedRecord[] = [];
    running.push(await messaging.consumer.run({ topic, groupId, handler: async (m, ctx) => void consumedB.push(record(m, ctx, 'B')) }));
    const acked = [...ackedFirst, ...stream.acked];
    const consumed = () => [...consumedA, ...consumedB];
    await waitUntil(() => allConsumed(acked, consumed()), 60_000, () => checkLog(acked, consumed()).summary);

    const firstOffsetB = [0, 1, 2].map((partition) => consumedB.find((r) => r.partition === partition)?.offset ?? null);
    expect(firstOffsetB).toEqual(expectedResume.map((o) => o ?? '0'));
    // A stopped cleanly, so B re-reads nothing A committed (consumed == position).
    const result = checkLog(acked, consumed(), { allowRedelivery: false });
    expect(result.summary).toContain('valid=true');
    expect(result.valid).toBe(true);
  }, 150_000);
});
