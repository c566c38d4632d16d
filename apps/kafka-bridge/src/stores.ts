import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { EventStore } from '@gongzhi/event-store';
import { createEsdbEventStore } from '@gongzhi/event-store-esdb';
import { createPostgresEventStore } from '@gongzhi/event-store-postgres';
import { createSqliteEventStore } from '@gongzhi/event-store-sqlite';
import { sqliteReadStoreOptions, type EntityClass } from '@gongzhi/projections';
import type { BridgeConfig } from './config';

/** The event store the platform writes: the bridge reads the log and appends inbound commands. */
export const createEventStore = async (config: BridgeConfig): Promise<EventStore> => {
  const es = config.eventStore;
  switch (es.kind) {
    case 'sqlite':
      mkdirSync(dirname(es.file), { recursive: true });
      return createSqliteEventStore({ filename: es.file });
    case 'postgres':
      return createPostgresEventStore({ connectionString: es.url });
    case 'esdb':
      return createEsdbEventStore({ connectionString: es.url });
  }
};

/**
 * The read store the platform's projections maintain: the bridge reads the org and community
 * tables (to resolve a work order's unit) and keeps its relay checkpoint there.
 */
export const openReadStore = async (config: BridgeConfig, entities: EntityClass[]): Promise<DataSource> => {
  const rs = config.readStore;
  let options: DataSourceOptions;
  if (rs.kind === 'sqlite') {
    mkdirSync(dirname(rs.file), { recursive: true });
    options = sqliteReadStoreOptions(rs.file, entities);
  } else {
    options = { type: 'postgres', url: rs.url, entities, synchronize: false, poolSize: 5 } as DataSourceOptions;
  }
  const ds = new DataSource(options);
  await ds.initialize();
  return ds;
};
