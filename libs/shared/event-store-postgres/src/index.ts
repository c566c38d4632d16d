export {
  PostgresEventStore,
  createPostgresEventStore,
  type LagReport,
  type PostgresEventStoreOptions,
} from './postgres-event-store';
export { INDEX_BITS, MAX_EVENTS_PER_TRANSACTION } from './position';
