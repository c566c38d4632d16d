import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
  type Provider,
  type Type,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { AggregateReader } from './aggregate-reader';
import { CLOCK, systemClock, type Clock } from './clock';
import { COMMAND_PROCESSOR_OPTIONS, CommandProcessor, type CommandProcessorOptions } from './command-processor';
import { EVENT_TRANSFORMER, type EventTransformer } from './event-transformer';
import { COMMAND_OBSERVER, noopObserver, type CommandObserver } from './metrics';
import { UpcasterRegistry, type Upcaster } from './upcasting';

export interface EventSourcingModuleOptions {
  /** An EventStore instance (owned by the caller), or a factory whose store this module closes on shutdown. */
  store: EventStore | ((...deps: any[]) => EventStore | Promise<EventStore>);
  /** Providers the store factory needs (e.g. ConfigService). */
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Modules exporting those providers. */
  imports?: ModuleMetadata['imports'];
  /** Upcasters known at start; contexts can also register on the injected UpcasterRegistry. */
  upcasters?: Upcaster[];
  /** Defaults to the system clock; tests pass a FakeClock. */
  clock?: Clock;
  /** A metrics observer instance, or a class Nest instantiates (so it can inject a registry). */
  observer?: CommandObserver | Type<CommandObserver>;
  maxRetries?: number;
  /** Close the store on application shutdown. Default: only when the store came from a factory. */
  closeStoreOnShutdown?: boolean;
}

const CLOSE_STORE_ON_SHUTDOWN = Symbol('CLOSE_STORE_ON_SHUTDOWN');

@Injectable()
class EventStoreShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOSE_STORE_ON_SHUTDOWN) private readonly close: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.close) await this.store.close();
  }
}

/**
 * The write side's wiring, global so every context module injects CommandProcessor without
 * importing it: EVENT_STORE (the adapter the composition root chose), UpcasterRegistry, CLOCK,
 * COMMAND_OBSERVER, CommandProcessor and AggregateReader.
 */
@Global()
@Module({})
export class EventSourcingModule {
  static forRoot(options: EventSourcingModuleOptions): DynamicModule {
    const fromFactory = typeof options.store === 'function';
    const storeProvider: Provider = fromFactory
      ? { provide: EVENT_STORE, useFactory: options.store as (...deps: any[]) => EventStore, inject: options.inject ?? [] }
      : { provide: EVENT_STORE, useValue: options.store };
    const observer = options.observer;
    const observerProvider: Provider =
      typeof observer === 'function'
        ? { provide: COMMAND_OBSERVER, useClass: observer }
        : { provide: COMMAND_OBSERVER, useValue: observer ?? noopObserver };
    const providers: Provider[] = [
      storeProvider,
      observerProvider,
      { provide: UpcasterRegistry, useFactory: () => new UpcasterRegistry(options.upcasters ?? []) },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      {
        provide: COMMAND_PROCESSOR_OPTIONS,
        useFactory: (upcasters: UpcasterRegistry, clock: Clock, obs: CommandObserver, transformer?: EventTransformer): CommandProcessorOptions => ({
          upcasters,
          clock,
          observer: obs,
          maxRetries: options.maxRetries,
          transformer,
        }),
        // Bound by a privacy module when personal data is encrypted; absent otherwise.
        inject: [UpcasterRegistry, CLOCK, COMMAND_OBSERVER, { token: EVENT_TRANSFORMER, optional: true }],
      },
      CommandProcessor,
      AggregateReader,
      { provide: CLOSE_STORE_ON_SHUTDOWN, useValue: options.closeStoreOnShutdown ?? fromFactory },
      EventStoreShutdown,
    ];
    return {
      module: EventSourcingModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [EVENT_STORE, UpcasterRegistry, CLOCK, COMMAND_OBSERVER, CommandProcessor, AggregateReader],
    };
  }
}
