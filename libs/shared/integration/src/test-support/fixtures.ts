// Fixtures of the Kafka integration specs: incident events with personal data in them (as the
// event store holds them: encrypted envelopes), recorders for what the relay got acknowledged
// and what a consumer read, and a bounded wait.
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '@gongzhi/event-store';
import { parseCloudEvent, type CloudEvent, type MessageConsumer, type RunningConsumer } from '@gongzhi/messaging';
import type { AckedRecord, ConsumedRecord } from '@gongzhi/messaging/testing';
import type { RelayEvent } from '../outbound/outbound-relay';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const waitUntil = async (condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string)) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(50);
  }
};

/** Strings that must never reach a topic: they sit in the events' personal and free-text fields. */
export const SECRETS = ['張建國', '13812345678', '中山路88號', 'caller-ref-9931', 'ciphertext-of-a-name', '夜裡有人摔倒'];

const envelope = (subjectId: string) => ({
  $pii: 'enc',
  subjectId,
  keyVersion: 1,
  alg: 'A256GCM',
  iv: 'aXYtOTk=',
  ciphertext: 'ciphertext-of-a-name',
  tag: 'dGFnLTk5',
});

const metadata = (n: number, at: string) => ({
  commandId: `cmd-${n}-${randomUUID()}`,
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { userId: 'hotline-bridge' },
  orgUnitPath: 'root.wujiang.songling.chengzhong',
  occurredAt: at,
  schemaVersion: 1,
});

/** The n-th event of an incident's life: received, accepted, then closed (then more acceptances). */
export const incidentEvent = (incidentId: string, n: number): EventToAppend => {
  const at = new Date(Date.UTC(2026, 4, 6, 1, 15, n)).toISOString();
  if (n === 0) {
    return {
      id: randomUUID(),
      type: 'HotlineWorkOrderReceived',
      data: {
        incidentId,
        ticketNumber: `SZ${incidentId.slice(0, 8).toUpperCase()}`,
        matterType: 'report',
        hotlineCategory: 'component.public-facilities.manhole-cover',
        category: null,
        communityId: 'chengzhong',
        gridId: null,
        location: { address: '城中社區中山路88號', latitude: null, longitude: null },
        description: '井蓋缺失，夜裡有人摔倒',
        callerRef: 'caller-ref-9931',
        reporter: { subjectId: 'subject-1', name: envelope('subject-1'), phone: envelope('subject-1'), confidential: false, wantsReply: true },
        timeLimitWorkingDays: 3,
        dispatchedAt: at,
        receivedAt: at,
      },
      metadata: metadata(n, at),
    };
  }
  // Internal steps between the public ones: they must stay inside.
  if (n % 3 === 2) return { id: randomUUID(), type: 'DeadlineClockStarted', data: { incidentId, clockId: 'handling', note: '張建國 13812345678' }, metadata: metadata(n, at) };
  return { id: randomUUID(), type: n % 3 === 1 ? 'IncidentAccepted' : 'IncidentClosed', data: { incidentId, acceptedAt: at, closedAt: at }, metadata: metadata(n, at) };
};

export const incidentStreamId = (incidentId: string) => `community.incident-${incidentId}`;

/**
 * Appends `eventsPerIncident` events to each of `incidents` incidents, one append per event,
 * interleaving the incidents so consecutive log positions belong to different streams.
 */
export const appendIncidents = async (store: EventStore, incidents: string[], eventsPerIncident: number, from = 0) => {
  for (let n = from; n < from + eventsPerIncident; n++) {
    for (const id of incidents) {
      await store.appendToStream(incidentStreamId(id), [incidentEvent(id, n)], { expectedRevision: n === 0 ? 'no_stream' : n - 1 });
    }
  }
};

/** Event ids of the events the community mapping publishes, per stream in revision order. */
export const publishedIdsByStream = async (store: EventStore, incidents: string[], mapped = new Set(['HotlineWorkOrderReceived', 'IncidentAccepted', 'IncidentClosed'])) => {
  const byStream = new Map<string, string[]>();
  for (const id of incidents) {
    const events = await store.readStream(incidentStreamId(id));
    byStream.set(incidentStreamId(id), events.filter((e) => mapped.has(e.type)).map((e) => e.id));
  }
  return byStream;
};

/** Collects what the relay got acknowledged, as the log checker's acked records. */
export const ackRecorder = () => {
  const acked: AckedRecord[] = [];
  const onEvent = (e: RelayEvent) => {
    if (e.type !== 'published') return;
    e.messages.forEach((m, i) => acked.push({ id: m.event.id, key: m.key, topic: e.records[i].topic, partition: e.records[i].partition, offset: e.records[i].offset }));
  };
  return { acked, onEvent };
};

/** A consumer group reading a topic, keeping every record (redeliveries too) and the raw values. */
export const recordTopic = async (consumer: MessageConsumer, topic: string, groupId: string, name = 'reader') => {
  const consumed: ConsumedRecord[] = [];
  const events: CloudEvent[] = [];
  const raw: string[] = [];
  const running: RunningConsumer = await consumer.run({
    topic,
    groupId,
    handler: async (m, ctx) => {
      const text = m.value?.toString('utf8') ?? '';
      const event = parseCloudEvent(m.value);
      raw.push(text);
      events.push(event);
      consumed.push({ id: event.id, key: m.key?.toString() ?? null, topic: m.topic, partition: m.partition, offset: m.offset, session: `${name}:${ctx.generation}` });
    },
  });
  /** First consumption of each CloudEvents id: what a deduplicating consumer applies. */
  const deduplicated = () => {
    const seen = new Set<string>();
    return events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  };
  return { consumed, events, raw, deduplicated, stop: () => running.stop() };
};
