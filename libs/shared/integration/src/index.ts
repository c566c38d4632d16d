// Kafka integration (DESIGN.md "Kafka integration"): the outbound relay of integration events,
// the inbound work-order consumer, their topics and the Nest module running both. Built on the
// messaging port (@gongzhi/messaging); the app chooses the adapter.
export * from './topics';
export * from './outbound/registry';
export * from './outbound/personal-data-guard';
export * from './outbound/integration-message';
export * from './outbound/checkpoint-store';
export * from './outbound/outbound-relay';
export * from './inbound/work-order-message';
export * from './inbound/inbound-consumer';
export * from './catalogue';
export * from './nest/kafka-bridge.module';
export * from './nest/bridge-settings';
