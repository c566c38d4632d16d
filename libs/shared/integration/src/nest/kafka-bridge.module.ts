import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
  type Provider,
  type Type,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Counter, Gauge, type Registry } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { UpcasterRegistry } from '@gongzhi/eventsourcing';
import {
  abortableSleep,
  errorCode,
  errorMessage,
  type MessageConsumer,
  type MessagePublisher,
  type MessagingAdmin,
  type RetryPolicy,
} from '@gongzhi/messaging';
import {
  INBOUND_WORK_ORDER_HANDLER,
  InboundWorkOrderConsumer,
  type InboundEvent,
  type InboundWorkOrderHandler,
} from '../inbound/inbound-consumer';
import { SqlRelayCheckpointStore, type RelayCheckpointStore } from '../outbound/checkpoint-store';
import { OutboundRelay, type RelayEvent, type RelayStatus } from '../outbound/outbound-relay';
import { IntegrationEventRegistry, type ContextIntegrationEvents, type IntegrationEventMapping, type RelayedEvent } from '../outbound/registry';
import { bridgeTopicNames, integrationTopicSpecs, type IntegrationTopicSettings } from '../topics';

/** The broker clients the bridge uses; the composition root picks the adapter (kafkajs). */
export interface MessagingClients {
  publisher: MessagePublisher;
  consumer: MessageConsumer;
  admin: MessagingAdmin;
  close(): Promise<void>;
}

type FactoryDeps = Array<InjectionToken | OptionalFactoryDependency>;

export interface KafkaBridgeModuleOptions {
  /** Builds the clients, e.g. `() => new KafkaMessaging({ brokers })`. Closed on shutdown. */
  messaging: (...deps: any[]) => MessagingClients | Promise<MessagingClients>;
  inject?: FactoryDeps;
  imports?: ModuleMetadata['imports'];
  topics?: IntegrationTopicSettings;
  /** The outbound relay; omit or `false` to run without it. */
  relay?:
    | false
    | {
        /** Contexts' mappings (e.g. INTEGRATION_CATALOGUE): what may leave. */
        events: Iterable<ContextIntegrationEvents | IntegrationEventMapping>;
        name?: string;
        owner?: string;
        batchSize?: number;
        leaseMs?: number;
        backoff?: { initialMs?: number; maxMs?: number };
        /** Default: a table in the read store (the DataSource provider). */
        checkpoints?: { useFactory: (...deps: any[]) => RelayCheckpointStore | Promise<RelayCheckpointStore>; inject?: FactoryDeps };
      };
  /** The inbound work-order consumer; omit or `false` to run without it. */
  inbound?:
    | false
    | {
        /** Binds the port to the community context (e.g. through the CommandBus). */
        handler: Type<InboundWorkOrderHandler>;
        groupId?: string;
        retry?: RetryPolicy;
        partitionsConsumedConcurrently?: number;
      };
  /** Where the bridge's Prometheus metrics go (e.g. the app's registry); none by default. */
  metrics?: { useFactory: (...deps: any[]) => Registry | undefined; inject?: FactoryDeps };
  /** Start-up retries of topic creation and group join. Default 1 s doubling to 30 s. */
  startBackoff?: { initialMs?: number; maxMs?: number };
}

export const MESSAGING_CLIENTS = Symbol('MESSAGING_CLIENTS');
export const RELAY_CHECKPOINT_STORE = Symbol('RELAY_CHECKPOINT_STORE');
export const INTEGRATION_EVENT_REGISTRY = Symbol('INTEGRATION_EVENT_REGISTRY');
const BRIDGE_OPTIONS = Symbol('KAFKA_BRIDGE_OPTIONS');
const BRIDGE_METRICS_REGISTRY = Symbol('KAFKA_BRIDGE_METRICS_REGISTRY');

export interface KafkaBridgeStatus {
  topicsReady: boolean;
  relay: RelayStatus | undefined;
  inbound: { enabled: boolean; running: boolean; processed: number; deadLettered: number };
  lastError: string | undefined;
}

/**
 * Runs the bridge beside the rest of the app: at start-up it creates or aligns the topics, then
 * starts the relay and the inbound consumer, all in the background and with retries, so the app
 * (and its command path) starts and serves whether the broker is up or not.
 */
@Injectable()
export class KafkaBridgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaBridge');
  private readonly abort = new AbortController();
  readonly relay?: OutboundRelay;
  readonly inbound?: InboundWorkOrderConsumer;
  private topicsReady = false;
  private inboundRunning = false;
  private processed = 0;
  private deadLettered = 0;
  private lastError: string | undefined;
  private starting?: Promise<void>;
  private readonly metrics?: ReturnType<KafkaBridgeService['createMetrics']>;

  constructor(
    @Inject(BRIDGE_OPTIONS) private readonly options: KafkaBridgeModuleOptions,
    @Inject(MESSAGING_CLIENTS) private readonly clients: MessagingClients,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INTEGRATION_EVENT_REGISTRY) private readonly registry: IntegrationEventRegistry,
    @Optional() @Inject(RELAY_CHECKPOINT_STORE) private readonly checkpoints?: RelayCheckpointStore,
    @Optional() @Inject(INBOUND_WORK_ORDER_HANDLER) handler?: InboundWorkOrderHandler,
    @Optional() upcasters?: UpcasterRegistry,
    @Optional() @Inject(BRIDGE_METRICS_REGISTRY) metricsRegistry?: Registry,
  ) {
    const names = bridgeTopicNames(options.topics);
    if (metricsRegistry) this.metrics = this.createMetrics(metricsRegistry);
    const relayOptions = options.relay;
    if (relayOptions && checkpoints) {
      this.relay = new OutboundRelay({
        store,
        publisher: clients.publisher,
        registry,
        checkpoints,
        topicOf: names.outbound,
        name: relayOptions.name,
        owner: relayOptions.owner,
        batchSize: relayOptions.batchSize,
        leaseMs: relayOptions.leaseMs,
        backoff: relayOptions.backoff,
        upcast: upcasters ? (e: RelayedEvent) => upcasters.upcast({ ...e, metadata: { ...e.metadata } }) : undefined,
        onEvent: (e) => this.onRelayEvent(e),
      });
    }
    const inboundOptions = options.inbound;
    if (inboundOptions && handler) {
      this.inbound = new InboundWorkOrderConsumer({
        consumer: clients.consumer,
        handler,
        topic: names.inbound,
        deadLetterTopic: names.deadLetter,
        groupId: inboundOptions.groupId,
        retry: inboundOptions.retry,
        partitionsConsumedConcurrently: inboundOptions.partitionsConsumedConcurrently,
        onEvent: (e) => this.onInboundEvent(e),
      });
    }
  }

  onApplicationBootstrap(): void {
    this.starting = this.startAll().catch((e) => {
      if (!this.abort.signal.aborted) this.logger.error(`Kafka bridge failed to start: ${errorMessage(e)}`);
    });
  }

  /** Resolves when topics exist and the relay and consumer have started (tests, readiness). */
  async whenStarted(): Promise<void> {
    await this.starting;
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.starting;
    await Promise.allSettled([this.relay?.stop(), this.inbound?.stop()]);
    this.inboundRunning = false;
    await this.clients.close().catch(() => undefined);
  }

  status(): KafkaBridgeStatus {
    return {
      topicsReady: this.topicsReady,
      relay: this.relay?.status(),
      inbound: { enabled: this.inbound !== undefined, running: this.inboundRunning, processed: this.processed, deadLettered: this.deadLettered },
      lastError: this.lastError,
    };
  }

  private async startAll(): Promise<void> {
    const specs = integrationTopicSpecs(this.registry.contexts(), this.options.topics, {
      outbound: this.relay !== undefined,
      inbound: this.inbound !== undefined,
    });
    await this.retry('create topics', async () => {
      const result = await this.clients.admin.ensureTopics(specs);
      this.logger.log(`Topics ready: created [${result.created.join(', ')}], updated [${result.updated.join(', ')}], unchanged ${result.unchanged.length}`);
    });
    this.topicsReady = true;
    if (this.relay && this.checkpoints) {
      const checkpoints = this.checkpoints;
      await this.retry('create the relay checkpoint table', () => checkpoints.ensureSchema());
      this.relay.start();
      this.logger.log(`Outbound relay ${this.relay.name} started (owner ${this.relay.owner})`);
    }
    if (this.inbound) {
      const inbound = this.inbound;
      await this.retry('join the inbound consumer group', async () => {
        await inbound.start();
      });
      this.inboundRunning = true;
      this.logger.log(`Inbound consumer joined group ${inbound.groupId} on ${inbound.topic}`);
      inbound.done.then(
        () => (this.inboundRunning = false),
        (e) => {
          this.inboundRunning = false;
          this.lastError = errorMessage(e);
          this.logger.error(`Inbound consumer stopped: ${errorMessage(e)}`);
        },
      );
    }
  }

  private async retry(what: string, work: () => Promise<void>): Promise<void> {
    const initial = this.options.startBackoff?.initialMs ?? 1000;
    const max = this.options.startBackoff?.maxMs ?? 30_000;
    for (let attempt = 1; ; attempt++) {
      if (this.abort.signal.aborted) throw new Error('Kafka bridge stopped during start-up');
      try {
        await work();
        return;
      } catch (e) {
        const delay = Math.min(max, initial * 2 ** (attempt - 1));
        this.lastError = errorMessage(e);
        this.logger.warn(`Could not ${what} (attempt ${attempt}, next in ${delay} ms): ${errorCode(e)} ${errorMessage(e)}`);
        await abortableSleep(delay, this.abort.signal);
      }
    }
  }

  private onRelayEvent(e: RelayEvent) {
    switch (e.type) {
      case 'published':
        this.metrics?.published.inc(e.messages.length);
        break;
      case 'withheld':
        this.metrics?.withheld.inc();
        this.logger.error(`Relay withheld event ${e.eventId} (${e.eventType}) at position ${e.position}: ${e.code} ${e.reason}`);
        break;
      case 'publish-failed':
        this.lastError = errorMessage(e.error);
        if (e.attempt === 1 || e.attempt % 10 === 0) {
          this.logger.warn(`Relay cannot publish (attempt ${e.attempt}, backing off ${e.nextDelayMs} ms): ${errorCode(e.error)} ${errorMessage(e.error)}`);
        }
        break;
      case 'checkpoint-failed':
      case 'loop-failed':
        this.lastError = errorMessage(e.error);
        this.logger.warn(`Relay ${e.type} (next try in ${e.nextDelayMs} ms): ${errorMessage(e.error)}`);
        break;
      case 'stalled':
        this.lastError = errorMessage(e.error);
        this.logger.error(`Relay stalled on event ${e.eventId} (${e.eventType}): ${errorMessage(e.error)}`);
        break;
      case 'lease-acquired':
        this.logger.log(`Relay holds the lease, resuming after position ${e.position}`);
        break;
      case 'standby':
        this.logger.log('Relay on standby: another instance holds the lease');
        break;
      default:
        break;
    }
  }

  private onInboundEvent(e: InboundEvent) {
    switch (e.type) {
      case 'processed':
        this.processed += 1;
        this.metrics?.inbound.inc({ outcome: e.idempotentReplay ? 'replay' : 'processed' });
        break;
      case 'dead-lettered':
        this.deadLettered += 1;
        this.metrics?.inbound.inc({ outcome: 'dead-lettered' });
        this.logger.warn(
          `Inbound message ${e.message.topic}/${e.message.partition}@${e.message.offset} dead-lettered to ${e.deadLetterTopic}: ${errorCode(e.error)}`,
        );
        break;
      case 'handler-failed':
        this.lastError = errorMessage(e.error);
        if (e.attempt === 1 || e.attempt % 10 === 0) {
          this.logger.warn(`Inbound work order failed (attempt ${e.attempt}, retry in ${e.nextDelayMs} ms): ${errorCode(e.error)}`);
        }
        break;
      case 'crashed':
        this.lastError = errorMessage(e.error);
        this.logger.warn(`Inbound consumer crashed (restart: ${e.willRestart}): ${errorMessage(e.error)}`);
        break;
      default:
        break;
    }
  }

  private createMetrics(registry: Registry) {
    const relay = () => this.relay;
    return {
      published: new Counter({ name: 'gongzhi_relay_published_total', help: 'Integration events acknowledged by the broker (resends count again)', registers: [registry] }),
      withheld: new Counter({ name: 'gongzhi_relay_withheld_total', help: 'Events the relay refused to publish (mapping failed, personal data)', registers: [registry] }),
      inbound: new Counter({ name: 'gongzhi_inbound_messages_total', help: 'Inbound work-order messages by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
      lag: new Gauge({
        name: 'gongzhi_relay_lag_events',
        help: 'Events in the log the relay has not published yet (head position minus checkpoint)',
        registers: [registry],
        async collect() {
          const lag = await relay()?.lag().catch(() => undefined);
          if (lag !== undefined) this.set(Number(lag));
        },
      }),
    };
  }
}

/**
 * The Kafka bridge as a Nest module: the outbound relay and the inbound work-order consumer.
 * It needs EVENT_STORE (EventSourcingModule) and, for the default relay checkpoint, the read
 * store's TypeORM DataSource, both from the app. Used by apps/kafka-bridge and, when
 * KAFKA_BROKERS is set, by apps/platform.
 */
@Module({})
export class KafkaBridgeModule {
  static forRoot(options: KafkaBridgeModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: BRIDGE_OPTIONS, useValue: options },
      { provide: MESSAGING_CLIENTS, useFactory: options.messaging, inject: options.inject ?? [] },
      {
        provide: INTEGRATION_EVENT_REGISTRY,
        useFactory: () => new IntegrationEventRegistry(options.relay ? options.relay.events : []),
      },
      KafkaBridgeService,
    ];
    if (options.relay) {
      const custom = options.relay.checkpoints;
      providers.push(
        custom
          ? { provide: RELAY_CHECKPOINT_STORE, useFactory: custom.useFactory, inject: custom.inject ?? [] }
          : { provide: RELAY_CHECKPOINT_STORE, useFactory: (ds: DataSource) => new SqlRelayCheckpointStore(ds), inject: [DataSource] },
      );
    }
    if (options.inbound) providers.push({ provide: INBOUND_WORK_ORDER_HANDLER, useClass: options.inbound.handler });
    if (options.metrics) {
      providers.push({ provide: BRIDGE_METRICS_REGISTRY, useFactory: options.metrics.useFactory, inject: options.metrics.inject ?? [] });
    }
    return {
      module: KafkaBridgeModule,
      imports: options.imports ?? [],
      providers,
      exports: [KafkaBridgeService, INTEGRATION_EVENT_REGISTRY],
    };
  }
}
