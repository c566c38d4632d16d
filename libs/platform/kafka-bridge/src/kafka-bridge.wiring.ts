import type { DynamicModule, InjectionToken, OptionalFactoryDependency } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { INTEGRATION_CATALOGUE, KafkaBridgeModule, kafkaBridgeSettingsFromEnv, type KafkaBridgeSettings } from '@gongzhi/integration';
import { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import { CommunityWorkOrderHandler } from './community-work-order.handler';

export interface KafkaBridgeWiringOptions {
  /** The app's Prometheus registry, for the relay and inbound metrics. */
  metrics?: { useFactory: (...deps: any[]) => Registry | undefined; inject?: Array<InjectionToken | OptionalFactoryDependency> };
}

/**
 * The bridge for a composition root: kafkajs clients, every context's integration events
 * outbound (INTEGRATION_CATALOGUE), hotline work orders inbound into the community context. The
 * app provides EVENT_STORE, the read store's DataSource, the CommandBus and the community
 * context's command handlers.
 */
export const kafkaBridgeModule = (settings: KafkaBridgeSettings, options: KafkaBridgeWiringOptions = {}): DynamicModule =>
  KafkaBridgeModule.forRoot({
    messaging: () => new KafkaMessaging({ brokers: settings.brokers, clientId: settings.clientId }),
    topics: settings.topics,
    relay: settings.relay ? { events: INTEGRATION_CATALOGUE, name: settings.relayName } : false,
    inbound: settings.inbound ? { handler: CommunityWorkOrderHandler, groupId: settings.inboundGroup } : false,
    metrics: options.metrics,
  });

/** `[kafkaBridgeModule(…)]` when KAFKA_BROKERS is set, else `[]`: the platform's optional bridge. */
export const kafkaBridgeModulesFromEnv = (env: Record<string, string | undefined> = process.env, options: KafkaBridgeWiringOptions = {}): DynamicModule[] => {
  const settings = kafkaBridgeSettingsFromEnv(env);
  return settings ? [kafkaBridgeModule(settings, options)] : [];
};
