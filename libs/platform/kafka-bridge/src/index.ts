// The Kafka bridge's composition, shared by apps/kafka-bridge (a process of its own) and
// apps/platform (when KAFKA_BROKERS is set): kafkajs clients, the integration catalogue, and the
// inbound port bound to the community context's hotline work-order command.
export { CommunityWorkOrderHandler, KAFKA_BRIDGE_ACTOR } from './community-work-order.handler';
export { kafkaBridgeModule, kafkaBridgeModulesFromEnv } from './kafka-bridge.wiring';
