/**
 * TypeORM's better-sqlite3 driver runs everything on one connection, so overlapping
 * `transaction()` calls would nest into one SQLite transaction. Every writer of a DataSource
 * must therefore share one queue: the projection engine's, which the vault, the audit log and
 * the erasure use too (for the read store when erasure clears projection columns, and for the
 * privacy store). On PostgreSQL nothing is queued.
 */
export { withWriteLock } from '@gongzhi/projections';
