import { dirname } from 'node:path';
import type { EventStore } from '@gongzhi/event-store';
import { createSqliteEventStore } from '@gongzhi/event-store-sqlite';
import { createPostgresEventStore } from '@gongzhi/event-store-postgres';
import { createEsdbEventStore } from '@gongzhi/event-store-esdb';
import type { PlatformConfig } from '../config';
import { ensurePrivateDir, ensurePrivateFile } from './data-dir';

/** The adapter the configuration names; the composition root is the only place that knows them. */
export const createEventStore = async (config: PlatformConfig, options: { readonly?: boolean } = {}): Promise<EventStore> => {
  const es = config.eventStore;
  switch (es.kind) {
    case 'sqlite':
      ensurePrivateDir(dirname(es.file));
      if (!options.readonly) ensurePrivateFile(es.file);
      return createSqliteEventStore({ filename: es.file, readonly: options.readonly });
    case 'postgres':
      return createPostgresEventStore({ connectionString: es.url });
    case 'esdb':
      return createEsdbEventStore({ connectionString: es.url });
  }
};
