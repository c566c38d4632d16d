import { readStoreKind, withWriteLock, type EntityClass } from '@gongzhi/projections';
import { Table, type DataSource } from 'typeorm';
import { CalendarDayRow, DeadlinePolicyRow } from './entities';

/**
 * Creates the policy and calendar tables when missing (the open-clocks table belongs to its
 * projection, whose runner creates and rebuilds it). Idempotent, safe for concurrent starts.
 */
export const ensureDeadlineTables = async (ds: DataSource, entities: EntityClass[] = [DeadlinePolicyRow, CalendarDayRow]): Promise<void> => {
  for (const entity of entities) {
    const metadata = ds.getMetadata(entity);
    await withWriteLock(ds, async () => {
      const runner = ds.createQueryRunner();
      try {
        if (await runner.hasTable(metadata.tablePath)) return;
        try {
          await runner.createTable(Table.create(metadata, ds.driver), true, false, true);
        } catch (e) {
          if (!(await runner.hasTable(metadata.tablePath))) throw e;
        }
      } finally {
        if (readStoreKind(ds) === 'postgres') await runner.release();
      }
    });
  }
};
