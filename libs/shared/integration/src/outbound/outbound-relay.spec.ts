import { CloudEvent as SdkCloudEvent } from 'cloudevents';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import type { EventToAppend } from '@gongzhi/event-store';
import { BrokerUnavailableError, parseCloudEvent } from '@gongzhi/messaging';
import { InMemoryMessageBus } from '@gongzhi/messaging/testing';
import { personalData } from '@gongzhi/kernel';
import { contextTopic } from '../topics';
import { InMemoryRelayCheckpointStore } from './checkpoint-store';
import { OutboundRelay, type RelayEvent } from './outbound-relay';
import { IntegrationEventRegistry, defineIntegrationEvents, type IntegrationEventMapping } from './registry';

const disputeMappings = defineIntegrationEvents('union', 'labor-dispute', {
  DisputeFiled: { name: 'filed', fields: ['disputeId', 'category', 'filedAt'] },
  DisputeClosed: { name: 'closed', fields: ['disputeId', 'outcome', 'closedAt'] },
});

const meta = (n: number) => ({
  commandId: `cmd-${n}`,
  correlationId: `corr-${n}`,
  causationId: `cmd-${n}`,
  actor: { userId: 'officer-1' },
  orgUnitPath: 'root.wujiang.songling',
  occurredAt: `2026-05-0${(n % 9) + 1}T08:00:00.000Z`,
  schemaVersion: 1,
});

let idCounter = 0;
const uuid = () => `00000000-0000-4000-8000-${(idCounter++).toString(16).padStart(12, '0')}`;

const filed = (n: number): EventToAppend => ({
  id: uuid(),
  type: 'DisputeFiled',
  data: {
    disputeId: `d${n}`,
    category: 'wage-arrears',
    filedAt: '2026-05-01T08:00:00.000Z',
    description: '拖欠三個月工資',
    workers: [{ subjectId: 's1', name: { $pii: 'enc', subjectId: 's1', keyVersion: 1, alg: 'A256GCM', iv: 'aa', ciphertext: 'bb', tag: 'cc' } }],
  },
  metadata: meta(n),
});
const internal = (): EventToAppend => ({ id: uuid(), type: 'MediatorNoteAdded', data: { note: 'internal' }, metadata: meta(0) });
const closed = (n: number): EventToAppend => ({
  id: uuid(),
  type: 'DisputeClosed',
  data: { disputeId: `d${n}`, outcome: 'withdrawn', note: 'free text', closedAt: '2026-05-09T08:00:00.000Z' },
  metadata: meta(n),
});

const waitFor = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('OutboundRelay', () => {
  const topic = contextTopic('union');
  let store: InMemoryEventStore;
  let bus: InMemoryMessageBus;
  let checkpoints: InMemoryRelayCheckpointStore;
  let relays: OutboundRelay[];

  const relay = (overrides: Partial<ConstructorParameters<typeof OutboundRelay>[0]> = {}) => {
    const r = new OutboundRelay({
      store,
      publisher: bus,
      registry: new IntegrationEventRegistry(disputeMappings),
      checkpoints,
      batchSize: 3,
      leaseMs: 2000,
      backoff: { initialMs: 5, maxMs: 20 },
      ...overrides,
    });
    relays.push(r);
    return r;
  };
  const values = () => bus.records(topic).map((r) => parseCloudEvent(r.value));

  beforeEach(async () => {
    store = new InMemoryEventStore({ pollIntervalMs: 10 });
    bus = new InMemoryMessageBus();
    checkpoints = new InMemoryRelayCheckpointStore();
    relays = [];
    await bus.ensureTopics([{ topic, partitions: 3 }]);
  });
  afterEach(async () => {
    await Promise.all(relays.map((r) => r.stop()));
  });

  it('publishes mapped events as CloudEvents keyed by stream id, keeps unmapped events inside, and moves the checkpoint', async () => {
    await store.appendToStream('union.labor-dispute-d1', [filed(1), internal(), closed(1)]);
    await store.appendToStream('union.labor-dispute-d2', [filed(2)]);
    const r = relay();
    r.start();
    await waitFor(async () => (await checkpoints.get('kafka-relay'))?.position === (await store.headPosition()), 'the checkpoint at the head');

    const records = bus.records(topic);
    expect(records.map((m) => m.key?.toString())).toEqual(
      expect.arrayContaining(['union.labor-dispute-d1', 'union.labor-dispute-d1', 'union.labor-dispute-d2']),
    );
    const events = values();
    expect(events.map((e) => e.type).sort()).toEqual([
      'gongzhi.union.labor-dispute.closed.v1',
      'gongzhi.union.labor-dispute.filed.v1',
      'gongzhi.union.labor-dispute.filed.v1',
    ]);
    const first = events.find((e) => e.subject === 'd1' && e.type.endsWith('filed.v1'));
    const stored = await store.readStream('union.labor-dispute-d1');
    expect(first).toEqual({
      specversion: '1.0',
      id: stored[0].id,
      source: '/gongzhi/union',
      type: 'gongzhi.union.labor-dispute.filed.v1',
      subject: 'd1',
      time: '2026-05-02T08:00:00.000Z',
      datacontenttype: 'application/json',
      sequence: '0',
      data: { disputeId: 'd1', category: 'wage-arrears', filedAt: '2026-05-01T08:00:00.000Z', orgUnitPath: 'root.wujiang.songling' },
    });
    // The official SDK accepts the envelope as a valid CloudEvents 1.0 event.
    expect(() => new SdkCloudEvent(first as never).validate()).not.toThrow();
    // Nothing of the description, the workers or the internal event left.
    const text = records.map((m) => m.value?.toString()).join('\n');
    expect(text).not.toContain('拖欠');
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain('internal');
    expect(r.status()).toMatchObject({ state: 'running', published: 3, withheld: 0 });
  });

  it('keeps the order of each aggregate across batches and partitions', async () => {
    for (let n = 0; n < 5; n++) {
      await store.appendToStream(`union.labor-dispute-d${n}`, [filed(n)]);
      await store.appendToStream(`union.labor-dispute-d${n}`, [closed(n)], { expectedRevision: 0 });
    }
    relay().start();
    await waitFor(() => bus.records(topic).length === 10, '10 messages');
    for (let n = 0; n < 5; n++) {
      const mine = bus.records(topic).filter((m) => m.key?.toString() === `union.labor-dispute-d${n}`);
      expect(mine.map((m) => parseCloudEvent(m.value).type)).toEqual(['gongzhi.union.labor-dispute.filed.v1', 'gongzhi.union.labor-dispute.closed.v1']);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
    }
  });

  it('backs off while the broker is down, keeps its position, and drains in order afterwards', async () => {
    const events: RelayEvent[] = [];
    bus.failNextPublishes(6, () => new BrokerUnavailableError('broker down'));
    await store.appendToStream('union.labor-dispute-d1', [filed(1), closed(1)]);
    const r = relay({ onEvent: (e) => events.push(e) });
    r.start();
    await waitFor(() => events.filter((e) => e.type === 'publish-failed').length >= 3, 'three failed publishes');
    expect((await checkpoints.get('kafka-relay'))?.position).toBe(0n);
    // Appends go on while the relay backs off: the command path never waits for the broker.
    await store.appendToStream('union.labor-dispute-d2', [filed(2)]);
    await waitFor(() => bus.records(topic).length === 3, 'the backlog drained');
    const delays = events.flatMap((e) => (e.type === 'publish-failed' ? [e.nextDelayMs] : []));
    expect(delays.slice(0, 3)).toEqual([5, 10, 20]);
    expect(values().map((e) => `${e.subject}:${e.type.split('.')[3]}`)).toEqual(['d1:filed', 'd1:closed', 'd2:filed']);
    await waitFor(async () => (await checkpoints.get('kafka-relay'))?.position === (await store.headPosition()), 'the checkpoint');
  });

  it('dies without moving the checkpoint when the test hook kills it after the acknowledgement; a successor resends the batch', async () => {
    await store.appendToStream('union.labor-dispute-d1', [filed(1), closed(1)]);
    const first = relay({ owner: 'first', afterAcknowledged: () => Promise.reject(new Error('SIGKILL')) });
    first.start();
    await first.done;
    expect(first.status().state).toBe('crashed');
    expect(bus.records(topic)).toHaveLength(2);
    expect((await checkpoints.get('kafka-relay'))?.position).toBe(0n);

    // The dead relay still holds the lease until it expires; then a successor takes over.
    const successorEvents: RelayEvent[] = [];
    const second = relay({ owner: 'second', leaseMs: 50, onEvent: (e) => successorEvents.push(e) });
    second.start();
    await waitFor(() => bus.records(topic).length === 4, 'the batch resent', 5000);
    expect(successorEvents[0]).toEqual({ type: 'standby', reason: 'lease-held-elsewhere' });
    const ids = values().map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids.slice(2)).toEqual(ids.slice(0, 2));
  });

  it('lets one of two relays with the same name publish at a time', async () => {
    await store.appendToStream('union.labor-dispute-d1', [filed(1), closed(1)]);
    const a = relay({ owner: 'a' });
    const b = relay({ owner: 'b' });
    a.start();
    await waitFor(() => bus.records(topic).length === 2, 'a to publish');
    b.start();
    await waitFor(() => b.status().state === 'standby', 'b on standby');
    await store.appendToStream('union.labor-dispute-d2', [filed(2)]);
    await waitFor(() => bus.records(topic).length === 3, 'the new event');
    await new Promise((r) => setTimeout(r, 50));
    expect(bus.records(topic)).toHaveLength(3);
    expect(a.status().published).toBe(3);
    expect(b.status().published).toBe(0);
  });

  it('withholds an event whose payload holds personal data, publishes the rest, and counts it in the checkpoint', async () => {
    const leaky: IntegrationEventMapping = {
      eventType: 'WorkerRegistered',
      context: 'union',
      aggregate: 'labor-dispute',
      name: 'worker-registered',
      version: 1,
      // A wrong mapping: it copies the worker object.
      data: (e) => ({ worker: (e.data as { worker: never }).worker }),
    };
    const events: RelayEvent[] = [];
    const r = relay({ registry: new IntegrationEventRegistry([...disputeMappings, leaky]), onEvent: (e) => events.push(e) });
    await store.appendToStream('union.labor-dispute-d1', [
      filed(1),
      { id: uuid(), type: 'WorkerRegistered', data: { worker: personalData('s9', '張三') as never }, metadata: meta(1) },
      closed(1),
    ]);
    r.start();
    await waitFor(async () => (await checkpoints.get('kafka-relay'))?.position === (await store.headPosition()), 'the checkpoint');
    expect(values().map((e) => e.type.split('.')[3])).toEqual(['filed', 'closed']);
    expect(bus.records(topic).map((m) => m.value?.toString()).join('')).not.toContain('張三');
    const withheld = events.find((e) => e.type === 'withheld');
    expect(withheld).toMatchObject({ eventType: 'WorkerRegistered', code: 'INTEGRATION.PERSONAL_DATA_REFUSED' });
    expect(withheld && 'reason' in withheld ? withheld.reason : '').toContain('data.worker (personal-data)');
    expect(await checkpoints.get('kafka-relay')).toMatchObject({ withheld: 1, lastWithheldReason: expect.stringContaining('INTEGRATION.PERSONAL_DATA_REFUSED') });
  });

  it('stalls with backoff on an event it cannot upcast instead of skipping it', async () => {
    const events: RelayEvent[] = [];
    let broken = true;
    const r = relay({
      onEvent: (e) => events.push(e),
      upcast: (e) => {
        if (broken && e.type === 'DisputeClosed') throw new Error('stored by a newer schema than this code knows');
        return e;
      },
    });
    await store.appendToStream('union.labor-dispute-d1', [filed(1), closed(1)]);
    r.start();
    await waitFor(() => events.filter((e) => e.type === 'stalled').length >= 2, 'the relay to stall');
    expect(bus.records(topic)).toHaveLength(0);
    broken = false;
    await waitFor(() => bus.records(topic).length === 2, 'both events after the fix');
  });

  it('stops even when asked while it is still taking the lease', async () => {
    const r = relay();
    r.start();
    await r.stop();
    expect(r.status().state).toBe('stopped');
  });

  it('stops cleanly and releases its lease', async () => {
    const r = relay({ owner: 'x' });
    r.start();
    await waitFor(() => r.status().state === 'running', 'running');
    await r.stop();
    expect(r.status().state).toBe('stopped');
    expect((await checkpoints.get('kafka-relay'))?.leaseOwner).toBeNull();
  });
});
