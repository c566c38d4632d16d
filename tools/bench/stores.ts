import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, EventToAppend } from '@gongzhi/event-store';
import { createSqliteEventStore } from '@gongzhi/event-store-sqlite';
import { createPostgresEventStore } from '@gongzhi/event-store-postgres';
import { Client } from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { hoursCredited, metadataFor } from './workload';

export type StoreKind = 'sqlite' | 'pg';

/** An event store on a fresh, empty database, and how to get rid of it. */
export interface OpenedStore {
  store: EventStore;
  /** The SQLite file, for another process to open. */
  file?: string;
  close(): Promise<void>;
}

let counter = 0;
/** Unique per process and call, so parallel bench runs and test suites never share a schema. */
export const benchName = (prefix: string): string => `${prefix}_${process.pid}_${++counter}`;

/**
 * A SQLite file in a fresh temporary directory (WAL, synchronous=FULL: the store's own settings).
 * `inMemoryFs`: on tmpfs when the machine has one, where fsync costs nothing — only for logs that
 * the read-side scenarios fill before they measure (their reads come from the page cache either
 * way), so setup does not spend minutes on 100,000 fsyncs.
 */
export const freshSqliteStore = (options: { inMemoryFs?: boolean } = {}): OpenedStore => {
  const base = options.inMemoryFs && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'gz-bench-store-'));
  const file = join(dir, 'events.sqlite');
  const store = createSqliteEventStore({ filename: file });
  return {
    store,
    file,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export const withPgClient = async <T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> => {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
};

export const dropSchema = (url: string, schema: string): Promise<void> =>
  withPgClient(url, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }).catch(() => undefined);

/** The PostgreSQL store in a fresh schema, with its defaults (pool of 10, group commit on). */
export const freshPgStore = async (url: string): Promise<OpenedStore> => {
  const schema = benchName('bench_gz');
  const store = await createPostgresEventStore({ connectionString: url, schema });
  return {
    store,
    close: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
};

export const freshStore = (kind: StoreKind, pgUrl: string | undefined, options: { inMemoryFs?: boolean } = {}): Promise<OpenedStore> =>
  kind === 'sqlite' ? Promise.resolve(freshSqliteStore(options)) : freshPgStore(pgUrl as string);

const FILL_NAMESPACE = '6f1d8a52-3c1e-4b8e-9d0a-2b7c4e5f6a10';

/** A workload event as the command path would append it (same payload, same metadata shape). */
export const workloadEvent = (i: number, run: string): EventToAppend => {
  const id = uuidv5(`${run}/${i}`, FILL_NAMESPACE);
  return { id, type: 'VolunteerHoursCredited', data: hoursCredited(i), metadata: { ...metadataFor(id), eventId: id } };
};

export const streamName = (s: number): string => `volunteer-bench-${s}`;

/**
 * Writes `total` workload events, `perCall` events per appendToStream, call c to stream
 * c % streams, `concurrency` calls at a time. With perCall 1 the log interleaves the streams as
 * single-event commands would, so a projection batch touches as many rows as it would live.
 */
export const fillStore = async (store: EventStore, total: number, streams: number, perCall: number, concurrency: number): Promise<void> => {
  const run = benchName('fill');
  const calls = Math.ceil(total / perCall);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const c = next++;
        if (c >= calls) return;
        const events: EventToAppend[] = [];
        for (let i = c * perCall; i < Math.min(total, (c + 1) * perCall); i++) events.push(workloadEvent(i, run));
        // Stream per call: no two concurrent calls touch one stream, so 'any' never races.
        await store.appendToStream(streamName(c % streams), events, { expectedRevision: 'any' });
      }
    }),
  );
};
