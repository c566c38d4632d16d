// Test support for the messaging port: an in-memory fake for unit tests and the Jepsen-style
// history checker for tests against a real broker.
export { InMemoryMessageBus, type InMemoryMessageBusOptions } from './testing/in-memory-bus';
export {
  checkLog,
  type AckedRecord,
  type ConsumedRecord,
  type CheckLogOptions,
  type LogCheckResult,
} from './testing/log-checker';
