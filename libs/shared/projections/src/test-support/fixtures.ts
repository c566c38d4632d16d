import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, EventToAppend, GlobalPosition } from '@gongzhi/event-store';
import { freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { sqliteReadStoreOptions } from '../sqlite';
import { CASE_BOARD_ENTITIES } from './case-board.projection';

export type ReadStoreKind = 'sqlite' | 'postgres';

/** A read store for one test: a fresh SQLite file, or a fresh PostgreSQL schema. */
export interface ReadStoreFactory {
  kind: ReadStoreKind;
  /** A new DataSource on the same database (another process would open its own). */
  open(options?: { readonly?: boolean }): Promise<DataSource>;
  /** A DataSource on a brand-new, empty database (for oracle rebuilds). */
  fresh(): Promise<DataSource>;
  cleanup(): Promise<void>;
  /** What a child process needs to open the same database. */
  describe(): { kind: ReadStoreKind; file?: string; url?: string; schema?: string };
}

export const sqliteReadStores = (): ReadStoreFactory => {
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-projections-'));
  const opened: DataSource[] = [];
  let n = 0;
  const file = join(dir, 'read.db');
  const openFile = async (path: string, readonly = false) => {
    const ds = new DataSource(sqliteReadStoreOptions(path, CASE_BOARD_ENTITIES, { readonly }));
    await ds.initialize();
    opened.push(ds);
    return ds;
  };
  return {
    kind: 'sqlite',
    open: (options) => openFile(file, options?.readonly),
    fresh: () => openFile(join(dir, `fresh-${n++}.db`)),
    cleanup: async () => {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
    describe: () => ({ kind: 'sqlite', file }),
  };
};

export const postgresReadStores = (prefix: string): ReadStoreFactory => {
  const url = postgresTestUrl();
  const schemas: string[] = [];
  const opened: DataSource[] = [];
  const schema = freshSchemaName(prefix);
  const createSchema = async (name: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${name}"`);
    } finally {
      await client.end();
    }
    schemas.push(name);
  };
  const openSchema = async (name: string) => {
    if (!schemas.includes(name)) await createSchema(name);
    const ds = new DataSource({ type: 'postgres', url, schema: name, entities: CASE_BOARD_ENTITIES, extra: { max: 4 } });
    await ds.initialize();
    opened.push(ds);
    return ds;
  };
  return {
    kind: 'postgres',
    open: () => openSchema(schema),
    fresh: () => openSchema(freshSchemaName(`${prefix}_oracle`)),
    cleanup: async () => {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      } finally {
        await client.end();
      }
    },
    describe: () => ({ kind: 'postgres', url, schema }),
  };
};

/** Opens the database a factory describes (used by child processes). */
export const openDescribed = async (d: ReturnType<ReadStoreFactory['describe']>): Promise<DataSource> => {
  const ds =
    d.kind === 'sqlite'
      ? new DataSource(sqliteReadStoreOptions(d.file as string, CASE_BOARD_ENTITIES))
      : new DataSource({ type: 'postgres', url: d.url, schema: d.schema, entities: CASE_BOARD_ENTITIES, extra: { max: 4 } });
  return ds.initialize();
};

const ORGS = ['cn.gz', 'cn.gz.gy', 'cn.js.wj.sl', 'cn.hn.rc'];

/**
 * Appends `cases` case streams of `eventsPerCase` events each (opened, noted…, closed), in
 * round-robin so the global log interleaves the streams. Ids and payloads depend only on the
 * arguments, so two stores fed the same calls hold the same events at the same positions.
 */
export const appendCases = async (
  store: EventStore,
  options: { cases: number; eventsPerCase: number; prefix?: string; poisonAt?: { caseIndex: number; eventIndex: number } },
): Promise<GlobalPosition> => {
  const prefix = options.prefix ?? 'c';
  let last: GlobalPosition = 0n;
  for (let i = 0; i < options.eventsPerCase; i++) {
    for (let c = 0; c < options.cases; c++) {
      const caseId = `${prefix}-${c}`;
      const poison = options.poisonAt?.caseIndex === c && options.poisonAt.eventIndex === i;
      const event = caseEvent(caseId, c, i, options.eventsPerCase, poison);
      const result = await store.appendToStream(`test.case-${caseId}`, [event], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      last = result.positions[result.positions.length - 1];
    }
  }
  return last;
};

export const caseEvent = (caseId: string, c: number, i: number, eventsPerCase: number, poison = false): EventToAppend => {
  const occurredAt = new Date(Date.UTC(2025, 0, 1) + (c * 1000 + i) * 60_000).toISOString();
  const base = { id: `${caseId}-e${i}`, metadata: { occurredAt, orgUnitPath: ORGS[c % ORGS.length] } };
  if (i === 0) {
    return { ...base, type: 'CaseOpened', data: { caseId, orgUnitPath: ORGS[c % ORGS.length], title: `案件 ${caseId}`, amount: c % 7 } };
  }
  if (i === eventsPerCase - 1 && i > 1) return { ...base, type: 'CaseClosed', data: { caseId, outcome: c % 2 === 0 ? 'mediated' : 'closed' } };
  return { ...base, type: 'CaseNoted', data: { caseId, amount: (c + i) % 5, ...(poison ? { poison: true } : {}) } };
};

/** Unrelated events the projection does not handle: the checkpoint must still pass over them. */
export const appendNoise = async (store: EventStore, count: number, prefix = 'n'): Promise<void> => {
  for (let i = 0; i < count; i++) {
    await store.appendToStream(`test.noise-${prefix}`, [{ id: `${prefix}-noise-${i}`, type: 'SomethingElse', data: { i } }]);
  }
};

export const waitUntil = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000, pollMs = 20): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
};
