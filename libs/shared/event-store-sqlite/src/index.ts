export {
  DEFAULT_SQLITE_EVENT_STORE_FILE,
  SqliteEventStore,
  createSqliteEventStore,
  openSqliteEventStoreReadOnly,
  type SqliteEventStoreOptions,
} from './sqlite-event-store';
export { SCHEMA_VERSION as SQLITE_EVENT_STORE_SCHEMA_VERSION } from './schema';
