import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { EventSourcingModule } from '@gongzhi/eventsourcing';
import { OrgModule } from '@gongzhi/org';
import { UnionModule } from '@gongzhi/union';
import { YouthLeagueModule } from '@gongzhi/youth-league';
import { MobilizationModule } from '@gongzhi/mobilization';
import { CommunityModule } from '@gongzhi/community';
import { DEADLINES_OPTIONS } from '@gongzhi/deadlines';
import { PrivacyModule } from '@gongzhi/privacy';
import type { Projection } from '@gongzhi/projections';
import type { PlatformConfig } from './config';
import { MetricsService } from './observability/metrics.service';
import { instrumentEventStore } from './observability/instrumented-event-store';
import { PrometheusCommandObserver } from './observability/prometheus-command-observer';
import { loggerParams } from './observability/logging';
import { createEventStore } from './stores/event-store.factory';
import { openReadStore } from './stores/read-store';
import { prepareDataDir } from './stores/data-dir';
import { PROJECTION_TOKENS, PROJECTIONS, READ_MODEL_ENTITIES } from './projections/projection-registry';
import { PROJECTIONS_AUTOSTART, PROJECTIONS_READ_STORE, ProjectionsHost } from './projections/projections.host';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

@Injectable()
class ReadStoreShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PROJECTIONS_READ_STORE) private readonly projections: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    for (const ds of new Set([this.projections, this.dataSource])) if (ds.isInitialized) await ds.destroy();
  }
}

@Global()
@Module({})
class InfrastructureModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        MetricsService,
        { provide: DataSource, useFactory: () => openReadStore(config, READ_MODEL_ENTITIES) },
        // PostgreSQL: a pool without the request path's statement timeout. SQLite: the same
        // DataSource (one connection per file keeps its writers queued in one place).
        config.readStore.kind === 'postgres'
          ? { provide: PROJECTIONS_READ_STORE, useFactory: () => openReadStore(config, READ_MODEL_ENTITIES, { role: 'projections' }) }
          : { provide: PROJECTIONS_READ_STORE, useExisting: DataSource },
        ReadStoreShutdown,
      ],
      exports: [PLATFORM_CONFIG, MetricsService, DataSource, PROJECTIONS_READ_STORE],
    };
  }
}

@Module({})
class ProjectionsModule {
  static forRoot(autostart: boolean, contexts: DynamicModule[]): DynamicModule {
    return {
      module: ProjectionsModule,
      imports: contexts,
      providers: [
        {
          provide: PROJECTIONS,
          inject: [...PROJECTION_TOKENS],
          useFactory: (...projections: Projection[]) => projections,
        },
        { provide: PROJECTIONS_AUTOSTART, useValue: autostart },
        ProjectionsHost,
      ],
      exports: [ProjectionsHost],
    };
  }
}

export interface PlatformCoreOptions {
  /** Run the projections in this process (the platform); the CLI only lists and rebuilds. */
  runProjections: boolean;
  /** Where pino writes (default stdout); tests pass a sink. */
  logDestination?: NodeJS.WritableStream;
  logLevel?: string;
}

/**
 * Everything but the HTTP edge: stores, the command path, the contexts, the projections. The
 * platform app and the CLI both build on it, so they always talk to the same stores.
 */
@Module({})
export class PlatformCoreModule {
  static forRoot(config: PlatformConfig, options: PlatformCoreOptions): DynamicModule {
    prepareDataDir(config);
    // Every context module; a new context adds its module here and its projections to projection-registry.ts.
    const contexts: DynamicModule[] = [OrgModule.forRoot(), UnionModule.forRoot(), YouthLeagueModule.forRoot(), MobilizationModule.forRoot(), CommunityModule.forRoot()];
    const projections = ProjectionsModule.forRoot(options.runProjections, contexts);
    return {
      module: PlatformCoreModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(options.logLevel ?? config.logLevel, options.logDestination)),
        InfrastructureModule.forRoot(config),
        CqrsModule.forRoot(),
        EventSourcingModule.forRoot({
          inject: [MetricsService],
          store: async (metrics: MetricsService) => instrumentEventStore(await createEventStore(config), metrics),
          observer: PrometheusCommandObserver,
        }),
        // Encrypts personal fields in events (EVENT_TRANSFORMER), keys and audit log beside the read store.
        PrivacyModule.forRoot({
          dataDir: config.dataDir,
          production: config.production,
          env: config.privacyKeyEnv,
          readStore: config.readStore,
          recordCommands: options.runProjections,
          metrics: { inject: [MetricsService], registry: (metrics: MetricsService) => metrics.registry },
        }),
        ...contexts,
        projections,
      ],
      // The deadline scheduler ticks only where the projections run (not in the CLI).
      providers: [{ provide: DEADLINES_OPTIONS, useValue: { autostart: options.runProjections } }],
      exports: [...contexts, projections, DEADLINES_OPTIONS],
    };
  }
}

