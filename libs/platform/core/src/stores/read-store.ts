import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { sqliteReadStoreOptions, type EntityClass } from '@gongzhi/projections';
import type { PlatformConfig } from '../config';
import { ensurePrivateDir, ensurePrivateFile } from './data-dir';

export interface ReadStoreUse {
  /** Who the connections serve; PostgreSQL shows it in pg_stat_activity. */
  role: 'requests' | 'projections';
}

/**
 * The read store's DataSource. Tables are created by the projection runners (they own their
 * tables and rebuild them), so TypeORM's synchronize stays off.
 *
 * On PostgreSQL, request-path connections carry `statement_timeout` (RELIABILITY.md §3): a query
 * stuck on a lock or a bad plan fails after that long instead of holding its connection and
 * the HTTP request. The projections get a pool of their own without it: a statement of theirs
 * waiting behind a lock must wait, not fail and count as a poison event.
 */
export const readStoreOptions = (config: PlatformConfig, entities: EntityClass[], use: ReadStoreUse = { role: 'requests' }): DataSourceOptions => {
  const rs = config.readStore;
  if (rs.kind === 'sqlite') {
    ensurePrivateDir(dirname(rs.file));
    ensurePrivateFile(rs.file);
    return sqliteReadStoreOptions(rs.file, entities);
  }
  const statementTimeout = use.role === 'requests' ? config.readStoreStatementTimeoutMs : 0;
  return {
    type: 'postgres',
    url: rs.url,
    entities,
    synchronize: false,
    poolSize: use.role === 'requests' ? 10 : 4,
    applicationName: `gongzhi-${use.role}`,
    extra: statementTimeout > 0 ? { statement_timeout: statementTimeout } : {},
  } as DataSourceOptions;
};

export const openReadStore = async (config: PlatformConfig, entities: EntityClass[], use?: ReadStoreUse): Promise<DataSource> => {
  const ds = new DataSource(readStoreOptions(config, entities, use));
  await ds.initialize();
  return ds;
};
