import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { ensurePrivacySchema, PRIVACY_ENTITIES, type EntityClass } from '../schema';

export interface TestStore {
  ds: DataSource;
  kind: 'sqlite' | 'postgres';
  /** Files of a SQLite store (database and WAL), for byte-level scans. */
  files: string[];
  cleanup(): Promise<void>;
}

export const sqliteStore = async (entities: EntityClass[] = []): Promise<TestStore> => {
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-privacy-'));
  const file = join(dir, 'read.sqlite');
  const ds = new DataSource({ type: 'better-sqlite3', database: file, entities: [...PRIVACY_ENTITIES, ...entities], enableWAL: true });
  await ds.initialize();
  await ensurePrivacySchema(ds);
  // Also proves that TypeORM's own synchronize agrees with the tables ensurePrivacySchema made.
  if (entities.length > 0) await ds.synchronize();
  return {
    ds,
    kind: 'sqlite',
    files: [file, `${file}-wal`],
    cleanup: async () => {
      await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export const postgresStore = async (entities: EntityClass[] = []): Promise<TestStore> => {
  const schema = freshSchemaName('privacy');
  const ds = new DataSource({ type: 'postgres', url: postgresTestUrl(), schema, entities: [...PRIVACY_ENTITIES, ...entities], poolSize: 4 });
  await ds.initialize();
  await ensurePrivacySchema(ds);
  // Also proves that TypeORM's own synchronize agrees with the tables ensurePrivacySchema made.
  if (entities.length > 0) await ds.synchronize();
  return {
    ds,
    kind: 'postgres',
    files: [],
    cleanup: async () => {
      await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await ds.destroy();
    },
  };
};
