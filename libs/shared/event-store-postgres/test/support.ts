import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../src/postgres-event-store';
import { TEST_HOOKS, type AppendTestHooks } from '../src/internal-test-hooks';

export { describeWithPostgres, postgresTestUrl };

/** One fresh schema per suite; every store the suite opens uses it, and afterAll drops it. */
export const testSchema = (prefix: string) => {
  const schema = freshSchemaName(prefix);
  const stores: PostgresEventStore[] = [];
  let admin: Pool | undefined;

  const open = async (options: Partial<PostgresEventStoreOptions> & { hooks?: AppendTestHooks } = {}): Promise<PostgresEventStore> => {
    const { hooks, ...rest } = options;
    const store = new PostgresEventStore({ connectionString: postgresTestUrl(), schema, pollIntervalMs: 20, ...rest });
    if (hooks) store[TEST_HOOKS] = hooks;
    await store.ensureSchema();
    stores.push(store);
    return store;
  };

  /** A plain pool for checking rows with SQL, as an operator would. */
  const sql = (): Pool => {
    if (!admin) {
      admin = new Pool({ connectionString: postgresTestUrl(), max: 4 });
      admin.on('error', () => undefined);
    }
    return admin;
  };

  const count = async (where = 'true', params: unknown[] = []): Promise<number> => {
    const { rows } = await sql().query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE ${where}`, params);
    return rows[0].n;
  };

  const dispose = async (): Promise<void> => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    const client = new Client({ connectionString: postgresTestUrl() });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
    await admin?.end();
    admin = undefined;
  };

  return { schema, open, sql, count, dispose };
};

/** A promise with its resolve function outside, to hold a transaction open until released. */
export const gate = () => {
  let release!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  return { opened, release };
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it is true, failing with `what` after `ms`. */
export const eventually = async (check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(5);
  }
};

/**
 * Waits until a backend of this schema's stores is blocked on a lock (`advisory`: a stream lock;
 * `transactionid`: another transaction's uncommitted row), so a test can release the holder only
 * once the race it wants is really set up.
 */
export const waitForLockWaiter = async (pool: Pool, schema: string, waitEvent: 'advisory' | 'transactionid' | 'any' = 'any'): Promise<void> => {
  await eventually(async () => {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND ($2 = 'any' OR wait_event = $2)
          AND position($1 in query) > 0`,
      [`"${schema}"`, waitEvent],
    );
    return rows[0].n > 0;
  }, `a backend of ${schema} waiting on a ${waitEvent} lock`);
};

export const newEvent = (data: unknown = { n: Math.random() }, type = 'Tested') => ({
  id: randomUUID(),
  type,
  data: data as never,
  metadata: { commandId: randomUUID() },
});
export const newEvents = (n: number) => Array.from({ length: n }, (_, i) => newEvent({ i }));
