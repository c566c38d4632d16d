import type { DataSourceOptions } from 'typeorm';
import type { EntityClass } from './projection';

/**
 * DataSource options for an embedded SQLite read store: better-sqlite3 with WAL (readers on
 * other connections see committed data only and never block the writer) and
 * synchronous=NORMAL (durable at checkpoints, a crash loses at most the last commits, which
 * the projections replay, since checkpoint and rows commit together).
 */
export const sqliteReadStoreOptions = (
  database: string,
  entities: EntityClass[],
  extra: { readonly?: boolean; busyTimeoutMs?: number } = {},
): DataSourceOptions => ({
  type: 'better-sqlite3',
  database,
  entities,
  readonly: extra.readonly,
  timeout: extra.busyTimeoutMs ?? 5000,
  enableWAL: !extra.readonly,
  prepareDatabase: (db: { pragma(sql: string): unknown }) => {
    db.pragma('synchronous = NORMAL');
  },
});
