import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Batch-sized reads and writes for `apply`: one statement per chunk instead of one per event.
 * Chunks stay under the drivers' bound-parameter limits (SQLite 32766, PostgreSQL 65535).
 */
const maxParameters = (em: EntityManager): number => (em.connection.options.type === 'postgres' ? 65_000 : 32_000);

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Loads the rows whose `key` column is one of `keys` (any order). */
export const findByKeys = async <E extends ObjectLiteral, K extends keyof E & string>(
  em: EntityManager,
  target: EntityTarget<E>,
  key: K,
  keys: readonly E[K][],
): Promise<E[]> => {
  const unique = [...new Set(keys)];
  const out: E[] = [];
  for (const part of chunk(unique, Math.min(maxParameters(em), 10_000))) {
    out.push(...(await em.getRepository(target).findBy({ [key]: In(part) } as never)));
  }
  return out;
};

/**
 * INSERT … ON CONFLICT (conflictColumns) DO UPDATE for many rows at once. Every row must carry
 * every column: a column missing from a row would be written as its default.
 */
export const upsertRows = async <E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  rows: readonly QueryDeepPartialEntity<E>[],
  conflictColumns: (keyof E & string)[],
): Promise<void> => {
  if (rows.length === 0) return;
  const metadata = em.connection.getMetadata(target);
  const conflict = conflictColumns.map((p) => metadata.findColumnWithPropertyPath(p)?.databaseName ?? p);
  const update = metadata.columns.map((c) => c.databaseName).filter((c) => !conflict.includes(c));
  const size = Math.max(1, Math.floor(maxParameters(em) / Math.max(1, metadata.columns.length)));
  for (const part of chunk(rows, Math.min(size, 2_000))) {
    const qb = em.createQueryBuilder().insert().into(target).values(part as QueryDeepPartialEntity<E>[]).updateEntity(false);
    if (update.length > 0) qb.orUpdate(update, conflict);
    else qb.orIgnore();
    await qb.execute();
  }
};

/** Deletes the rows whose `key` column is one of `keys`. */
export const deleteByKeys = async <E extends ObjectLiteral, K extends keyof E & string>(
  em: EntityManager,
  target: EntityTarget<E>,
  key: K,
  keys: readonly E[K][],
): Promise<void> => {
  for (const part of chunk([...new Set(keys)], 10_000)) {
    if (part.length > 0) await em.getRepository(target).delete({ [key]: In(part) } as never);
  }
};
