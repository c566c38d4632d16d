import type { DataSource, EntityManager } from 'typeorm';

export type ReadStoreKind = 'sqlite' | 'postgres';

export const readStoreKind = (ds: DataSource): ReadStoreKind => {
  switch (ds.options.type) {
    case 'better-sqlite3':
    case 'sqlite':
      return 'sqlite';
    case 'postgres':
      return 'postgres';
    default:
      throw new Error(`Projections support PostgreSQL and SQLite read stores, not ${ds.options.type}`);
  }
};

/** Database clock in epoch milliseconds, as an SQL expression (leases use the store's clock). */
export const nowMsSql = (kind: ReadStoreKind): string =>
  kind === 'postgres'
    ? 'CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)'
    : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

export const nowTimestampSql = (kind: ReadStoreKind): string =>
  kind === 'postgres' ? 'clock_timestamp()' : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** Schema-qualified, escaped path of a table in the DataSource's default schema. */
export const tablePath = (ds: DataSource, table: string): string => {
  const schema = readStoreKind(ds) === 'postgres' ? (ds.options as { schema?: string }).schema : undefined;
  return schema ? `${ds.driver.escape(schema)}.${ds.driver.escape(table)}` : ds.driver.escape(table);
};

/** Runs SQL with `:named` parameters through the driver's own placeholder style; returns the rows. */
export const runSql = async <T = Record<string, unknown>>(
  ds: DataSource,
  em: EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> => {
  const [text, values] = ds.driver.escapeQueryWithParameters(sql, params, {});
  return resultRows<T>(await em.query(text, values));
};

/** TypeORM's PostgreSQL driver answers an UPDATE/DELETE … RETURNING with [rows, rowCount]. */
export const resultRows = <T>(raw: unknown): T[] => {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return Array.isArray(raw) ? (raw as T[]) : [];
};

/**
 * TypeORM's better-sqlite3 driver has a single connection and a single query runner: two
 * `transaction()` calls that overlap in time would nest (the second becomes a savepoint of the
 * first, and a rollback of the first silently undoes the second). Every write the projection
 * engine makes to a SQLite read store therefore goes through this per-DataSource queue. A
 * second connection is no way out either: better-sqlite3 waits for a busy lock synchronously,
 * which would block the very event loop that has to finish the other transaction.
 * On PostgreSQL each transaction has its own pooled connection and nothing is queued.
 */
const queues = new WeakMap<DataSource, Promise<void>>();

export const withWriteLock = async <T>(ds: DataSource, work: () => Promise<T>): Promise<T> => {
  if (readStoreKind(ds) !== 'sqlite') return work();
  const previous = queues.get(ds) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  queues.set(ds, previous.then(() => mine));
  await previous;
  try {
    return await work();
  } finally {
    release();
  }
};

/** A read-store transaction, queued on SQLite (see `withWriteLock`). */
export const runInTransaction = <T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> =>
  withWriteLock(ds, () => ds.transaction(work));

/** Errors worth retrying without counting them against the batch: the database, not the event. */
export const isTransientDatabaseError = (error: unknown): boolean => {
  const codes: unknown[] = [];
  const messages: string[] = [];
  let e: any = error;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause ?? e.driverError) {
    codes.push(e.code);
    messages.push(String(e.message ?? ''));
  }
  if (messages.some((m) => /Connection terminated|connection timeout|Client has encountered a connection error/i.test(m))) {
    return true;
  }
  return codes.some(
    (c) =>
      typeof c === 'string' &&
      (c.startsWith('08') || // connection exception
        c === '57P01' || c === '57P02' || c === '57P03' || // admin shutdown, crash shutdown, cannot connect now
        c === '40001' || c === '40P01' || // serialization failure, deadlock
        c === '53300' || // too many connections
        c === 'ECONNREFUSED' || c === 'ECONNRESET' || c === 'ETIMEDOUT' || c === 'EPIPE' ||
        c === 'SQLITE_BUSY' || c === 'SQLITE_LOCKED'),
  );
};
