import { Inject, Injectable } from '@nestjs/common';
import { assertValidPolicy, DEADLINE_UNITS, type DeadlinePolicy, type DeadlineExtensionRule } from '@gongzhi/deadlines-domain';
import { runInTransaction } from '@gongzhi/projections';
import type { DataSource } from 'typeorm';
import { DeadlinePolicyRow } from './entities';
import { escapeLikePattern } from './sql';
import { DEADLINES_READ_STORE } from './tokens';

const toPolicy = (row: DeadlinePolicyRow): DeadlinePolicy => ({
  policyId: row.policyId,
  version: row.version,
  title: row.title,
  source: row.source,
  length: row.length,
  unit: DEADLINE_UNITS.find((u) => u === row.unit) ?? 'd',
  expiry: row.expiry === 'lapse' ? 'lapse' : 'overdue',
  extension: row.extension ? (JSON.parse(row.extension) as DeadlineExtensionRule) : null,
  rollForward: Boolean(row.rollForward),
  effectiveFrom: new Date(row.effectiveFrom).toISOString(),
});

export interface PublishedPolicy extends DeadlinePolicy {
  publishedBy: string;
  publishedAt: string;
}

/**
 * The versioned policy table. Versions are appended, never updated: `seed` adds the versions the
 * code ships (the national rules) when missing, `publish` adds a new version (a local rule, a
 * correction) without any code change, and running clocks keep the version they started under.
 */
@Injectable()
export class DeadlinePolicyStore {
  private listeners: (() => void)[] = [];

  constructor(@Inject(DEADLINES_READ_STORE) private readonly ds: DataSource) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async all(prefix?: string): Promise<PublishedPolicy[]> {
    const qb = this.ds.getRepository(DeadlinePolicyRow).createQueryBuilder('p');
    if (prefix) qb.where("p.policy_id LIKE :prefix ESCAPE '\\'", { prefix: `${escapeLikePattern(prefix)}%` });
    const rows = await qb.orderBy('p.policy_id', 'ASC').addOrderBy('p.version', 'ASC').getMany();
    return rows.map((r) => ({ ...toPolicy(r), publishedBy: r.publishedBy, publishedAt: r.publishedAt }));
  }

  /** Adds the given versions where that (policy id, version) is not stored yet; returns how many it added. */
  async seed(policies: readonly DeadlinePolicy[], at: string): Promise<number> {
    let added = 0;
    await runInTransaction(this.ds, async (em) => {
      const repo = em.getRepository(DeadlinePolicyRow);
      for (const p of policies) {
        assertValidPolicy(p);
        if (await repo.existsBy({ policyId: p.policyId, version: p.version })) continue;
        await repo.insert(this.toRow(p, 'seed', at));
        added++;
      }
    });
    if (added > 0) this.changed();
    return added;
  }

  /**
   * Publishes the next version of a policy (its current highest version + 1). Fields not given
   * are copied from the latest version; a new policy id needs every field.
   */
  async publish(
    change: Partial<Omit<DeadlinePolicy, 'version'>> & { policyId: string },
    by: string,
    at: string,
  ): Promise<PublishedPolicy> {
    const stored = await runInTransaction(this.ds, async (em) => {
      const repo = em.getRepository(DeadlinePolicyRow);
      const latest = await repo.findOne({ where: { policyId: change.policyId }, order: { version: 'DESC' } });
      const base: Partial<DeadlinePolicy> = latest ? toPolicy(latest) : {};
      const next = assertValidPolicy({
        ...base,
        ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
        effectiveFrom: change.effectiveFrom ?? at,
        version: (latest?.version ?? 0) + 1,
      } as DeadlinePolicy);
      const row = this.toRow(next, by, at);
      await repo.insert(row);
      return { ...next, effectiveFrom: row.effectiveFrom, publishedBy: by, publishedAt: row.publishedAt };
    });
    this.changed();
    return stored;
  }

  private toRow(p: DeadlinePolicy, by: string, at: string): DeadlinePolicyRow {
    return {
      policyId: p.policyId,
      version: p.version,
      title: p.title,
      source: p.source,
      length: p.length,
      unit: p.unit,
      expiry: p.expiry,
      extension: p.extension ? JSON.stringify(p.extension) : null,
      rollForward: p.rollForward,
      effectiveFrom: new Date(p.effectiveFrom).toISOString(),
      publishedBy: by,
      publishedAt: new Date(at).toISOString(),
    };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
