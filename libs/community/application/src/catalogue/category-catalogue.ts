import { Inject, Injectable } from '@nestjs/common';
import {
  categoryCode,
  DEFAULT_CATALOGUE_VERSION,
  DEFAULT_CATEGORY_CATALOGUE,
  type CategoryKind,
  type IncidentCategory,
} from '@gongzhi/community-domain';
import { ensureDeadlineTables } from '@gongzhi/deadlines';
import { withWriteLock } from '@gongzhi/projections';
import { DataSource } from 'typeorm';
import { COMMUNITY_READ_STORE } from '../tokens';
import { IncidentCategoryRow } from './category.entity';

export const toIncidentCategory = (row: IncidentCategoryRow): IncidentCategory => ({
  code: row.code,
  kind: row.kind as CategoryKind,
  majorCode: row.majorCode,
  majorName: row.majorName,
  minorCode: row.minorCode,
  minorName: row.minorName,
  deadlinePolicyId: row.deadlinePolicyId,
  catalogueVersion: row.catalogueVersion,
});

/**
 * The category catalogue table: created and seeded with the shipped catalogue when missing
 * (existing rows are never overwritten, so an operator's changes survive restarts).
 */
@Injectable()
export class CategoryCatalogue {
  private readyPromise?: Promise<void>;

  constructor(@Inject(COMMUNITY_READ_STORE) private readonly ds: DataSource) {}

  ready(): Promise<void> {
    this.readyPromise ??= this.prepare().catch((e) => {
      this.readyPromise = undefined;
      throw e;
    });
    return this.readyPromise;
  }

  private async prepare(): Promise<void> {
    // The same idempotent create-if-missing the deadline tables use.
    await ensureDeadlineTables(this.ds, [IncidentCategoryRow]);
    await withWriteLock(this.ds, async () => {
      const repo = this.ds.getRepository(IncidentCategoryRow);
      const known = new Set((await repo.find({ select: { code: true } })).map((r) => r.code));
      const missing = DEFAULT_CATEGORY_CATALOGUE.filter((c) => !known.has(categoryCode(c)));
      if (missing.length === 0) return;
      await repo
        .createQueryBuilder()
        .insert()
        .values(missing.map((c) => ({ ...c, code: categoryCode(c), active: true, catalogueVersion: DEFAULT_CATALOGUE_VERSION })))
        .orIgnore()
        .execute();
    });
  }

  /** The active category with this code, or null. */
  async find(code: string): Promise<IncidentCategory | null> {
    await this.ready();
    const row = await this.ds.getRepository(IncidentCategoryRow).findOneBy({ code, active: true });
    return row ? toIncidentCategory(row) : null;
  }

  async list(options: { includeRetired?: boolean } = {}): Promise<IncidentCategoryRow[]> {
    await this.ready();
    return this.ds.getRepository(IncidentCategoryRow).find({
      where: options.includeRetired ? {} : { active: true },
      order: { kind: 'ASC', majorCode: 'ASC', minorCode: 'ASC' },
    });
  }
}
