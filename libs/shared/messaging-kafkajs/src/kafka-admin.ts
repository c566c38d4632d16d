import { ConfigResourceTypes, ConfigSource, type Admin, type Kafka } from 'kafkajs';
import {
  MessagingUsageError,
  desiredConfigs,
  type CommittedOffset,
  type EnsureTopicsResult,
  type MessagingAdmin,
  type PartitionOffsets,
  type TopicSpec,
} from '@gongzhi/messaging';
import { toMessagingError } from './error-mapping';

const DEFAULT_PARTITIONS = 3;

const validate = (spec: TopicSpec) => {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(spec.topic)) {
    throw new MessagingUsageError(`Invalid topic name: ${JSON.stringify(spec.topic)}`);
  }
  if (spec.partitions !== undefined && (!Number.isInteger(spec.partitions) || spec.partitions < 1)) {
    throw new MessagingUsageError(`Topic ${spec.topic}: partitions must be a positive integer`);
  }
};

export class KafkaMessagingAdmin implements MessagingAdmin {
  private connection?: Promise<Admin>;

  constructor(private readonly kafka: Kafka) {}

  async ensureTopics(specs: TopicSpec[]): Promise<EnsureTopicsResult> {
    specs.forEach(validate);
    const result: EnsureTopicsResult = { created: [], updated: [], unchanged: [] };
    if (specs.length === 0) return result;
    return this.call(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((s) => !existing.has(s.topic));
      if (missing.length > 0) {
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((s) => ({
              topic: s.topic,
              numPartitions: s.partitions ?? DEFAULT_PARTITIONS,
              replicationFactor: s.replicationFactor ?? -1,
              configEntries: Object.entries(desiredConfigs(s)).map(([name, value]) => ({ name, value })),
            })),
          });
        } catch (e) {
          // Another process may have created some of them meanwhile; those are aligned below.
          if (!String((e as Error).message).includes('already exists') && !this.onlyAlreadyExists(e)) throw e;
        }
      }
      const nowExisting = new Set(await admin.listTopics());
      for (const spec of specs) {
        if (!nowExisting.has(spec.topic)) throw new MessagingUsageError(`Topic ${spec.topic} was not created`);
        const createdNow = missing.includes(spec) && !existing.has(spec.topic);
        const changed = createdNow ? false : await this.align(admin, spec);
        if (createdNow) result.created.push(spec.topic);
        else if (changed) result.updated.push(spec.topic);
        else result.unchanged.push(spec.topic);
      }
      return result;
    });
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.call(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 10_000 });
    });
  }

  topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    return this.call(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .map((o) => ({ partition: o.partition, low: o.low, high: o.high }))
        .sort((a, b) => a.partition - b.partition);
    }, topic);
  }

  committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]> {
    return this.call(async (admin) => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? [])
        .map((p) => ({ partition: p.partition, offset: p.offset === '-1' ? null : p.offset }))
        .sort((a, b) => a.partition - b.partition);
    }, topic);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.then((a) => a.disconnect()).catch(() => undefined);
  }

  /** Grows partitions and sets differing configs; true when something changed. */
  private async align(admin: Admin, spec: TopicSpec): Promise<boolean> {
    let changed = false;
    const { topics } = await admin.fetchTopicMetadata({ topics: [spec.topic] });
    const current = topics[0]?.partitions.length ?? 0;
    const wanted = spec.partitions ?? current;
    if (wanted < current) {
      throw new MessagingUsageError(`Topic ${spec.topic} has ${current} partitions; Kafka cannot shrink it to ${wanted}`);
    }
    if (wanted > current) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.topic, count: wanted }] });
      changed = true;
    }

    const desired = desiredConfigs(spec);
    if (Object.keys(desired).length === 0) return changed;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    const differs = Object.entries(desired).some(
      ([name, value]) => entries.find((e) => e.configName === name)?.configValue !== value,
    );
    if (!differs) return changed;
    // AlterConfigs replaces the whole set of topic overrides: keep the ones set outside the spec.
    const merged: Record<string, string> = {};
    for (const e of entries) {
      if (e.configSource === ConfigSource.TOPIC_CONFIG && !e.isDefault && !e.readOnly) merged[e.configName] = e.configValue;
    }
    Object.assign(merged, desired);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: spec.topic,
          configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    return true;
  }

  private onlyAlreadyExists(e: unknown): boolean {
    const errors = (e as { errors?: { type?: string }[] }).errors;
    return Array.isArray(errors) && errors.length > 0 && errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
  }

  private async call<T>(work: (admin: Admin) => Promise<T>, topic?: string): Promise<T> {
    const connection = this.connect();
    try {
      return await work(await connection);
    } catch (e) {
      if (e instanceof MessagingUsageError) throw e;
      const mapped = toMessagingError(e, { topic });
      // A broken connection is replaced on the next call.
      if (mapped.retriable && this.connection === connection) {
        this.connection = undefined;
        connection.then((a) => a.disconnect()).catch(() => undefined);
      }
      throw mapped;
    }
  }

  private connect(): Promise<Admin> {
    if (!this.connection) {
      const admin = this.kafka.admin();
      const connection = admin.connect().then(() => admin);
      connection.catch(() => {
        if (this.connection === connection) this.connection = undefined;
      });
      this.connection = connection;
    }
    return this.connection;
  }
}
