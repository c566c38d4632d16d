import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@gongzhi/event-store';
import { abortableSleep, errorCode, errorMessage, type MessagePublisher, type PublishedRecord } from '@gongzhi/messaging';
import { contextTopic } from '../topics';
import type { RelayCheckpointStore } from './checkpoint-store';
import { toIntegrationMessage, toRelayedEvent, type IntegrationMessage } from './integration-message';
import type { IntegrationEventRegistry, RelayedEvent } from './registry';

export type RelayState = 'idle' | 'standby' | 'running' | 'backing-off' | 'stopped' | 'crashed';

export type RelayEvent =
  | { type: 'lease-acquired'; position: bigint }
  | { type: 'standby'; reason: 'lease-held-elsewhere' }
  | { type: 'published'; from: bigint; to: bigint; messages: IntegrationMessage[]; records: PublishedRecord[] }
  | { type: 'publish-failed'; error: unknown; attempt: number; nextDelayMs: number }
  | { type: 'withheld'; eventId: string; eventType: string; position: bigint; code: string; reason: string }
  | { type: 'stalled'; eventId: string; eventType: string; error: unknown; attempt: number; nextDelayMs: number }
  | { type: 'checkpoint-failed'; error: unknown; attempt: number; nextDelayMs: number }
  | { type: 'checkpoint-saved'; position: bigint }
  | { type: 'lease-lost' }
  | { type: 'loop-failed'; error: unknown; nextDelayMs: number }
  | { type: 'crashed'; error: unknown };

export interface RelayStatus {
  name: string;
  owner: string;
  state: RelayState;
  /** Last position saved by this instance (undefined before it held the lease). */
  position: bigint | undefined;
  /** Messages acknowledged by the broker since start (a resend counts again). */
  published: number;
  withheld: number;
  lastError: string | undefined;
}

export interface OutboundRelayOptions {
  store: EventStore;
  publisher: MessagePublisher;
  registry: IntegrationEventRegistry;
  checkpoints: RelayCheckpointStore;
  /** Checkpoint and lease name (default 'kafka-relay'); two relays with one name never publish at once. */
  name?: string;
  /** Lease owner; default `<host>:<pid>:<random>`. */
  owner?: string;
  topicOf?: (context: string) => string;
  /** Events read (and published) per round trip. Default 200. */
  batchSize?: number;
  /** How long a silent lease holder keeps it. Default 15 s; renewed every third of it. */
  leaseMs?: number;
  /** Exponential backoff on broker, store or checkpoint failures. Default 250 ms doubling to 10 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Brings old event schemas to the current shape (e.g. UpcasterRegistry.upcast). */
  upcast?: (event: RelayedEvent) => RelayedEvent;
  onEvent?: (event: RelayEvent) => void;
  /**
   * Test hook (K-3/K-7): runs after the broker acknowledged a batch and before the checkpoint
   * moves. When it throws, the relay dies there as a killed process would: no checkpoint, no
   * retry, the lease is not released.
   */
  afterAcknowledged?: (batch: { from: bigint; to: bigint; messages: IntegrationMessage[]; records: PublishedRecord[] }) => void | Promise<void>;
}

class LeaseLost extends Error {
  constructor() {
    super('Relay lease lost');
  }
}
class Stopped extends Error {}
class Crashed extends Error {}

/**
 * The outbound relay: the global log → integration events on Kafka, at least once, in order per
 * aggregate (DESIGN.md "Kafka integration", RELIABILITY.md K-3, K-7, K-8).
 *
 * It runs in a loop of its own, beside the command path: appends never wait for it, and a broker
 * outage only makes it fall behind. Per batch of events read from its checkpoint: map each event
 * (unmapped events stay inside), publish, wait for the broker's acknowledgement, then move the
 * checkpoint. Failures back off and retry the same batch from the same position, so after a
 * broker outage it drains in log order; a crash between acknowledgement and checkpoint resends
 * the batch (consumers deduplicate by CloudEvents `id`). An event whose mapping fails or whose
 * payload holds personal data is withheld (logged, counted in the checkpoint row), never
 * published and never blocking the others.
 */
export class OutboundRelay {
  readonly name: string;
  readonly owner: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly topicOf: (context: string) => string;
  private abort = new AbortController();
  private running?: Promise<void>;
  private state: RelayState = 'idle';
  private position: bigint | undefined;
  private published = 0;
  private withheldCount = 0;
  private lastError: string | undefined;

  constructor(private readonly options: OutboundRelayOptions) {
    this.name = options.name ?? 'kafka-relay';
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 200;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.initialDelayMs = options.backoff?.initialMs ?? 250;
    this.maxDelayMs = options.backoff?.maxMs ?? 10_000;
    this.topicOf = options.topicOf ?? contextTopic;
  }

  /** Starts the loop in the background; `done` settles when it ends. */
  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop();
  }

  /** Resolves when the loop has ended (after `stop()`, or when a test hook killed it). */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops after the batch in flight (its acknowledgement is still checkpointed) and releases the lease. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  status(): RelayStatus {
    return {
      name: this.name,
      owner: this.owner,
      state: this.state,
      position: this.position,
      published: this.published,
      withheld: this.withheldCount,
      lastError: this.lastError,
    };
  }

  /** Events in the log after the checkpoint (exact on stores with contiguous positions). */
  async lag(): Promise<bigint | undefined> {
    const checkpoint = await this.options.checkpoints.get(this.name);
    if (!checkpoint) return undefined;
    const head = await this.options.store.headPosition();
    return head > checkpoint.position ? head - checkpoint.position : 0n;
  }

  private emit(event: RelayEvent) {
    try {
      this.options.onEvent?.(event);
    } catch {
      // An observer must not change delivery.
    }
  }

  private delay(attempt: number): number {
    return Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  }

  private async pause(ms: number): Promise<void> {
    await abortableSleep(ms, this.abort.signal);
    if (this.abort.signal.aborted) throw new Stopped();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const checkpoint = await this.options.checkpoints.acquire(this.name, this.owner, this.leaseMs);
        if (!checkpoint) {
          if (this.state !== 'standby') this.emit({ type: 'standby', reason: 'lease-held-elsewhere' });
          this.state = 'standby';
          await this.pause(Math.max(100, Math.floor(this.leaseMs / 3)));
          continue;
        }
        failures = 0;
        this.state = 'running';
        this.position = checkpoint.position;
        this.emit({ type: 'lease-acquired', position: checkpoint.position });
        await this.runWithLease(checkpoint.position);
      } catch (e) {
        if (e instanceof Stopped || this.abort.signal.aborted) break;
        if (e instanceof Crashed) {
          this.state = 'crashed';
          this.emit({ type: 'crashed', error: e.cause });
          return;
        }
        if (e instanceof LeaseLost) {
          this.emit({ type: 'lease-lost' });
          continue;
        }
        failures += 1;
        const nextDelayMs = this.delay(failures);
        this.lastError = errorMessage(e);
        this.state = 'backing-off';
        this.emit({ type: 'loop-failed', error: e, nextDelayMs });
        await abortableSleep(nextDelayMs, this.abort.signal);
      }
    }
    this.state = 'stopped';
    await this.options.checkpoints.release(this.name, this.owner).catch(() => undefined);
  }

  private async runWithLease(start: bigint): Promise<void> {
    let position = start;
    let leaseValidUntil = Date.now() + this.leaseMs;
    let leaseLost = false;
    const subscription = this.options.store.subscribeToAll({
      fromPosition: position === 0n ? undefined : position,
      maxBatchSize: this.batchSize,
    });
    // stop() ends a subscription waiting for new events, even one created while stop() ran.
    const onStop = () => void subscription.unsubscribe();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    if (this.abort.signal.aborted) onStop();
    // Renewed in the background, so an idle relay (no events) or one backing off keeps its lease;
    // a relay that cannot renew stops publishing before the lease could pass to another.
    const renewer = setInterval(() => {
      this.options.checkpoints.renew(this.name, this.owner, this.leaseMs).then(
        (ok) => {
          if (ok) leaseValidUntil = Date.now() + this.leaseMs;
          else {
            leaseLost = true;
            void subscription.unsubscribe();
          }
        },
        () => undefined,
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    const assertLease = () => {
      if (leaseLost || Date.now() > leaseValidUntil - Math.floor(this.leaseMs / 5)) throw new LeaseLost();
    };
    try {
      for await (const batch of subscription.batches()) {
        if (this.abort.signal.aborted) throw new Stopped();
        assertLease();
        const { messages, withheld } = await this.prepare(batch);
        const records = await this.publish(messages, assertLease);
        const to = batch[batch.length - 1].position;
        if (this.options.afterAcknowledged) {
          try {
            await this.options.afterAcknowledged({ from: position, to, messages, records });
          } catch (e) {
            throw new Crashed('Relay killed by its test hook', { cause: e });
          }
        }
        const lastWithheld = withheld[withheld.length - 1];
        await this.saveCheckpoint(position, to, {
          count: withheld.length,
          lastEventId: lastWithheld?.eventId ?? '',
          lastReason: lastWithheld ? `${lastWithheld.code}: ${lastWithheld.reason}` : '',
        });
        leaseValidUntil = Date.now() + this.leaseMs;
        position = to;
        this.position = to;
        this.state = 'running';
      }
      if (leaseLost) throw new LeaseLost();
      if (this.abort.signal.aborted) throw new Stopped();
    } finally {
      clearInterval(renewer);
      this.abort.signal.removeEventListener('abort', onStop);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /** Maps a batch; an upcast failure (an event from newer code) stalls until it is fixed. */
  private async prepare(batch: RecordedEvent[]) {
    const messages: IntegrationMessage[] = [];
    const withheld: { eventId: string; code: string; reason: string }[] = [];
    for (const recorded of batch) {
      const mapping = this.options.registry.mappingFor(recorded.type);
      if (!mapping) continue;
      let event = toRelayedEvent(recorded);
      for (let attempt = 1; this.options.upcast; attempt++) {
        try {
          event = this.options.upcast(event);
          break;
        } catch (error) {
          const nextDelayMs = this.delay(attempt);
          this.lastError = errorMessage(error);
          this.state = 'backing-off';
          this.emit({ type: 'stalled', eventId: recorded.id, eventType: recorded.type, error, attempt, nextDelayMs });
          await this.pause(nextDelayMs);
        }
      }
      try {
        messages.push(toIntegrationMessage(event, mapping, this.topicOf));
      } catch (error) {
        const entry = { eventId: recorded.id, code: errorCode(error), reason: errorMessage(error) };
        withheld.push(entry);
        this.withheldCount += 1;
        this.emit({ type: 'withheld', eventType: recorded.type, position: recorded.position, ...entry });
      }
    }
    return { messages, withheld };
  }

  /**
   * Publishes a batch, one call per topic in order of first appearance (each aggregate maps to
   * one topic, so its events keep their order). A failed call is retried with backoff, starting
   * from the topic that failed: what was acknowledged is not sent again by this relay.
   */
  private async publish(messages: IntegrationMessage[], assertLease: () => void): Promise<PublishedRecord[]> {
    const groups = new Map<string, IntegrationMessage[]>();
    for (const m of messages) groups.set(m.topic, [...(groups.get(m.topic) ?? []), m]);
    const records = new Map<IntegrationMessage, PublishedRecord>();
    for (const [topic, group] of groups) {
      for (let attempt = 1; ; attempt++) {
        if (this.abort.signal.aborted) throw new Stopped();
        assertLease();
        try {
          const placed = await this.options.publisher.publish(topic, group.map((m) => m.message));
          placed.forEach((record, i) => records.set(group[i], record));
          this.published += group.length;
          break;
        } catch (error) {
          const nextDelayMs = this.delay(attempt);
          this.lastError = errorMessage(error);
          this.state = 'backing-off';
          this.emit({ type: 'publish-failed', error, attempt, nextDelayMs });
          await this.pause(nextDelayMs);
        }
      }
    }
    const ordered = messages.map((m) => records.get(m) as PublishedRecord);
    if (messages.length > 0) {
      this.emit({ type: 'published', from: messages[0].position, to: messages[messages.length - 1].position, messages, records: ordered });
    }
    return ordered;
  }

  private async saveCheckpoint(from: bigint, to: bigint, withheld: { count: number; lastEventId: string; lastReason: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const moved = await this.options.checkpoints.advance(this.name, this.owner, { from, to, leaseMs: this.leaseMs, withheld });
        if (!moved) throw new LeaseLost();
        this.emit({ type: 'checkpoint-saved', position: to });
        return;
      } catch (error) {
        if (error instanceof LeaseLost) throw error;
        const nextDelayMs = this.delay(attempt);
        this.lastError = errorMessage(error);
        this.state = 'backing-off';
        this.emit({ type: 'checkpoint-failed', error, attempt, nextDelayMs });
        // Acknowledged but not checkpointed: keep trying, even while stopping, unless the
        // lease could have moved on (then the next holder resends this batch).
        await abortableSleep(nextDelayMs, this.abort.signal);
        if (this.abort.signal.aborted) throw new Stopped();
      }
    }
  }
}
