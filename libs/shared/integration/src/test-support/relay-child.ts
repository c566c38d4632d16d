/**
 * An outbound relay in its own process, for the test that SIGKILLs it mid-stream (K-3). argv[2]
 * is a JSON RelayChildConfig. It reads the SQLite event store file the parent appends to, keeps
 * its checkpoint in a SQLite read-store file, and reports over IPC: 'lease' when it holds the
 * lease, 'acked' with the broker's placements after each acknowledged publish.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openSqliteEventStoreReadOnly } from '@gongzhi/event-store-sqlite';
import { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import type { AckedRecord } from '@gongzhi/messaging/testing';
import { COMMUNITY_INTEGRATION_EVENTS } from '../catalogue';
import { SqlRelayCheckpointStore } from '../outbound/checkpoint-store';
import { OutboundRelay } from '../outbound/outbound-relay';
import { IntegrationEventRegistry } from '../outbound/registry';

export interface RelayChildConfig {
  brokers: string[];
  eventStoreFile: string;
  readStoreFile: string;
  topic: string;
  owner: string;
  leaseMs: number;
  batchSize: number;
}

export type RelayChildMessage = { type: 'lease' } | { type: 'acked'; records: AckedRecord[] } | { type: 'error'; message: string };

const send = (m: RelayChildMessage) => process.send?.(m);

async function main(config: RelayChildConfig) {
  const store = openSqliteEventStoreReadOnly({ filename: config.eventStoreFile, pollIntervalMs: 20 });
  const readStore = new DataSource({ type: 'better-sqlite3', database: config.readStoreFile });
  await readStore.initialize();
  const checkpoints = new SqlRelayCheckpointStore(readStore);
  await checkpoints.ensureSchema();
  const messaging = new KafkaMessaging({ brokers: config.brokers, clientId: `relay-child-${config.owner}`, logLevel: 'nothing' });
  const relay = new OutboundRelay({
    store,
    publisher: messaging.publisher,
    registry: new IntegrationEventRegistry([COMMUNITY_INTEGRATION_EVENTS]),
    checkpoints,
    topicOf: () => config.topic,
    owner: config.owner,
    leaseMs: config.leaseMs,
    batchSize: config.batchSize,
    backoff: { initialMs: 50, maxMs: 500 },
    onEvent: (e) => {
      if (e.type === 'lease-acquired') send({ type: 'lease' });
      if (e.type === 'published') {
        send({
          type: 'acked',
          records: e.messages.map((m, i) => ({ id: m.event.id, key: m.key, topic: e.records[i].topic, partition: e.records[i].partition, offset: e.records[i].offset })),
        });
      }
      if (e.type === 'loop-failed' || e.type === 'checkpoint-failed') send({ type: 'error', message: String((e.error as Error)?.message ?? e.error) });
    },
  });
  relay.start();
}

main(JSON.parse(process.argv[2]) as RelayChildConfig).catch((e) => {
  send({ type: 'error', message: String(e?.stack ?? e) });
  process.exit(1);
});
