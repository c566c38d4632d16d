import { DLQ_HEADERS } from '../dead-letter';
import { BrokerUnavailableError, isTopicNotFoundError } from '../errors';
import { headerText, type ConsumedMessage } from '../types';
import { InMemoryMessageBus } from './in-memory-bus';
import { checkLog } from './log-checker';

const fast = { retries: 2, initialDelayMs: 0, maxDelayMs: 0 };

describe('InMemoryMessageBus', () => {
  it('refuses to publish to a topic nobody created, unless auto-creation is on', async () => {
    const bus = new InMemoryMessageBus();
    const error = await bus.publish('missing', [{ value: 'x' }]).catch((e) => e);
    expect(isTopicNotFoundError(error)).toBe(true);
    const auto = new InMemoryMessageBus({ autoCreateTopics: true });
    await expect(auto.publish('missing', [{ value: 'x' }])).resolves.toHaveLength(1);
  });

  it('keeps a key on one partition with consecutive offsets', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 't', partitions: 4 }]);
    const first = await bus.publish('t', [{ key: 'k', value: '1' }, { key: 'k', value: '2' }]);
    const second = await bus.publish('t', [{ key: 'k', value: '3' }]);
    const placements = [...first, ...second];
    expect(new Set(placements.map((p) => p.partition)).size).toBe(1);
    expect(placements.map((p) => p.offset)).toEqual(['0', '1', '2']);
  });

  it('delivers to a group, commits after each handled message, and resumes from the commit', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 't', partitions: 2 }]);
    const acked = (await bus.publish('t', ['a', 'b', 'c', 'd'].map((id) => ({ key: id, value: id })))).map((p, i) => ({
      ...p,
      id: ['a', 'b', 'c', 'd'][i],
      key: ['a', 'b', 'c', 'd'][i],
    }));
    const seen: ConsumedMessage[] = [];
    const consumer = await bus.run({ topic: 't', groupId: 'g', handler: async (m) => void seen.push(m) });
    await bus.waitForIdle();
    await consumer.stop();
    expect(checkLog(acked, seen.map((m) => ({ id: m.value!.toString(), key: m.key!.toString(), topic: m.topic, partition: m.partition, offset: m.offset }))).valid).toBe(true);
    const committed = await bus.committedOffsets('g', 't');
    const highs = await bus.topicOffsets('t');
    expect(committed.map((c) => c.offset)).toEqual(highs.map((h) => h.high));

    await bus.publish('t', [{ key: 'e', value: 'e' }]);
    const later: string[] = [];
    const again = await bus.run({ topic: 't', groupId: 'g', handler: async (m) => void later.push(m.value!.toString()) });
    await bus.waitForIdle();
    await again.stop();
    expect(later).toEqual(['e']);
  });

  it('dead-letters a poison message and goes on with the partition', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 'in', partitions: 1 }, { topic: 'dlq', partitions: 1 }]);
    await bus.publish('in', [{ value: 'ok-1' }, { value: 'poison' }, { value: 'ok-2' }]);
    const handled: string[] = [];
    const consumer = await bus.run({
      topic: 'in',
      groupId: 'g',
      retry: fast,
      deadLetterTopic: 'dlq',
      handler: async (m) => {
        if (m.value!.toString() === 'poison') throw new Error('cannot parse');
        handled.push(m.value!.toString());
      },
    });
    await bus.waitForIdle();
    await consumer.stop();
    expect(handled).toEqual(['ok-1', 'ok-2']);
    const [dead] = bus.records('dlq');
    expect(dead.value!.toString()).toBe('poison');
    expect(headerText(dead, DLQ_HEADERS.originalOffset)).toBe('1');
    expect(headerText(dead, DLQ_HEADERS.errorMessage)).toBe('cannot parse');
  });

  it('fails the consumer rather than skip a poison message when no DLQ is set', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 'in', partitions: 1 }]);
    await bus.publish('in', [{ value: 'poison' }]);
    const consumer = await bus.run({ topic: 'in', groupId: 'g', retry: fast, handler: async () => Promise.reject(new Error('no')) });
    await expect(consumer.done).rejects.toMatchObject({ code: 'MESSAGING.CONSUMER_HALTED' });
    expect((await bus.committedOffsets('g', 'in'))[0].offset).toBeNull();
  });

  it('redelivers a message whose handler was abandoned by a stop', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 'in', partitions: 1 }]);
    await bus.publish('in', [{ value: '1' }, { value: '2' }]);
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    const first = await bus.run({
      topic: 'in',
      groupId: 'g',
      handler: async (m) => {
        if (m.value!.toString() === '2') {
          started();
          await new Promise(() => undefined);
        }
      },
    });
    await handlerStarted;
    await first.stop();
    expect((await bus.committedOffsets('g', 'in'))[0].offset).toBe('1');
    const redelivered: string[] = [];
    const second = await bus.run({ topic: 'in', groupId: 'g', handler: async (m) => void redelivered.push(m.value!.toString()) });
    await bus.waitForIdle();
    await second.stop();
    expect(redelivered).toEqual(['2']);
  });

  it('splits partitions between two members of a group', async () => {
    const bus = new InMemoryMessageBus();
    await bus.ensureTopics([{ topic: 't', partitions: 4 }]);
    const byMember: Record<string, Set<number>> = { m1: new Set(), m2: new Set() };
    const c1 = await bus.run({ topic: 't', groupId: 'g', handler: async (m) => void byMember.m1.add(m.partition) });
    const c2 = await bus.run({ topic: 't', groupId: 'g', handler: async (m) => void byMember.m2.add(m.partition) });
    await bus.publish('t', [0, 1, 2, 3].map((p) => ({ value: String(p), partition: p })));
    await bus.waitForIdle();
    await Promise.all([c1.stop(), c2.stop()]);
    expect(byMember.m1.size).toBe(2);
    expect(byMember.m2.size).toBe(2);
    expect([...byMember.m1].some((p) => byMember.m2.has(p))).toBe(false);
  });

  it('injects publish failures for relay tests', async () => {
    const bus = new InMemoryMessageBus({ autoCreateTopics: true });
    bus.failNextPublishes(1, () => new BrokerUnavailableError('broker down'));
    await expect(bus.publish('t', [{ value: 'x' }])).rejects.toMatchObject({ retriable: true });
    await expect(bus.publish('t', [{ value: 'x' }])).resolves.toHaveLength(1);
    expect(bus.records('t')).toHaveLength(1);
  });

  it('creates, grows and configures topics idempotently', async () => {
    const bus = new InMemoryMessageBus();
    expect(await bus.ensureTopics([{ topic: 't', partitions: 2, retentionMs: 1000 }])).toEqual({ created: ['t'], updated: [], unchanged: [] });
    expect(await bus.ensureTopics([{ topic: 't', partitions: 2, retentionMs: 1000 }])).toEqual({ created: [], updated: [], unchanged: ['t'] });
    expect(await bus.ensureTopics([{ topic: 't', partitions: 3, retentionMs: 2000 }])).toEqual({ created: [], updated: ['t'], unchanged: [] });
    expect(await bus.topicOffsets('t')).toHaveLength(3);
    expect(bus.topicConfig('t')).toEqual({ 'retention.ms': '2000' });
    await expect(bus.ensureTopics([{ topic: 't', partitions: 1 }])).rejects.toMatchObject({ code: 'MESSAGING.USAGE' });
  });
});
