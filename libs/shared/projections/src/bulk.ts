import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/**
 * Batch-sized reads and writes for `apply`: one statement per chunk of rows instead of one per
 * event. They write SQL from the entity metadata directly: TypeORM's query builder spends time
 * quadratic in the number of parameters of a statement, which dominated a 1,000-row upsert.
 * Chunks stay under the drivers' bound-parameter limits (SQLite 32,766, PostgreSQL 65,535).
 * Values go through the driver's own conversions (dates, JSON, booleans…), like TypeORM's.
 */
const MAX_ROWS_PER_STATEMENT = 1000;

const maxParameters = (em: EntityManager): number => (em.connection.options.type === 'postgres' ? 60_000 : 30_000);

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const quote = (em: EntityManager, name: string) => em.connection.driver.escape(name);

const tableOf = (em: EntityManager, md: EntityMetadata): string => {
  const schema = md.schema ?? (em.connection.options.type === 'postgres' ? (em.connection.options as { schema?: string }).schema : undefined);
  return schema ? `${quote(em, schema)}.${quote(em, md.tableName)}` : quote(em, md.tableName);
};

/** Placeholders numbered from `start` (PostgreSQL `$n`, SQLite `?`). */
const placeholder = (em: EntityManager) =>
  em.connection.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';

const storedColumns = (md: EntityMetadata): ColumnMetadata[] => md.columns.filter((c) => !c.isVirtualProperty && !c.isVirtual);

const columnFor = (md: EntityMetadata, property: string): ColumnMetadata => {
  const column = md.findColumnWithPropertyPath(property);
  if (!column) throw new Error(`${md.name} has no column ${property}`);
  return column;
};

/** Rows as plain objects keyed by property name, with the driver's hydration applied. */
const hydrate = (em: EntityManager, columns: ColumnMetadata[], raw: Record<string, unknown>[]): ObjectLiteral[] =>
  raw.map((r) => {
    const row: ObjectLiteral = {};
    for (const c of columns) row[c.propertyName] = em.connection.driver.prepareHydratedValue(r[c.databaseName], c);
    return row;
  });

/**
 * The PostgreSQL array type of a column for `unnest`/`ANY`, or undefined where that path is not
 * safe (SQLite, enums, arrays, types with modifiers), which then use plain parameter lists.
 */
const pgArrayType = (em: EntityManager, column: ColumnMetadata): string | undefined => {
  if (em.connection.options.type !== 'postgres' || column.isArray || column.type === 'enum' || column.type === 'simple-enum') return undefined;
  const type = em.connection.driver.normalizeType(column);
  return /^[a-z ]+$/.test(type) ? `${type}[]` : undefined;
};

/**
 * A row's value for a column: undefined falls back to the column's literal default, else NULL
 * (SQLite has no DEFAULT keyword in a VALUES list). Database-computed defaults are refused: a
 * read model must get its values from the events (SP-4).
 */
const valueOf = (em: EntityManager, column: ColumnMetadata, row: ObjectLiteral): unknown => {
  let value = column.getEntityValue(row);
  if (value === undefined) {
    if (typeof column.default === 'function') {
      throw new Error(`${column.entityMetadata.name}.${column.propertyName}: give a value; database-computed defaults are not deterministic`);
    }
    value = column.default ?? null;
  }
  return em.connection.driver.preparePersistentValue(value, column);
};

/** Loads the rows whose `key` property is one of `keys`, as plain objects (any order). */
export const findByKeys = async <E extends ObjectLiteral, K extends keyof E & string>(
  em: EntityManager,
  target: EntityTarget<E>,
  key: K,
  keys: readonly E[K][],
): Promise<E[]> => {
  const md = em.connection.getMetadata(target);
  const keyColumn = columnFor(md, key);
  const columns = storedColumns(md);
  const ph = placeholder(em);
  const select = columns.map((c) => quote(em, c.databaseName)).join(', ');
  const out: E[] = [];
  const arrayType = pgArrayType(em, keyColumn);
  for (const part of chunk([...new Set(keys)], arrayType ? 50_000 : Math.min(maxParameters(em), 10_000))) {
    if (part.length === 0) continue;
    const params = part.map((k) => em.connection.driver.preparePersistentValue(k, keyColumn));
    const where = arrayType
      ? `= ANY($1::${arrayType})`
      : `IN (${params.map((_, i) => ph(i + 1)).join(', ')})`;
    const sql = `SELECT ${select} FROM ${tableOf(em, md)} WHERE ${quote(em, keyColumn.databaseName)} ${where}`;
    out.push(...(hydrate(em, columns, await em.query(sql, arrayType ? [params] : params)) as E[]));
  }
  return out;
};

/**
 * INSERT … ON CONFLICT (conflict columns) DO UPDATE SET every other column, for many rows at
 * once (PostgreSQL and SQLite ≥ 3.24 share the syntax). Rows should carry every column: a
 * missing value is written as the column's literal default, or NULL, and it also overwrites the
 * stored value on conflict.
 */
export const upsertRows = async <E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  rows: readonly Partial<E>[],
  conflictProperties: (keyof E & string)[],
): Promise<void> => {
  if (rows.length === 0) return;
  const md = em.connection.getMetadata(target);
  const columns = storedColumns(md).filter((c) => c.isInsert);
  const conflictColumns = conflictProperties.map((p) => columnFor(md, p));
  const conflict = conflictColumns.map((c) => c.databaseName);
  // One statement may not touch a row twice (PostgreSQL refuses it): the last version wins.
  const byKey = new Map<string, Partial<E>>();
  for (const row of rows) byKey.set(JSON.stringify(conflictColumns.map((c) => c.getEntityValue(row as ObjectLiteral) ?? null)), row);
  const unique = [...byKey.values()];
  const update = columns.map((c) => c.databaseName).filter((c) => !conflict.includes(c));
  const ph = placeholder(em);
  const names = columns.map((c) => quote(em, c.databaseName)).join(', ');
  const onConflict =
    update.length > 0
      ? `ON CONFLICT (${conflict.map((c) => quote(em, c)).join(', ')}) DO UPDATE SET ${update.map((c) => `${quote(em, c)} = excluded.${quote(em, c)}`).join(', ')}`
      : `ON CONFLICT (${conflict.map((c) => quote(em, c)).join(', ')}) DO NOTHING`;
  const arrayTypes = columns.map((c) => pgArrayType(em, c));
  if (arrayTypes.every((t): t is string => t !== undefined)) {
    // PostgreSQL: one array parameter per column, unnested into rows. Binding and planning
    // stay small however many rows there are, unlike a VALUES list with a parameter per cell.
    for (const part of chunk(unique, 10_000)) {
      const params = columns.map((c) => part.map((row) => valueOf(em, c, row as ObjectLiteral)));
      const unnest = arrayTypes.map((t, i) => `$${i + 1}::${t}`).join(', ');
      await em.query(`INSERT INTO ${tableOf(em, md)} (${names}) SELECT * FROM unnest(${unnest}) ${onConflict}`, params);
    }
    return;
  }
  const size = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(maxParameters(em) / Math.max(1, columns.length))));
  for (const part of chunk(unique, size)) {
    const params: unknown[] = [];
    const tuples = part.map((row) => {
      const slots = columns.map((c) => {
        params.push(valueOf(em, c, row as ObjectLiteral));
        return ph(params.length);
      });
      return `(${slots.join(', ')})`;
    });
    await em.query(`INSERT INTO ${tableOf(em, md)} (${names}) VALUES ${tuples.join(', ')} ${onConflict}`, params);
  }
};

/** Deletes the rows whose `key` property is one of `keys`. */
export const deleteByKeys = async <E extends ObjectLiteral, K extends keyof E & string>(
  em: EntityManager,
  target: EntityTarget<E>,
  key: K,
  keys: readonly E[K][],
): Promise<void> => {
  const md = em.connection.getMetadata(target);
  const keyColumn = columnFor(md, key);
  const ph = placeholder(em);
  for (const part of chunk([...new Set(keys)], 10_000)) {
    if (part.length === 0) continue;
    const params = part.map((k) => em.connection.driver.preparePersistentValue(k, keyColumn));
    await em.query(
      `DELETE FROM ${tableOf(em, md)} WHERE ${quote(em, keyColumn.databaseName)} IN (${params.map((_, i) => ph(i + 1)).join(', ')})`,
      params,
    );
  }
};
