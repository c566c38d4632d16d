export {
  EsdbEventStore,
  createEsdbEventStore,
  type CreateEsdbEventStoreOptions,
  type EsdbClient,
  type EsdbEventStoreOptions,
} from './esdb-event-store';
export { HASH_KEY, PREV_HASH_KEY, RESERVED_METADATA_PREFIX, STREAM_METADATA_KEY, translateEsdbError } from './esdb-mapping';
