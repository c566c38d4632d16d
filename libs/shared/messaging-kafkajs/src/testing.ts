// Support for tests against a real broker: unique topic and group names, bounded waits, a client
// whose logs are kept, and tools/kafka/kafka.sh for suites that run (and bounce) their own broker.
export { kafkaSh, sleep, testMessaging, uniqueName, waitUntil } from './int-test-support';
