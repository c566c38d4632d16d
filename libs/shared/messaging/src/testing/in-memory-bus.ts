import { processMessage } from '../consume-policy';
import { desiredConfigs } from '../topic-spec';
import { MessagingError, MessagingUsageError, TopicNotFoundError } from '../errors';
import {
  subscribedTopics,
  type CommittedOffset,
  type ConsumeOptions,
  type ConsumedMessage,
  type ConsumerEvent,
  type EnsureTopicsResult,
  type MessageConsumer,
  type MessagePublisher,
  type MessagingAdmin,
  type OutgoingMessage,
  type PartitionOffsets,
  type PublishedRecord,
  type RunningConsumer,
  type TopicSpec,
} from '../types';

/**
 * An in-memory fake of the messaging port for other libraries' unit tests: partitioned topics,
 * consumer groups with committed offsets, the same retry and dead-letter policy as the Kafka
 * adapter (shared code), and fault injection for publishes. Not Kafka: its key → partition
 * hash differs, and a member keeps processing a partition that a rebalance moved until its
 * current message is done.
 */

interface StoredTopic {
  partitions: ConsumedMessage[][];
  configs: Record<string, string>;
}

interface Member {
  id: number;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  assigned: string[];
  positions: Map<string, bigint>;
  generation: number;
  idle: boolean;
  cursor: number;
  abort: AbortController;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const splitTp = (key: string): [string, number] => {
  const [topic, partition] = key.split('\u0000');
  return [topic, Number(partition)];
};

const toBuffer = (v: string | Buffer | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);

// FNV-1a: stable across runs, so a test sees the same partition for the same key every time.
const hash = (bytes: Buffer): number => {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

export interface InMemoryMessageBusOptions {
  /** Publishing to an unknown topic creates it (default false: TopicNotFoundError, like our Kafka). */
  autoCreateTopics?: boolean;
  /** Partitions of topics created without a count. Default 3. */
  defaultPartitions?: number;
  /** Clock for record timestamps. */
  now?: () => Date;
}

export class InMemoryMessageBus implements MessagePublisher, MessageConsumer, MessagingAdmin {
  private readonly topics = new Map<string, StoredTopic>();
  private readonly committed = new Map<string, Map<string, bigint>>();
  private readonly members: Member[] = [];
  private readonly publishFaults: (() => unknown)[] = [];
  private wakeUp: () => void = () => undefined;
  private changed: Promise<void> = this.nextChange();
  private memberIds = 0;
  private roundRobin = 0;

  constructor(private readonly options: InMemoryMessageBusOptions = {}) {}

  // ---- publisher --------------------------------------------------------------------------

  async publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    const fault = this.publishFaults.shift();
    if (fault) throw fault();
    const stored = this.topicOrFail(topic);
    const now = String((this.options.now ?? (() => new Date()))().getTime());
    const results: PublishedRecord[] = [];
    for (const m of messages) {
      const key = toBuffer(m.key);
      const n = stored.partitions.length;
      const partition = m.partition ?? (key ? hash(key) % n : this.roundRobin++ % n);
      if (!Number.isInteger(partition) || partition < 0 || partition >= n) {
        throw new MessagingUsageError(`Topic ${topic} has no partition ${partition}`);
      }
      const log = stored.partitions[partition];
      const headers: Record<string, Buffer | undefined> = {};
      for (const [name, value] of Object.entries(m.headers ?? {})) if (value !== undefined) headers[name] = toBuffer(value) ?? undefined;
      const offset = String(log.length);
      log.push({ topic, partition, offset, key, value: toBuffer(m.value), headers, timestamp: now });
      results.push({ topic, partition, offset });
    }
    this.notify();
    return results;
  }

  /** The next `count` publishes reject with `error()` (default: a retriable broker outage). */
  failNextPublishes(count: number, error: () => MessagingError | Error): void {
    for (let i = 0; i < count; i++) this.publishFaults.push(error);
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => this.leave(m)));
  }

  // ---- admin ------------------------------------------------------------------------------

  async ensureTopics(specs: TopicSpec[]): Promise<EnsureTopicsResult> {
    const result: EnsureTopicsResult = { created: [], updated: [], unchanged: [] };
    for (const spec of specs) {
      const existing = this.topics.get(spec.topic);
      const configs = desiredConfigs(spec);
      if (!existing) {
        this.createTopic(spec.topic, spec.partitions ?? this.options.defaultPartitions ?? 3, configs);
        result.created.push(spec.topic);
        continue;
      }
      let changed = false;
      const wanted = spec.partitions ?? existing.partitions.length;
      if (wanted < existing.partitions.length) {
        throw new MessagingUsageError(`Topic ${spec.topic} has ${existing.partitions.length} partitions; cannot shrink to ${wanted}`);
      }
      while (existing.partitions.length < wanted) {
        existing.partitions.push([]);
        changed = true;
      }
      for (const [name, value] of Object.entries(configs)) {
        if (existing.configs[name] !== value) {
          existing.configs[name] = value;
          changed = true;
        }
      }
      (changed ? result.updated : result.unchanged).push(spec.topic);
    }
    this.rebalanceAll();
    return result;
  }

  async deleteTopics(topics: string[]): Promise<void> {
    for (const t of topics) this.topics.delete(t);
    this.rebalanceAll();
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    return this.topicOrFail(topic, false).partitions.map((log, partition) => ({ partition, low: '0', high: String(log.length) }));
  }

  async committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]> {
    const stored = this.topicOrFail(topic, false);
    const group = this.committed.get(groupId);
    return stored.partitions.map((_, partition) => {
      const offset = group?.get(tp(topic, partition));
      return { partition, offset: offset === undefined ? null : offset.toString() };
    });
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Every record of `topic`, partition by partition in offset order. */
  records(topic: string): ConsumedMessage[] {
    return (this.topics.get(topic)?.partitions ?? []).flat();
  }

  /** A topic's config overrides as set by ensureTopics (`retention.ms`, …). */
  topicConfig(topic: string): Record<string, string> | undefined {
    const t = this.topics.get(topic);
    return t ? { ...t.configs } : undefined;
  }

  /** Resolves once every running consumer has handled everything available to it. */
  async waitForIdle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const busy = this.members.some((m) => !m.idle || this.nextWork(m) !== undefined);
      if (!busy) return;
      if (Date.now() > deadline) throw new Error(`InMemoryMessageBus: consumers still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  // ---- consumer ---------------------------------------------------------------------------

  async run(options: ConsumeOptions): Promise<RunningConsumer> {
    const topics = subscribedTopics(options);
    for (const t of topics) this.topicOrFail(t, false);
    const member: Member = {
      id: ++this.memberIds,
      groupId: options.groupId,
      topics,
      fromBeginning: options.fromBeginning ?? true,
      assigned: [],
      positions: new Map(),
      generation: 0,
      idle: false,
      cursor: 0,
      abort: new AbortController(),
    };
    this.members.push(member);
    this.rebalance(options.groupId, options.onEvent);

    let settle!: { resolve: () => void; reject: (e: unknown) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    const loop = this.consume(member, options).then(
      () => settle.resolve(),
      (e) => settle.reject(e),
    );
    return {
      groupId: options.groupId,
      done,
      stop: async () => {
        await this.leave(member, options.onEvent);
        await loop;
      },
    };
  }

  private async consume(member: Member, options: ConsumeOptions): Promise<void> {
    const emit = (e: ConsumerEvent) => {
      try {
        options.onEvent?.(e);
      } catch {
        // An observer must not change delivery.
      }
    };
    while (!member.abort.signal.aborted) {
      const work = this.nextWork(member);
      if (!work) {
        member.idle = true;
        await Promise.race([this.changed, new Promise((r) => member.abort.signal.addEventListener('abort', r, { once: true }))]);
        member.idle = false;
        continue;
      }
      const [key, message] = work;
      let outcome;
      try {
        outcome = await processMessage(message, {
          handler: options.handler,
          retry: options.retry,
          deadLetterTopic: options.deadLetterTopic,
          deadLetterPublisher: this,
          signal: member.abort.signal,
          generation: member.generation,
          heartbeat: async () => undefined,
          onEvent: emit,
        });
      } catch (e) {
        await this.leave(member, options.onEvent);
        throw e;
      }
      if (outcome === 'aborted') return;
      const next = BigInt(message.offset) + 1n;
      const group = this.committed.get(member.groupId) ?? new Map<string, bigint>();
      group.set(key, next);
      this.committed.set(member.groupId, group);
      member.positions.set(key, next);
      this.notify();
    }
  }

  /** The next message among the member's partitions, taking partitions in turn. */
  private nextWork(member: Member): [string, ConsumedMessage] | undefined {
    for (let i = 0; i < member.assigned.length; i++) {
      const key = member.assigned[(member.cursor + i) % member.assigned.length];
      const [topic, partition] = splitTp(key);
      const log = this.topics.get(topic)?.partitions[partition];
      const position = member.positions.get(key) ?? 0n;
      if (log && position < BigInt(log.length)) {
        member.cursor = (member.cursor + i + 1) % member.assigned.length;
        return [key, log[Number(position)]];
      }
    }
    return undefined;
  }

  private async leave(member: Member, onEvent?: (e: ConsumerEvent) => void): Promise<void> {
    const index = this.members.indexOf(member);
    if (index < 0) return;
    this.members.splice(index, 1);
    member.abort.abort();
    this.rebalance(member.groupId, onEvent);
  }

  private rebalanceAll() {
    for (const groupId of new Set(this.members.map((m) => m.groupId))) this.rebalance(groupId);
  }

  /** Round-robin assignment of each topic's partitions over the group members subscribed to it. */
  private rebalance(groupId: string, onEvent?: (e: ConsumerEvent) => void) {
    const members = this.members.filter((m) => m.groupId === groupId).sort((a, b) => a.id - b.id);
    const assignment = new Map<Member, string[]>(members.map((m) => [m, []]));
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const subscribers = members.filter((m) => m.topics.includes(topic));
      const n = this.topics.get(topic)?.partitions.length ?? 0;
      for (let p = 0; p < n; p++) assignment.get(subscribers[p % subscribers.length])?.push(tp(topic, p));
    }
    const group = this.committed.get(groupId);
    for (const m of members) {
      m.assigned = assignment.get(m) ?? [];
      m.generation += 1;
      m.cursor = 0;
      m.positions = new Map(
        m.assigned.map((key) => {
          const committed = group?.get(key);
          if (committed !== undefined) return [key, committed];
          const [topic, partition] = splitTp(key);
          const end = BigInt(this.topics.get(topic)?.partitions[partition].length ?? 0);
          return [key, m.fromBeginning ? 0n : end];
        }),
      );
      try {
        onEvent?.({ type: 'rebalanced', generation: m.generation });
      } catch {
        // An observer must not change delivery.
      }
    }
    this.notify();
  }

  private createTopic(topic: string, partitions: number, configs: Record<string, string>): StoredTopic {
    if (!Number.isInteger(partitions) || partitions < 1) throw new MessagingUsageError(`Topic ${topic}: partitions must be ≥ 1`);
    const stored: StoredTopic = { partitions: Array.from({ length: partitions }, () => []), configs: { ...configs } };
    this.topics.set(topic, stored);
    return stored;
  }

  private topicOrFail(topic: string, mayCreate = true): StoredTopic {
    let stored = this.topics.get(topic);
    if (!stored && mayCreate && this.options.autoCreateTopics) {
      stored = this.createTopic(topic, this.options.defaultPartitions ?? 3, {});
      this.rebalanceAll();
    }
    if (!stored) throw new TopicNotFoundError(topic);
    return stored;
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => (this.wakeUp = resolve));
  }

  private notify() {
    const wake = this.wakeUp;
    this.changed = this.nextChange();
    wake();
  }
}
