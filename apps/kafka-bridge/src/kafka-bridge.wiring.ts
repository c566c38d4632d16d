import type { DynamicModule, InjectionToken, OptionalFactoryDependency } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { INTEGRATION_CATALOGUE, KafkaBridgeModule, type KafkaBridgeSettings } from '@gongzhi/integration';
import { KafkaMessaging } from '@gongzhi/messaging-kafkajs';
import { CommunityWorkOrderHandler } from './community-work-order.handler';

/**
 * The bridge for a composition root: kafkajs clients, every context's integration events
 * outbound, hotline work orders inbound into the community context.
 */
export const kafkaBridgeModule = (
  settings: KafkaBridgeSettings,
  options: { metrics?: { useFactory: (...deps: any[]) => Registry | undefined; inject?: Array<InjectionToken | OptionalFactoryDependency> } } = {},
): DynamicModule =>
  KafkaBridgeModule.forRoot({
    messaging: () => new KafkaMessaging({ brokers: settings.brokers, clientId: settings.clientId }),
    topics: settings.topics,
    relay: settings.relay ? { events: INTEGRATION_CATALOGUE, name: settings.relayName } : false,
    inbound: settings.inbound ? { handler: CommunityWorkOrderHandler, groupId: settings.inboundGroup } : false,
    metrics: options.metrics,
  });
