import type { DataSource } from 'typeorm';

/**
 * TypeORM's better-sqlite3 driver runs everything on one connection, so two overlapping
 * `transaction()` calls would nest into one SQLite transaction. The vault and the audit log
 * therefore queue their writes per DataSource. (PostgreSQL does not need it, but a queue costs
 * nothing there and keeps the audit chain's order the order of the calls.)
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export const withWriteLock = <T>(ds: DataSource, work: () => Promise<T>): Promise<T> => {
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous.then(work, work);
  queues.set(
    ds,
    run.then(
      () => undefined,
      () => undefined,
    ),
  );
  return run;
};
