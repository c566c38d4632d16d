import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { sqliteReadStoreOptions, type EntityClass } from '@gongzhi/projections';
import type { PlatformConfig } from '../config';
import { ensurePrivateDir, ensurePrivateFile } from './data-dir';

/**
 * The read store's DataSource. Tables are created by the projection runners (they own their
 * tables and rebuild them), so TypeORM's synchronize stays off.
 */
export const readStoreOptions = (config: PlatformConfig, entities: EntityClass[]): DataSourceOptions => {
  const rs = config.readStore;
  if (rs.kind === 'sqlite') {
    ensurePrivateDir(dirname(rs.file));
    ensurePrivateFile(rs.file);
    return sqliteReadStoreOptions(rs.file, entities);
  }
  return { type: 'postgres', url: rs.url, entities, synchronize: false, poolSize: 10 } as DataSourceOptions;
};

export const openReadStore = async (config: PlatformConfig, entities: EntityClass[]): Promise<DataSource> => {
  const ds = new DataSource(readStoreOptions(config, entities));
  await ds.initialize();
  return ds;
};
