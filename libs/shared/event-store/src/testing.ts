export { InMemoryEventStore, type InMemoryEventStoreOptions } from './memory-store';
export {
  runEventStoreContract,
  type EventStoreContractFixture,
  type EventStoreContractOptions,
  type EventStoreContractSetup,
} from './contract';
