// The kafkajs adapter of the messaging port (@gongzhi/messaging): only composition roots (apps)
// and integration specs import it, so kafkajs can be swapped without touching the rest.
export { KafkaMessaging, type KafkaMessagingOptions, type MessagingLogEntry, type MessagingLogLevel } from './kafka-messaging';
export { KafkaPublisher, type KafkaPublishOptions } from './kafka-publisher';
export { KafkaMessageConsumer, type KafkaConsumeOptions } from './kafka-consumer';
export { KafkaMessagingAdmin } from './kafka-admin';
export { toMessagingError } from './error-mapping';
