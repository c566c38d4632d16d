import type { DataSource } from 'typeorm';
import type { Projection } from './projection';

/**
 * Every row of a projection's live tables, ordered by primary key, as the driver returns them:
 * the oracle of the reliability scenarios compares a rebuilt model with the incremental one.
 */
export const readModelSnapshot = async (ds: DataSource, projection: Projection): Promise<Record<string, Record<string, unknown>[]>> => {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const entity of projection.entities) {
    const md = ds.getMetadata(entity);
    const qb = ds.createQueryBuilder().select('t.*').from(entity, 't');
    md.primaryColumns.forEach((c, i) => (i === 0 ? qb.orderBy(`t.${c.databaseName}`, 'ASC') : qb.addOrderBy(`t.${c.databaseName}`, 'ASC')));
    out[md.tableName] = await qb.getRawMany();
  }
  return out;
};
