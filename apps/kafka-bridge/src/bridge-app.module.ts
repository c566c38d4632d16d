import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { COMMUNITY_READ_MODEL_ENTITIES, CommunityModule } from '@gongzhi/community';
import { DEADLINE_ENTITIES, DEADLINES_OPTIONS } from '@gongzhi/deadlines';
import { EventSourcingModule } from '@gongzhi/eventsourcing';
import { ORG_READ_MODEL_ENTITIES, OrgModule } from '@gongzhi/org';
import { PrivacyModule } from '@gongzhi/privacy';
import type { BridgeConfig } from './config';
import { BRIDGE_METRICS, BridgeHealthController } from './health.controller';
import { kafkaBridgeModule } from '@gongzhi/kafka-bridge-wiring';
import { createEventStore, openReadStore } from './stores';

@Global()
@Module({})
class BridgeInfrastructureModule {
  static forRoot(config: BridgeConfig, metrics: Registry): DynamicModule {
    return {
      module: BridgeInfrastructureModule,
      providers: [
        { provide: BRIDGE_METRICS, useValue: metrics },
        { provide: DataSource, useFactory: () => openReadStore(config, [...ORG_READ_MODEL_ENTITIES, ...COMMUNITY_READ_MODEL_ENTITIES, ...DEADLINE_ENTITIES]) },
        // The platform runs the deadline ticker; a second one here would only race it.
        { provide: DEADLINES_OPTIONS, useValue: { autostart: false } },
      ],
      exports: [DataSource, DEADLINES_OPTIONS, BRIDGE_METRICS],
    };
  }
}

/**
 * The kafka-bridge process (distributed deployment): the outbound relay and the inbound
 * work-order consumer beside the platform or the context services, on the same stores. It runs
 * the community context's command handlers for inbound orders (with the privacy layer, so a
 * caller's contact is encrypted before it is stored) but no projections and no deadline ticker:
 * those run once, elsewhere.
 */
@Module({})
export class BridgeAppModule {
  static forRoot(config: BridgeConfig): DynamicModule {
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'gongzhi_bridge_' });
    return {
      module: BridgeAppModule,
      imports: [
        BridgeInfrastructureModule.forRoot(config, metrics),
        CqrsModule.forRoot(),
        EventSourcingModule.forRoot({ store: () => createEventStore(config) }),
        PrivacyModule.forRoot({ dataDir: config.dataDir, production: config.production, readStore: config.readStore, recordCommands: false }),
        OrgModule.forRoot(),
        CommunityModule.forRoot(),
        kafkaBridgeModule(config.kafka, { metrics: { useFactory: (registry: Registry) => registry, inject: [BRIDGE_METRICS] } }),
      ],
      controllers: [BridgeHealthController],
    };
  }
}
